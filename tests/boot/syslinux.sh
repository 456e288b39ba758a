#!/bin/sh
# syslinux.sh TANDEM: proof 1 of issue 4. SYSLINUX (Debian's syslinux) on a FAT
# 1.44M floppy made with mkfs.fat and mcopy boots on a 386, prints its banner and
# prompt on the serial console (SERIAL 0 115200) and its SAY line on the screen,
# takes a label typed at the prompt and runs that COM32 module, poweroff.c32,
# which powers off through our BIOS's APM: exit status 0. The default label
# (chosen only if the typed one is not taken) runs reboot.c32 instead, which
# never powers off.
# Typing starts 8 s (emulated) after reset: the 20 MHz 386 needs about 3 s to
# reach the prompt, and keys typed earlier wait in the BIOS buffer.
. "$(dirname "$0")/common.sh"
mods=/usr/lib/syslinux/modules/bios
need syslinux mkfs.fat syslinux mcopy $mods/poweroff.c32 $mods/reboot.c32 $mods/libcom32.c32
img=$work/floppy.img
mkfs.fat -C "$img" 1440 > /dev/null || exit 1
syslinux --install "$img" || exit 1
cat > "$work/syslinux.cfg" <<'CFG'
SERIAL 0 115200
PROMPT 1
TIMEOUT 0
SAY TANDEM-SYSLINUX-SAY
DEFAULT again
LABEL again
  COM32 reboot.c32
LABEL Off
  COM32 poweroff.c32
CFG
mcopy -i "$img" "$work/syslinux.cfg" $mods/poweroff.c32 $mods/reboot.c32 \
	$mods/libcom32.c32 ::/ || exit 1
"$tandem" --accel interp --cpu 80386 --headless --fda "$img" --boot a \
	--serial "file:$work/serial.txt" \
	--timeout 60 --keys "{wait:8000}Off{enter}" < /dev/null > "$work/screen.txt" \
	2> "$work/stderr.txt"
st=$?
bad=0
has "$work/serial.txt" "SYSLINUX 6.04" || bad=$((bad + 1))
has "$work/serial.txt" "boot: Off" || bad=$((bad + 1))
has "$work/screen.txt" "TANDEM-SYSLINUX-SAY" || bad=$((bad + 1))
verdict "syslinux: FAT floppy, prompt, COM32 poweroff.c32 (386)" "$st" 0 "$bad" \
	"$work/serial.txt" "$work/screen.txt" "$work/stderr.txt"

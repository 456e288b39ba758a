#!/bin/sh
# isolinux.sh TANDEM: proof 2 of issue 4. ISOLINUX (Debian's isolinux) on an El
# Torito no-emulation ISO made with xorriso boots from the ATAPI CD (--boot d) on
# a 386, shows its prompt on the serial console, and the label typed there runs
# poweroff.c32 (APM power-off, exit status 0); the default label would reboot.
# Typing starts 8 s (emulated) after reset: the 20 MHz 386 needs about 3 s to
# reach the prompt, and keys typed earlier wait in the BIOS buffer.
. "$(dirname "$0")/common.sh"
mods=/usr/lib/syslinux/modules/bios
need isolinux xorriso /usr/lib/ISOLINUX/isolinux.bin $mods/ldlinux.c32 \
	$mods/poweroff.c32 $mods/reboot.c32 $mods/libcom32.c32
mkdir -p "$work/iso/isolinux" || exit 1
cp /usr/lib/ISOLINUX/isolinux.bin $mods/ldlinux.c32 $mods/libcom32.c32 \
	$mods/poweroff.c32 $mods/reboot.c32 "$work/iso/isolinux/" || exit 1
cat > "$work/iso/isolinux/isolinux.cfg" <<'CFG'
SERIAL 0 115200
PROMPT 1
TIMEOUT 0
SAY TANDEM-ISOLINUX-SAY
DEFAULT again
LABEL again
  COM32 reboot.c32
LABEL off
  COM32 poweroff.c32
CFG
xorriso -as mkisofs -quiet -o "$work/cd.iso" -b isolinux/isolinux.bin \
	-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
	"$work/iso" > "$work/xorriso.txt" 2>&1 || { cat "$work/xorriso.txt"; exit 1; }
"$tandem" --accel interp --cpu 80386 --headless --cdrom "$work/cd.iso" --boot d \
	--serial "file:$work/serial.txt" --timeout 60 --keys "{wait:8000}off{enter}" \
	< /dev/null > "$work/screen.txt" 2> "$work/stderr.txt"
st=$?
bad=0
has "$work/serial.txt" "ISOLINUX 6.04" || bad=$((bad + 1))
has "$work/serial.txt" "boot: off" || bad=$((bad + 1))
has "$work/screen.txt" "TANDEM-ISOLINUX-SAY" || bad=$((bad + 1))
verdict "isolinux: El Torito CD, prompt, COM32 poweroff.c32 (386)" "$st" 0 "$bad" \
	"$work/serial.txt" "$work/screen.txt" "$work/stderr.txt"

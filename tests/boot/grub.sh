#!/bin/sh
# grub.sh TANDEM: proof 3 of issue 4. A GRUB 2 i386-pc rescue CD made with
# grub-mkrescue (grub-pc-bin, xorriso, mtools) boots from the ATAPI CD on a 386
# and draws its menu on the serial console (serial --unit=0; terminal_output
# serial console). Keys typed at the menu open the command line and run
# `set m=OK`, `echo TANDEM-GRUB-$m` (the marker appears only if GRUB expanded
# it), lsmmap (the E820 map from our BIOS) and halt, which powers off through
# our ACPI tables (PM1a): exit status 0. GRUB reaches its menu about 10 s
# (emulated) after reset on the 20 MHz 386; keys typed before that fill the
# BIOS buffer (15 keys) and the rest are lost, hence the long first wait.
. "$(dirname "$0")/common.sh"
need grub-mkrescue xorriso mformat /usr/lib/grub/i386-pc/cdboot.img
mkdir -p "$work/root/boot/grub" || exit 1
cat > "$work/root/boot/grub/grub.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=-1
menuentry "tandem-proof-entry" {
	reboot
}
CFG
grub-mkrescue -d /usr/lib/grub/i386-pc -o "$work/grub.iso" "$work/root" \
	> "$work/mkrescue.txt" 2>&1 || { cat "$work/mkrescue.txt"; exit 1; }
keys="{wait:20000}c{wait:1000}$(slow 'set m=OK'){enter}{wait:500}"
# shellcheck disable=SC2016 # GRUB, not the shell, expands $m
keys="$keys$(slow 'echo TANDEM-GRUB-$m'){enter}{wait:500}$(slow lsmmap){enter}{wait:500}"
keys="$keys$(slow halt){enter}"
"$tandem" --accel interp --cpu 80386 --headless --cdrom "$work/grub.iso" --boot d \
	--serial "file:$work/serial.txt" --timeout 90 --keys "$keys" \
	< /dev/null > "$work/screen.txt" 2> "$work/stderr.txt"
st=$?
bad=0
has "$work/serial.txt" "GNU GRUB  version 2" || bad=$((bad + 1))
has "$work/serial.txt" "tandem-proof-entry" || bad=$((bad + 1))
has "$work/serial.txt" "grub> " || bad=$((bad + 1))
has "$work/serial.txt" "available RAM" || bad=$((bad + 1))
has "$work/serial.txt" "TANDEM-GRUB-OK" || bad=$((bad + 1))
verdict "grub: i386-pc rescue CD, serial menu, command line, halt (386)" "$st" 0 "$bad" \
	"$work/serial.txt" "$work/screen.txt" "$work/stderr.txt"

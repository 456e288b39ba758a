#!/bin/sh
# grub.sh TANDEM: proof 3 of issue 4. A GRUB 2 i386-pc rescue CD made with
# grub-mkrescue (grub-pc-bin, xorriso, mtools) boots from the ATAPI CD on a 386
# and draws its menu on the serial console (serial --unit=0; terminal_output
# serial console). Keys typed at the menu open the command line and run lsmmap
# (the E820 map from our BIOS) and a function from grub.cfg that echoes a marker
# and halts, which powers off through our ACPI tables (PM1a): exit status 0.
# The script types 11 keys: on tandem's 386 every key after the 15th is lost for
# now (see tests/boot/README.md), so the function has a short name.
. "$(dirname "$0")/common.sh"
need grub-mkrescue xorriso mformat /usr/lib/grub/i386-pc/cdboot.img
mkdir -p "$work/root/boot/grub" || exit 1
cat > "$work/root/boot/grub/grub.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=-1
function tp {
	echo TANDEM-GRUB-MARKER
	halt
}
menuentry "tandem-proof-entry" {
	reboot
}
CFG
grub-mkrescue -d /usr/lib/grub/i386-pc -o "$work/grub.iso" "$work/root" \
	> "$work/mkrescue.txt" 2>&1 || { cat "$work/mkrescue.txt"; exit 1; }
keys="{wait:3000}c{wait:1000}$(slow lsmmap){enter}{wait:1000}$(slow tp){enter}"
"$tandem" --cpu 80386 --headless --cdrom "$work/grub.iso" --boot d \
	--serial "file:$work/serial.txt" --timeout 90 --keys "$keys" \
	< /dev/null > "$work/screen.txt" 2> "$work/stderr.txt"
st=$?
bad=0
has "$work/serial.txt" "GNU GRUB  version 2" || bad=$((bad + 1))
has "$work/serial.txt" "tandem-proof-entry" || bad=$((bad + 1))
has "$work/serial.txt" "grub> " || bad=$((bad + 1))
has "$work/serial.txt" "available RAM" || bad=$((bad + 1))
has "$work/serial.txt" "TANDEM-GRUB-MARKER" || bad=$((bad + 1))
verdict "grub: i386-pc rescue CD, serial menu, command line, halt (386)" "$st" 0 "$bad" \
	"$work/serial.txt" "$work/screen.txt" "$work/stderr.txt"

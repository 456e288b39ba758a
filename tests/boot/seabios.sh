#!/bin/sh
# seabios.sh TANDEM: proof 5 of issue 4. Debian's SeaBIOS (package seabios,
# bios.bin with SeaVGABIOS through fw_cfg) runs on tandem as the BIOS on a 486
# and boots our test disks: tests/guests/seabios.sh (floppy, hard disk and El
# Torito boots), where a SKIP counts as a failure here; then SYSLINUX from a FAT
# floppy under SeaBIOS takes a typed label. That label runs poweroff.c32: SeaBIOS's
# APM power-off writes SLP_EN with SLP_TYP 0 (PIIX4's soft-off, as on QEMU) to the
# PM1a_CNT port of the ACPI tables tandem hands it (hw/acpi_fw_cfg.c), but tandem's
# PM1a block, as its DSDT's \_S5 says, powers off on SLP_TYP 5 only; SeaBIOS then
# halts with interrupts off (exit status 10). An OS that reads \_S5 powers off:
# bios_acpi in tests/guests/seabios.sh.
. "$(dirname "$0")/common.sh"
bios=/usr/share/seabios/bios.bin
vga=/usr/share/seabios/vgabios-stdvga.bin
mods=/usr/lib/syslinux/modules/bios
need $bios $vga mkfs.fat syslinux mcopy $mods/poweroff.c32 $mods/libcom32.c32
failed=0
sh "$here/../guests/seabios.sh" "$tandem" > "$work/guests.txt" 2>&1
st=$?
cat "$work/guests.txt"
if [ "$st" != 0 ] || grep -q '^SKIP' "$work/guests.txt" || ! grep -q '^PASS' "$work/guests.txt"
then
	echo "FAIL seabios: our test disks (tests/guests/seabios.sh, status $st)"
	failed=1
fi

img=$work/floppy.img
mkfs.fat -C "$img" 1440 > /dev/null || exit 1
syslinux --install "$img" || exit 1
cat > "$work/syslinux.cfg" <<'CFG'
SERIAL 0 115200
PROMPT 1
TIMEOUT 0
SAY TANDEM-SEABIOS-SYSLINUX-SAY
DEFAULT again
LABEL again
  COM32 reboot.c32
LABEL off
  COM32 poweroff.c32
CFG
mcopy -i "$img" "$work/syslinux.cfg" $mods/poweroff.c32 $mods/reboot.c32 \
	$mods/libcom32.c32 ::/ || exit 1
"$tandem" --accel interp --cpu 80486 --bios $bios --fw-cfg "vgaroms/vgabios-stdvga.bin=$vga" \
	--headless \
	--fda "$img" --boot a --serial "file:$work/serial.txt" --timeout 60 \
	--keys "{wait:8000}off{enter}" < /dev/null > "$work/screen.txt" 2> "$work/stderr.txt"
st=$?
bad=0
has "$work/serial.txt" "SeaBIOS (version" || bad=$((bad + 1))
has "$work/serial.txt" "SYSLINUX 6.04" || bad=$((bad + 1))
has "$work/screen.txt" "TANDEM-SEABIOS-SYSLINUX-SAY" || bad=$((bad + 1))
has "$work/screen.txt" "boot: off" || bad=$((bad + 1))
verdict "seabios: SYSLINUX floppy, typed label, APM halt (486)" "$st" 10 "$bad" \
	"$work/serial.txt" "$work/screen.txt" "$work/stderr.txt" || failed=1
[ "$failed" = 0 ]

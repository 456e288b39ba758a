#!/bin/sh
# seabios.sh TANDEM [CPU]: boot test guests under Debian's SeaBIOS (package seabios)
# instead of tandem's BIOS, with SeaVGABIOS from fw_cfg, and check each guest still
# passes: exit status 1 and its expected debugcon text at the end of the debug
# console (SeaBIOS's own log, port 402h, lands in the same file before it).
# SeaBIOS needs a 386 or later and, in practice, CPUID (it probes for KVM early):
# the default model is 80486. While the build has no such --cpu model, or that model
# cannot yet boot tandem's own BIOS (timer_irq), the script prints SKIP and exits 0.
# Also runs a hard disk boot, El Torito CD boots (floppy emulation; hard disk
# emulation: bios_cdhdd), bios_acpi (ACPI power-off on the tables from fw_cfg:
# status 0) and apic_tables_smp (--cpu pentium2 --smp 4).
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY [CPU]" >&2
	exit 2
fi
tandem=$1
cpu=${2:-80486}
here=$(cd "$(dirname "$0")" && pwd)
bios=/usr/share/seabios/bios.bin
vgabios=/usr/share/seabios/vgabios-stdvga.bin
if [ ! -f "$bios" ]; then
	echo "SKIP seabios ($bios missing: apt-get install seabios)"
	exit 0
fi
if "$tandem" --cpu "$cpu" --headless --max-insns 1 < /dev/null 2>&1 |
	grep -q "unknown CPU model"; then
	echo "SKIP seabios (this build has no --cpu $cpu)"
	exit 0
fi
work=$(mktemp -d /tmp/tandem-seabios.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
cp "$here/timer_irq.img" "$work/probe.img" || exit 2
"$tandem" --cpu "$cpu" --headless --fda "$work/probe.img" --exit-port 0xf4 \
	--max-insns 20000000 < /dev/null > /dev/null 2>&1
if [ $? != 1 ]; then
	echo "SKIP seabios (--cpu $cpu does not boot tandem's BIOS yet: timer_irq fails)"
	exit 0
fi
vga=""
[ -f "$vgabios" ] && vga="--fw-cfg vgaroms/vgabios-stdvga.bin=$vgabios"
failed=0
# run NAME KIND IMAGE [STATUS [TAIL]]: boot under SeaBIOS from KIND (a, c, d; dh: d
# with a blank hard disk); tandem
# must exit with STATUS (default 1) and TAIL (default: the guest NAME's expected
# debugcon text) must end the debug console.
run() {
	name=$1 kind=$2 image=$3 wantst=${4:-1} want=${5:-$(cat "$here/$1.debugcon")}
	case $kind in
	a) media="--fda $image --hda $work/hdd.img" ;;
	c) media="--hda $image" ;;
	d) media="--cdrom $image" ;;
	dh) media="--cdrom $image --hda $work/hdd.img" ;;
	esac
	truncate -s 1474560 "$work/hdd.img"
	# shellcheck disable=SC2086 # $vga and $media are word lists
	# shellcheck disable=SC2086 # $extra too
	"$tandem" --cpu "$cpu" $extra --bios "$bios" $vga --headless $media --boot "${kind%h}" \
		--exit-port 0xf4 --debugcon "file:$work/$name.$kind.e9" --timeout 60 \
		< /dev/null > "$work/$name.out" 2>&1
	st=$?
	got=$(tail -c "$(printf '%s\n' "$want" | wc -c)" "$work/$name.$kind.e9")
	if [ "$st" = "$wantst" ] && [ "$got" = "$want" ] && grep -q "SeaBIOS" "$work/$name.$kind.e9"
	then
		echo "PASS seabios $name (boot $kind)"
	else
		echo "FAIL seabios $name (boot $kind: status $st; end of the debug console:)"
		tail -n 5 "$work/$name.$kind.e9"
		failed=$((failed + 1))
	fi
}
for name in timer_irq hw_fdc hw_ide; do
	cp "$here/$name.img" "$work/$name.img" || exit 2
	run $name a "$work/$name.img"
done
cp "$here/timer_irq.img" "$work/disk.img" && truncate -s 10M "$work/disk.img" || exit 2
run timer_irq c "$work/disk.img"
python3 "$here/eltorito.py" "$here/timer_irq.img" "$work/cd.iso" || exit 2
run timer_irq d "$work/cd.iso"
# El Torito hard disk emulation (bios_cdhdd: the ISO is its own test, a blank disk 81h)
cp "$here/bios_cdhdd.img" "$work/cdhdd.iso" || exit 2
run bios_cdhdd dh "$work/cdhdd.iso" 1 PASS
# Four CPUs with APICs: SeaBIOS starts the APs itself (INIT and start-up IPIs), builds
# its MP table from fw_cfg (etc/irq0-override: IRQ 0 on INTIN 2) and loads our MADT;
# apic_tables_smp must find what it finds under our BIOS.
cp "$here/apic_tables_smp.img" "$work/ats.img" || exit 2
cpu_was=$cpu
cpu=pentium2 extra="--smp 4"
run apic_tables_smp a "$work/ats.img"
cpu=$cpu_was extra=""
# ACPI power-off through the tables tandem hands SeaBIOS in fw_cfg (hw/acpi_fw_cfg.c):
# RSDP in the F segment, the rest at the top of RAM, \_S5 = 5 in the DSDT; status 0.
cp "$here/bios_acpi.img" "$work/bios_acpi.img" || exit 2
run bios_acpi a "$work/bios_acpi.img" 0 "$(printf 'PM1a_CNT 0604\nSLP_TYPa 05\npower off')"
[ "$failed" = 0 ]

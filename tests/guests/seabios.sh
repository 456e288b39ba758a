#!/bin/sh
# seabios.sh TANDEM [CPU]: boot test guests under Debian's SeaBIOS (package seabios)
# instead of tandem's BIOS, with SeaVGABIOS from fw_cfg, and check each guest still
# passes: exit status 1 and its expected debugcon text at the end of the debug
# console (SeaBIOS's own log, port 402h, lands in the same file before it).
# SeaBIOS needs a 386 or later and, in practice, CPUID (it probes for KVM early):
# the default model is 80486. While the build has no such --cpu model, or that model
# cannot yet boot tandem's own BIOS (timer_irq), the script prints SKIP and exits 0.
# Also runs a hard disk boot and an El Torito (floppy emulation) CD boot.
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
# run NAME KIND IMAGE: boot under SeaBIOS from KIND (a, c, d); the guest NAME's
# expected debugcon text must end the debug console.
run() {
	name=$1 kind=$2 image=$3
	case $kind in
	a) media="--fda $image --hda $work/hdd.img" ;;
	c) media="--hda $image" ;;
	d) media="--cdrom $image" ;;
	esac
	truncate -s 1474560 "$work/hdd.img"
	# shellcheck disable=SC2086 # $vga and $media are word lists
	"$tandem" --cpu "$cpu" --bios "$bios" $vga --headless $media --boot "$kind" \
		--exit-port 0xf4 --debugcon "file:$work/$name.$kind.e9" --timeout 60 \
		< /dev/null > "$work/$name.out" 2>&1
	st=$?
	want=$(cat "$here/$name.debugcon")
	got=$(tail -c "$(wc -c < "$here/$name.debugcon")" "$work/$name.$kind.e9")
	if [ "$st" = 1 ] && [ "$got" = "$want" ] && grep -q "SeaBIOS" "$work/$name.$kind.e9"
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
[ "$failed" = 0 ]

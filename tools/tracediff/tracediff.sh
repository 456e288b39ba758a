#!/bin/sh
# tracediff.sh: runs one guest under tandem (--trace with --trace-filter) and under
# qemu-system-i386 (-singlestep -d cpu,nochain -dfilter), then reports where the two
# instruction streams first differ (tracediff.py).  See docs/tracediff.md.
#
#   tracediff.sh [options] --fda IMAGE
#   tracediff.sh [options] --kernel BZIMAGE [--initrd FILE] [--append TEXT]
#
# Options:
#   --filter cpl3|LO-HI|cpl3,LO-HI   what to compare (required: a whole-machine trace
#                                    is gigabytes); LO-HI are hex linear addresses
#   --tandem PATH        tandem binary (default: ./tandem)
#   --qemu PATH          QEMU binary (default: qemu-system-i386)
#   --accel ENGINE       tandem's engine (default interp; tcg-lite and kvm trace too)
#   --cpu MODEL          tandem's CPU model (default pentium2)
#   --qemu-cpu MODEL     QEMU's -cpu (default: QEMU's own, qemu32)
#   --memory MB          RAM of both machines in MiB (default 64)
#   --timeout SECONDS    wall-time limit of each run (default 120)
#   --qemu-dfilter SPEC  QEMU's -dfilter (default: LO..HI of --filter; for cpl3 alone
#                        0x4000000..0xbfffffff: the user half of a 3G/1G Linux without
#                        the first 64 MiB, where the kernel runs before paging)
#   --work DIR           keep the traces and logs in DIR (default: a temporary directory,
#                        removed afterwards)
#   --flags-mask HEX, --context N, --strict-length   passed to tracediff.py
# Exit status: tracediff.py's (0 agree, 1 divergence, 2 bad input); 2 when a run fails.
here=$(cd "$(dirname "$0")" && pwd)
tandem=./tandem
qemu=qemu-system-i386
accel=interp
cpu=pentium2
qemu_cpu=
memory=64
timeout=120
filter=
dfilter=
work=
fda=
kernel=
initrd=
append=
diffargs=

usage() {
	sed -n '2,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
need() { [ $# -ge 2 ] || { echo "tracediff.sh: $1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
	case "$1" in
	--filter) need "$@"; filter=$2; shift ;;
	--tandem) need "$@"; tandem=$2; shift ;;
	--qemu) need "$@"; qemu=$2; shift ;;
	--accel) need "$@"; accel=$2; shift ;;
	--cpu) need "$@"; cpu=$2; shift ;;
	--qemu-cpu) need "$@"; qemu_cpu=$2; shift ;;
	--memory) need "$@"; memory=$2; shift ;;
	--timeout) need "$@"; timeout=$2; shift ;;
	--qemu-dfilter) need "$@"; dfilter=$2; shift ;;
	--work) need "$@"; work=$2; shift ;;
	--fda) need "$@"; fda=$2; shift ;;
	--kernel) need "$@"; kernel=$2; shift ;;
	--initrd) need "$@"; initrd=$2; shift ;;
	--append) need "$@"; append=$2; shift ;;
	--flags-mask|--context) need "$@"; diffargs="$diffargs $1 $2"; shift ;;
	--strict-length) diffargs="$diffargs $1" ;;
	-h|--help) usage ;;
	*) echo "tracediff.sh: unknown argument '$1'" >&2; usage ;;
	esac
	shift
done
[ -n "$filter" ] || { echo "tracediff.sh: --filter is required" >&2; exit 2; }
if [ -z "$fda" ] && [ -z "$kernel" ] || [ -n "$fda" ] && [ -n "$kernel" ]; then
	echo "tracediff.sh: give --fda IMAGE or --kernel BZIMAGE (one of them)" >&2
	exit 2
fi
case "$memory" in *[!0-9]*|'') echo "tracediff.sh: --memory is MiB" >&2; exit 2 ;; esac

# The filter for tracediff.py, and QEMU's -dfilter from its range.
cpl3=
range=
old_ifs=$IFS
IFS=,
for part in $filter; do
	case "$part" in
	cpl3) cpl3=--cpl3 ;;
	*-*) range=$part ;;
	*) echo "tracediff.sh: --filter: '$part' is not cpl3 or LO-HI" >&2; exit 2 ;;
	esac
done
IFS=$old_ifs
if [ -z "$dfilter" ]; then
	if [ -n "$range" ]; then
		dfilter="0x${range%-*}..0x${range#*-}"
		dfilter=$(echo "$dfilter" | sed 's/0x0x/0x/g')
	else
		dfilter=0x4000000..0xbfffffff
	fi
fi

command -v "$qemu" > /dev/null 2>&1 || { echo "tracediff.sh: no $qemu" >&2; exit 2; }
[ -x "$tandem" ] || { echo "tracediff.sh: no tandem binary at $tandem" >&2; exit 2; }
if [ -n "$work" ]; then
	mkdir -p "$work" || exit 2
else
	work=$(mktemp -d /tmp/tracediff.XXXXXX) || exit 2
	trap 'rm -rf "$work"' EXIT
fi

# One instruction per translation block: -singlestep until QEMU 8.1 renamed it.
ver=$("$qemu" --version | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p' | head -n 1)
set -- $ver
if [ "${1:-0}" -gt 8 ] || { [ "${1:-0}" = 8 ] && [ "${2:-0}" -ge 1 ]; }; then
	qstep="-accel tcg,one-insn-per-tb=on"
else
	qstep="-singlestep"
fi

# The guest: a floppy is copied for each run (a guest may write to it).
if [ -n "$fda" ]; then
	cp "$fda" "$work/tandem.img" && cp "$fda" "$work/qemu.img" || exit 2
	set -- --fda "$work/tandem.img" --boot a
	qset="-drive file=$work/qemu.img,format=raw,if=floppy,index=0 -boot a"
else
	set -- --kernel "$kernel"
	qset="-kernel $kernel"
	[ -n "$initrd" ] && { set -- "$@" --initrd "$initrd"; qset="$qset -initrd $initrd"; }
fi

echo "tracediff: tandem --accel $accel --cpu $cpu --trace-filter $filter" >&2
if [ -n "$append" ]; then
	"$tandem" --headless --accel "$accel" --cpu "$cpu" -m "${memory}M" "$@" \
		--append "$append" --serial "file:$work/tandem.serial" --timeout "$timeout" \
		--trace "$work/tandem.trace" --trace-filter "$filter" < /dev/null \
		> "$work/tandem.out" 2> "$work/tandem.err"
else
	"$tandem" --headless --accel "$accel" --cpu "$cpu" -m "${memory}M" "$@" \
		--serial "file:$work/tandem.serial" --timeout "$timeout" \
		--trace "$work/tandem.trace" --trace-filter "$filter" < /dev/null \
		> "$work/tandem.out" 2> "$work/tandem.err"
fi
st=$?
# 1: the guest wrote 0 to the exit port; 6: timeout; others are the guest's own codes.
if ! grep -q . "$work/tandem.trace" 2>/dev/null; then
	echo "tracediff.sh: tandem traced nothing (status $st): $(tail -n 1 "$work/tandem.err")" >&2
	exit 2
fi

echo "tracediff: $qemu $qstep -d cpu,nochain -dfilter $dfilter" >&2
# QEMU's isa-debug-exit at F4h, as tandem's --exit-port default; no reboot on reset.
if [ -n "$append" ]; then
	timeout "$timeout" "$qemu" $qstep ${qemu_cpu:+-cpu "$qemu_cpu"} -m "$memory" $qset \
		-append "$append" -display none -monitor none -serial "file:$work/qemu.serial" \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=1 \
		-d cpu,nochain -dfilter "$dfilter" -D "$work/qemu.log" < /dev/null \
		> "$work/qemu.out" 2> "$work/qemu.err"
else
	timeout "$timeout" "$qemu" $qstep ${qemu_cpu:+-cpu "$qemu_cpu"} -m "$memory" $qset \
		-display none -monitor none -serial "file:$work/qemu.serial" \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=1 \
		-d cpu,nochain -dfilter "$dfilter" -D "$work/qemu.log" < /dev/null \
		> "$work/qemu.out" 2> "$work/qemu.err"
fi
if ! grep -q '^EAX=' "$work/qemu.log" 2>/dev/null; then
	echo "tracediff.sh: QEMU logged nothing: $(tail -n 1 "$work/qemu.err")" >&2
	exit 2
fi

# shellcheck disable=SC2086
python3 "$here/tracediff.py" $cpl3 ${range:+--range "$range"} $diffargs \
	"$work/tandem.trace" "$work/qemu.log"

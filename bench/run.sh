#!/bin/sh
# make bench: guest MIPS of tandem's interpreter on bench/loop.asm and of the
# peers installed here (QEMU TCG, Bochs), measured in the same run, plus
# start-up time.  One line per figure: "bench: NAME VALUE UNIT".
# MIPS comes from two runs of different lengths, so boot time cancels out.
TANDEM=${1:-./tandem}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tandem-bench.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
BODY=21
SHORT=200000
LONG=${BENCH_ITER:-20000000}

now() { date +%s%N; }

build() {	# build ITER -> $work/loop-ITER.img
	nasm -f bin -DITER="$1" -o "$work/loop-$1.img" "$here/loop.asm" || exit 1
	truncate -s 1474560 "$work/loop-$1.img"
}

insns() {	# instructions the loop runs for ITER iterations
	echo $(( $1 * BODY + ($1 / 65536 + 1) * 2 ))
}

# time_run CMD...: wall nanoseconds of one run
time_run() {
	t0=$(now)
	"$@" >/dev/null 2>&1 < /dev/null
	t1=$(now)
	echo $((t1 - t0))
}

mips() {	# mips NS_SHORT NS_LONG
	awk -v a="$1" -v b="$2" -v n="$(( $(insns $LONG) - $(insns $SHORT) ))" \
		'BEGIN { d = (b - a) / 1e9; if (d <= 0) print "n/a"; else printf "%.1f\n", n / d / 1e6 }'
}

build $SHORT
build $LONG

run_tandem() {	# run_tandem ENGINE ITER
	"$TANDEM" --headless --quiet --accel "$1" --fda "$work/loop-$2.img" --timeout 600
}
ts=$(time_run run_tandem interp $SHORT); tl=$(time_run run_tandem interp $LONG)
interp=$(mips "$ts" "$tl")
echo "bench: interp_mips $interp MIPS"
ts=$(time_run run_tandem tcg-lite $SHORT); tl=$(time_run run_tandem tcg-lite $LONG)
tcg_lite=$(mips "$ts" "$tl")
echo "bench: tcg_lite_mips $tcg_lite MIPS"

qemu=n/a
if command -v qemu-system-i386 >/dev/null 2>&1; then
	run_qemu() {
		qemu-system-i386 -accel tcg -display none -no-reboot -M pc -m 16 \
			-drive if=floppy,index=0,format=raw,file="$work/loop-$1.img" -boot a \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial none -monitor none
	}
	ts=$(time_run run_qemu $SHORT); tl=$(time_run run_qemu $LONG)
	qemu=$(mips "$ts" "$tl")
fi
echo "bench: qemu_tcg_mips $qemu MIPS"

bochs=n/a
if command -v bochs >/dev/null 2>&1 && [ -f /usr/share/bochs/BIOS-bochs-latest ]; then
	for it in $SHORT $LONG; do
		cat > "$work/bochsrc-$it" <<EOB
megs: 16
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
floppya: 1_44=$work/loop-$it.img, status=inserted
boot: floppy
display_library: term
log: /dev/null
debug: action=ignore, unmapped=ignore
panic: action=fatal
clock: sync=none
EOB
	done
	# Debian's Bochs starts in its debugger: "c" continues; the guest stops it
	# by writing "Shutdown" to port 8900h.
	run_bochs() {
		printf 'c\n' | timeout -k 5 600 bochs -q -f "$work/bochsrc-$1"
	}
	ts=$(time_run run_bochs $SHORT); tl=$(time_run run_bochs $LONG)
	bochs=$(mips "$ts" "$tl")
fi
echo "bench: bochs_mips $bochs MIPS"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f\n", a / b }'; }
echo "bench: interp_vs_qemu_tcg $(ratio "$interp" "$qemu") x"
echo "bench: interp_vs_bochs $(ratio "$interp" "$bochs") x"
echo "bench: tcg_lite_vs_qemu_tcg $(ratio "$tcg_lite" "$qemu") x"

# Start-up: process start to the first guest instruction and out again.
t0=$(now)
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$TANDEM" --headless --quiet --fda "$work/loop-$SHORT.img" --max-insns 1 \
		>/dev/null 2>&1
done
t1=$(now)
awk -v d="$((t1 - t0))" 'BEGIN { printf "bench: startup_ms %.2f ms\n", d / 10 / 1e6 }'

# KVM: Debian's kernel + busybox initramfs to init, against QEMU microvm.
sh "$here/kvm_linux.sh" "$TANDEM"

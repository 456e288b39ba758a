#!/bin/sh
# run.sh TANDEM [NAME...]: differential test of the tcg-lite engine against the
# interpreter.  Each guest (tests/guests/NAME.img, its "; tandem-args:" applied) runs
# under --accel interp and --accel tcg-lite, and the two runs must agree on
#   - the exit status, the debug console bytes and the machine saved at the stop
#     (--save-state: registers, cycle and instruction counts, RAM, devices; compared
#     by statecmp.py) and the floppy image afterwards;
#   - the per-instruction trace of the first TRACE_INSNS instructions (compared by
#     SHA-256 through a pipe, so no trace file is kept).
# The interpreter runs REP MOVS/STOS iteration by iteration (TANDEM_REP_BULK=0), so that
# the one-go path both engines otherwise take is checked against its loop.
# tcg-lite runs twice: as threaded code only (TANDEM_TCG_NATIVE=0) and with native code
# for every block from its first entry (TANDEM_TCG_HOT=1); both must agree with the
# interpreter on all of the above (a trace turns native code off, so the trace is
# taken once).
# The RTC is fixed (--rtc 0) so both runs see the same time.  Prints "PASS name" or
# "FAIL name (why)" per guest and a summary line; exits 0 only when all agree.
TRACE_INSNS=${TRACE_INSNS:-400000}
MAX_INSNS=${MAX_INSNS:-60000000}

if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY [NAME...]" >&2
	exit 2
fi
tandem=$1
shift
case "$tandem" in
/*) ;;
*) tandem=$(pwd)/$tandem ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
guests=$(cd "$here/../guests" && pwd)
# Self-modifying, exception-heavy and interrupt-heavy guests, and a spread of models.
[ $# -eq 0 ] && set -- smc smc_pm rep_irq timer_irq cpu_alu cpu_alu_xt cpu_186 exit_codes \
	pm_286 pm_386 pm_v86 pm_task32 pm_debug pm_triple pm_p2 fpu_basic fpu_irq13 fpu_mf \
	fpu_clocks fpu_clocks_xt fpu_nmi_xt \
	state_checksum pic_cmos_uart hw_fdc kbd_keys tcg_native tcg_native32 tcg_rep tcg_pagecache \
	tcg_seglimit trace_186 trace_smc trace_sti
work=$(mktemp -d /tmp/tandem-tcg.XXXXXX) || exit 2
[ -n "$KEEP" ] && echo "work: $work" || trap 'rm -rf "$work"' EXIT
passed=0
failed=0

meta() {	# meta FILE KEY: value of a "; KEY: value" header line
	sed -n "s/^; $2: *//p" "$1" | head -n 1 | tr -d '\r'
}

# one ENGINE NAME ARGS...: full run; leaves status, e9 and state in $work/NAME.ENGINE.*
# ENGINE: interp, tcg-lite (threaded code only) or tcg-native (tcg-lite, native code
# at once)
one() {
	eng=$1 n=$2
	shift 2
	cp "$guests/$n.img" "$work/disk.img"
	case $eng in
	tcg-native) acc=tcg-lite native=1 ;;
	*) acc=$eng native=0 ;;
	esac
	bulk=1
	[ "$eng" = interp ] && bulk=0
	TANDEM_TCG_NATIVE=$native TANDEM_TCG_HOT=1 TANDEM_REP_BULK=$bulk \
	"$tandem" --headless --quiet --rtc 0 --accel "$acc" --fda "$work/disk.img" --boot a \
		--exit-port 0xf4 --debugcon "file:$work/e9" --serial none \
		--max-insns "$MAX_INSNS" --timeout 120 --save-state "$work/state" \
		"$@" < /dev/null > /dev/null 2> "$work/$n.$eng.err"
	echo $? > "$work/$n.$eng.status"
	# Same paths for both engines: the saved state names its files.
	touch "$work/e9" "$work/state"
	mv "$work/e9" "$work/$n.$eng.e9"
	mv "$work/state" "$work/$n.$eng.state"
	cp "$work/disk.img" "$work/$n.$eng.disk"
}

# trace ENGINE NAME ARGS...: SHA-256 of the first TRACE_INSNS trace lines
trace() {
	eng=$1 n=$2
	shift 2
	cp "$guests/$n.img" "$work/disk.img"
	rm -f "$work/fifo"
	mkfifo "$work/fifo" || return
	sha256sum < "$work/fifo" > "$work/$n.$eng.tsum" &
	# Hold a writer open, so the reader sees EOF even if tandem never opens it.
	exec 3> "$work/fifo"
	bulk=1
	[ "$eng" = interp ] && bulk=0
	TANDEM_REP_BULK=$bulk \
	"$tandem" --headless --quiet --rtc 0 --accel "$eng" --fda "$work/disk.img" --boot a \
		--exit-port 0xf4 --debugcon "file:$work/trace.e9" --serial none --max-insns "$TRACE_INSNS" \
		--timeout 120 --trace "$work/fifo" "$@" < /dev/null > /dev/null 2>&1 3>&-
	exec 3>&-
	wait
}

for n in "$@"; do
	src=$guests/$n.asm
	if [ ! -f "$guests/$n.img" ]; then
		echo "FAIL $n (no $n.img: run make)"
		failed=$((failed + 1))
		continue
	fi
	args=$(meta "$src" tandem-args)
	if [ "$(meta "$src" guest-hdd)" = yes ] || [ "$(meta "$src" guest-cdrom)" = yes ]; then
		echo "SKIP $n (needs extra drives)"
		continue
	fi
	why=""
	for eng in interp tcg-lite tcg-native; do
		# shellcheck disable=SC2086 # tandem-args is a word list
		one $eng "$n" $args
	done
	for eng in interp tcg-lite; do
		# shellcheck disable=SC2086
		trace $eng "$n" $args
	done
	a=$work/$n.interp
	for eng in tcg-lite tcg-native; do
		b=$work/$n.$eng
		[ "$(cat "$a.status")" = "$(cat "$b.status")" ] ||
			why="$why $eng: status $(cat "$a.status") vs $(cat "$b.status");"
		cmp -s "$a.e9" "$b.e9" || why="$why $eng: debugcon differs;"
		[ -s "$a.state" ] || why="$why no saved state;"
		python3 "$here/statecmp.py" "$a.state" "$b.state" "$work/disk.img" ||
			why="$why $eng: final machine state differs;"
		cmp -s "$a.disk" "$b.disk" || why="$why $eng: disk contents differ;"
	done
	b=$work/$n.tcg-lite
	[ -s "$a.tsum" ] && cmp -s "$a.tsum" "$b.tsum" || why="$why trace differs;"
	if [ -z "$why" ]; then
		echo "PASS $n (status $(cat "$a.status"))"
		passed=$((passed + 1))
	else
		echo "FAIL $n ($why )"
		failed=$((failed + 1))
	fi
done
echo "tcg: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/sh
# make bench: guest MIPS of tandem's engines (interp, tcg-lite, kvm) on our own
# benchmark guests, bench/loop.asm (real mode) and bench/pm.asm (32-bit
# protected mode with paging), against the peers installed here (QEMU TCG,
# Bochs) and the same instruction mixes run natively (bench/native.asm), all
# measured in this run; then host memory per guest MiB, start-up time and a
# KVM Linux boot.  One line per figure: "bench: NAME VALUE UNIT"; a figure that
# cannot be measured here is n/a, with the reason on stderr.  bench/README.md
# describes each line.  MIPS comes from two runs of different lengths, so boot
# and start-up time cancel out.
TANDEM=${1:-./tandem}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tandem-bench.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
BODY=21				# instructions per iteration, both mixes
SHORT=200000
LONG=${BENCH_ITER:-20000000}
REPS=${BENCH_REPS:-3}		# runs per figure; the fastest counts
KVM_SHORT=20000			# KVM's long run is sized from its speed

now() { date +%s%N; }
say() { echo "bench: $1 $2 $3"; }
why() { echo "run.sh: $1: $2" >&2; }

build() {	# build real|pm ITER -> $work/real-ITER.img, $work/pm-ITER.img
	src=$here/loop.asm
	[ "$1" = pm ] && src=$here/pm.asm
	[ -f "$work/$1-$2.img" ] && return 0
	nasm -f bin -I"$here/" -DITER="$2" -o "$work/$1-$2.img" "$src" || exit 1
	truncate -s 1474560 "$work/$1-$2.img"
}

insns() {	# insns real|pm ITER: instructions the loop runs
	if [ "$1" = real ]; then
		echo $(( $2 * BODY + ($2 / 65536 + 1) * 2 ))
	else
		echo $(( $2 * BODY ))
	fi
}

# time_run CMD...: wall nanoseconds of one run, or "fail" when the run does not
# end with the guest's exit (status 1 for tandem and QEMU; for Bochs, whose
# status says nothing, the caller's command checks).
time_run() {
	t0=$(now)
	"$@" > "$work/out" 2> "$work/err" < /dev/null
	st=$?
	t1=$(now)
	if [ "$st" = 1 ]; then echo $((t1 - t0)); else echo fail; fi
}

# mips MODE ITER_SHORT NS_SHORT ITER_LONG NS_LONG
mips() {
	if [ "$3" = fail ] || [ "$5" = fail ]; then echo n/a; return; fi
	awk -v a="$3" -v b="$5" -v n="$(( $(insns "$1" "$4") - $(insns "$1" "$2") ))" \
		'BEGIN { d = (b - a) / 1e9; if (d <= 0) print "n/a"; else printf "%.1f\n", n / d / 1e6 }'
}

# best_run CMD...: the shortest of REPS runs (the host is shared: the fastest run
# is the one least disturbed), or "fail" when one fails.
best_run() {
	best=fail
	r=0
	while [ $r -lt "$REPS" ]; do
		t=$(time_run "$@")
		[ "$t" = fail ] && { echo fail; return; }
		if [ "$best" = fail ] || [ "$t" -lt "$best" ]; then best=$t; fi
		r=$((r + 1))
	done
	echo "$best"
}

# measure MODE RUNNER [ARGS]: MIPS of "RUNNER [ARGS] MODE ITER" at SHORT and LONG.
measure() {
	mode=$1; shift
	build "$mode" $SHORT; build "$mode" $LONG
	ts=$(best_run "$@" "$mode" $SHORT)
	tl=fail
	[ "$ts" != fail ] && tl=$(best_run "$@" "$mode" $LONG)
	mips "$mode" $SHORT "$ts" $LONG "$tl"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f\n", a / b }'; }

# The protected-mode guest needs a 386; the real-mode one runs on the default
# (80286 on the at board).  kvm refuses models without 32-bit instructions.
cpu_for() {	# cpu_for ENGINE MODE
	if [ "$2" = pm ] || [ "$1" = kvm ]; then echo "--cpu 80386"; fi
}
run_tandem() {	# run_tandem ENGINE MODE ITER
	# shellcheck disable=SC2046
	"$TANDEM" --headless --quiet --accel "$1" $(cpu_for "$1" "$2") \
		--fda "$work/$2-$3.img" --timeout 600
}

# --- tandem's interpreter and tcg-lite ------------------------------------------------
for mode in real pm; do
	sfx=; [ $mode = pm ] && sfx=_pm
	for eng in interp tcg-lite; do
		v=$(measure $mode run_tandem "$eng")
		[ "$v" = n/a ] && why "${eng}$sfx" "tandem failed: $(tail -n 1 "$work/err")"
		eval "tandem_${eng%-lite}_$mode=\$v"
		say "$(echo "$eng" | tr - _)${sfx}_mips" "$v" MIPS
	done
done

# --- QEMU TCG ----------------------------------------------------------------------------
run_qemu() {	# run_qemu MODE ITER
	qemu-system-i386 -accel tcg -display none -no-reboot -M pc -m 16 \
		-drive if=floppy,index=0,format=raw,file="$work/$1-$2.img" -boot a \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial none -monitor none
}
# peer VAR LINE RUNNER MISSING TEST...: a peer's MIPS in both modes, kept in
# $VAR_real and $VAR_pm and said as LINE_mips and LINE_pm_mips; n/a with the
# reason MISSING where the command TEST... fails (the peer is not installed).
peer() {
	var=$1 line=$2 runner=$3 missing=$4
	shift 4
	for mode in real pm; do
		v=n/a
		if "$@" > /dev/null 2>&1; then
			v=$(measure $mode "$runner")
		else
			why "$line" "$missing"
		fi
		eval "${var}_$mode=\$v"
		sfx=; [ $mode = pm ] && sfx=_pm
		say "${line}${sfx}_mips" "$v" MIPS
	done
}
peer qemu qemu_tcg run_qemu "qemu-system-i386 is not installed" command -v qemu-system-i386

# --- Bochs (headless: the term display library) ------------------------------------------
# Debian's Bochs starts in its debugger: "c" continues; the guest stops it by
# writing "Shutdown" to port 8900h.  Its exit status says nothing, so the run
# counts only if Bochs reports that shutdown.
run_bochs() {	# run_bochs MODE ITER
	cat > "$work/bochsrc" <<EOB
megs: 16
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
floppya: 1_44=$work/$1-$2.img, status=inserted
boot: floppy
display_library: term
log: /dev/null
debug: action=ignore, unmapped=ignore
panic: action=fatal
clock: sync=none
EOB
	printf 'c\n' | timeout -k 5 600 bochs -q -f "$work/bochsrc" 2>&1 |
		grep -q "shutdown requested" && return 1
	return 2
}
have_bochs() { command -v bochs && [ -f /usr/share/bochs/BIOS-bochs-latest ]; }
peer bochs bochs run_bochs "bochs or its BIOS (/usr/share/bochs/BIOS-bochs-latest) is missing" \
	have_bochs

# --- tandem on KVM -----------------------------------------------------------------------
# A KVM whose start-up probe fails (a software nested KVM that resets a guest
# enabling paging) is unusable: kvm_mips and kvm_pm_mips are n/a.  Such a KVM
# may still run real mode: TANDEM_KVM_PROBE=real (accel/kvm/README.md) lets
# the real-mode guest run, reported as kvm_real_probe_mips and only then.
# The long run is sized so that it takes about a second beyond the short one.
kvm_measure() {	# kvm_measure MODE: MIPS, or "n/a REASON"
	build "$1" $KVM_SHORT
	ts=$(time_run run_tandem kvm "$1" $KVM_SHORT)
	if [ "$ts" = fail ]; then
		echo "n/a $(grep -m 1 . "$work/err" | sed 's/^tandem: error: //')"
		return
	fi
	it=$((KVM_SHORT * 10))
	while :; do
		build "$1" $it
		tl=$(time_run run_tandem kvm "$1" $it)
		[ "$tl" = fail ] && { echo "n/a the long run failed: $(tail -n 1 "$work/err")"; return; }
		[ $((tl - ts)) -ge 1000000000 ] || [ $it -ge "$LONG" ] && break
		it=$((it * 10))
	done
	mips "$1" $KVM_SHORT "$ts" $it "$tl"
}
kvm_real=$(kvm_measure real)
kvm_pm=$(kvm_measure pm)
kvm_probe_real="n/a the full KVM probe passed: kvm_mips is the figure"
case $kvm_real in
n/a*probe*)
	kvm_probe_real=$(export TANDEM_KVM_PROBE=real; kvm_measure real) ;;
n/a*)
	kvm_probe_real="n/a KVM is not usable at all" ;;
esac
for f in "kvm_mips:$kvm_real" "kvm_pm_mips:$kvm_pm" "kvm_real_probe_mips:$kvm_probe_real"; do
	name=${f%%:*}; v=${f#*:}
	case $v in n/a*) [ "$v" != n/a ] && why "$name" "${v#n/a }"; v=n/a ;; esac
	say "$name" "$v" MIPS
	eval "$name=\$v"
done

# --- natively: the same mixes as a static 32-bit Linux program -----------------------------
# The host is some ten times faster than the emulators: ten times the iterations.
NLONG=$((LONG * 10))
run_native() {	# run_native MODE ITER
	"$work/native-$1-$2"
	[ $? = 0 ] && return 1
	return 2
}
native_build() {	# native_build MODE ITER
	mix=16; [ "$1" = pm ] && mix=32
	nasm -f elf32 -I"$here/" -DMIX=$mix -DITER="$2" -o "$work/native.o" "$here/native.asm" &&
		ld -m elf_i386 -o "$work/native-$1-$2" "$work/native.o"
}
for mode in real pm; do
	v=n/a
	if ! native_build $mode $SHORT 2> "$work/nerr" ||
	   ! native_build $mode $NLONG 2> "$work/nerr"; then
		why native "cannot build the native harness: $(tail -n 1 "$work/nerr")"
	else
		ts=$(time_run run_native $mode $SHORT)
		tl=$(time_run run_native $mode $NLONG)
		v=$(mips $mode $SHORT "$ts" $NLONG "$tl")
		[ "$v" = n/a ] && why native "the host does not run 32-bit programs"
	fi
	eval "native_$mode=\$v"
	sfx=; [ $mode = pm ] && sfx=_pm
	say "native${sfx}_mips" "$v" MIPS
done

# --- ratios ------------------------------------------------------------------------------
say tcg_lite_vs_qemu_tcg "$(ratio "$tandem_tcg_real" "$qemu_real")" x
say interp_vs_bochs "$(ratio "$tandem_interp_real" "$bochs_real")" x
say interp_vs_qemu_tcg "$(ratio "$tandem_interp_real" "$qemu_real")" x
say tcg_lite_pm_vs_qemu_tcg_pm "$(ratio "$tandem_tcg_pm" "$qemu_pm")" x
say interp_pm_vs_bochs_pm "$(ratio "$tandem_interp_pm" "$bochs_pm")" x
say interp_pm_vs_qemu_tcg_pm "$(ratio "$tandem_interp_pm" "$qemu_pm")" x
say kvm_vs_native "$(ratio "$kvm_mips" "$native_real")" x
say kvm_pm_vs_native_pm "$(ratio "$kvm_pm_mips" "$native_pm")" x

# --- host memory per guest MiB -----------------------------------------------------------
# Peak RSS at two RAM sizes of the protected-mode guest built to write every
# 4 KiB page of its RAM (pm.asm -DTOUCH_MIB): the slope is the host memory
# per guest MiB a guest using all its RAM costs, the intercept the fixed
# cost with no guest RAM.  The *_idle_256m lines are the real-mode guest,
# which touches almost nothing: RAM the guest leaves alone costs nothing.
rss_kib() {	# rss_kib CMD...: peak RSS in KiB, or fail
	/usr/bin/time -f '%M' -o "$work/rss" "$@" > /dev/null 2>&1 < /dev/null
	[ $? = 1 ] && tail -n 1 "$work/rss" || echo fail
}
rss_lines() {	# rss_lines PREFIX KIB_16 KIB_256 KIB_IDLE_256
	awk -v p="$1" -v a="$2" -v b="$3" -v c="$4" 'BEGIN {
		if (c == "fail") printf "bench: %s_rss_idle_256m n/a MiB\n", p
		else printf "bench: %s_rss_idle_256m %.1f MiB\n", p, c / 1024
		if (a == "fail" || b == "fail") {
			printf "bench: %s_rss_16m n/a MiB\nbench: %s_rss_256m n/a MiB\n", p, p
			printf "bench: %s_mib_per_guest_mib n/a x\n", p
			printf "bench: %s_rss_overhead_mib n/a MiB\n", p
			exit
		}
		a /= 1024; b /= 1024; s = (b - a) / 240
		printf "bench: %s_rss_16m %.1f MiB\nbench: %s_rss_256m %.1f MiB\n", p, a, p, b
		printf "bench: %s_mib_per_guest_mib %.3f x\n", p, s
		printf "bench: %s_rss_overhead_mib %.1f MiB\n", p, a - 16 * s
	}'
}
rss_qemu() {	# rss_qemu MIB IMAGE
	if command -v qemu-system-i386 > /dev/null 2>&1; then
		rss_kib qemu-system-i386 -accel tcg -display none -no-reboot -M pc -m "$1" \
			-drive if=floppy,index=0,format=raw,file="$2" -boot a \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial none -monitor none
	else
		echo fail
	fi
}
if [ -x /usr/bin/time ]; then
	for mb in 16 256; do
		img=$work/touch-$mb.img
		nasm -f bin -I"$here/" -DITER=1000 -DTOUCH_MIB=$mb -o "$img" "$here/pm.asm" || exit 1
		truncate -s 1474560 "$img"
		eval "t$mb=\$(rss_kib \"\$TANDEM\" --headless --quiet --cpu 80386 -m ${mb}M \
			--fda \"\$img\" --timeout 600)"
		eval "q$mb=\$(rss_qemu $mb \"\$img\")"
	done
	ti=$(rss_kib "$TANDEM" --headless --quiet -m 256M --fda "$work/real-$SHORT.img" --timeout 600)
	qi=$(rss_qemu 256 "$work/real-$SHORT.img")
	rss_lines tandem "$t16" "$t256" "$ti"
	rss_lines qemu_tcg "$q16" "$q256" "$qi"
else
	why rss "/usr/bin/time (Debian package time) is missing"
	rss_lines tandem fail fail fail
	rss_lines qemu_tcg fail fail fail
fi

# --- start-up ----------------------------------------------------------------------------
# Process start (the launcher's clock just before exec) to the first guest
# instruction, from tandem's TANDEM_STARTUP_TRACE printout: the median of 21
# runs, for the default engine choice (auto) and for interp.  startup_process_ms
# is the whole process with --max-insns 1 (start-up, one instruction, exit).
startup() {	# startup ACCEL: median ms to the first guest instruction
	i=0
	: > "$work/st"
	while [ $i -lt 21 ]; do
		TANDEM_STARTUP_TRACE=1 bash -c 'export TANDEM_T0_US=${EPOCHREALTIME/./}; exec "$@"' \
			sh "$TANDEM" --headless --quiet --accel "$1" --fda "$work/real-$SHORT.img" \
			--max-insns 1 2>&1 > /dev/null | awk '/startup: first-insn/ { print $4 }' >> "$work/st"
		i=$((i + 1))
	done
	sort -n "$work/st" | awk '{ v[NR] = $1 } END { if (NR < 21) print "n/a"; else printf "%.2f\n", v[11] }'
}
if command -v bash > /dev/null 2>&1; then
	say startup_ms "$(startup auto)" ms
	say startup_interp_ms "$(startup interp)" ms
else
	why startup "bash (for EPOCHREALTIME) is missing"
	say startup_ms n/a ms
	say startup_interp_ms n/a ms
fi
t0=$(now)
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$TANDEM" --headless --quiet --fda "$work/real-$SHORT.img" --max-insns 1 > /dev/null 2>&1
done
t1=$(now)
awk -v d="$((t1 - t0))" 'BEGIN { printf "bench: startup_process_ms %.2f ms\n", d / 10 / 1e6 }'

# KVM: Debian's kernel + busybox initramfs to init, against QEMU microvm.
sh "$here/kvm_linux.sh" "$TANDEM"

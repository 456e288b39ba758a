#!/bin/sh
# run.sh TANDEM: the monitor (--monitor, docs/monitor.md) and --handoff-at.
#
# The guest is tests/kvm/handoff.asm, a long checksum in real mode with IRQ0 ticking;
# its debug-console output from one run on the interpreter alone is the reference.
# - monitor: a client on a unix socket drives a run started with --start-paused:
#   info registers at the reset vector, exact steps, hand-offs interp -> tcg-lite ->
#   interp between steps, x on the boot sector (against the image's bytes) and out of
#   range (an error line), wrong commands (error lines), savestate, then cont: the
#   output must be the reference's.
# - loadstate: a new process loads that state through the monitor and runs on: the
#   same final checksum and instruction count as the reference.
# - --smp 4 (tests/guests/smp_cksum.asm): info cpus, cpu N, info registers of an AP
#   (waiting for SIPI, then running), steps and hand-offs interp -> tcg-lite -> interp,
#   savestate, cont: the interpreter's output and count; a loadstate of that state in a
#   new process on tcg-lite ends the same.
# - the monitor on stdio and on loopback TCP; bad --monitor/--handoff-at options.
# - --handoff-at on interp <-> tcg-lite, both ways, at the outer loop's CALL (61 times)
#   and as SEG:OFF, and in the inner loop (183,061 times): exactly that many hand-offs
#   and the reference's output.
# - --smp 4: smp_cksum handed between interp and tcg-lite at its APIC timer handler
#   (the reference's output and count) and every N instructions (its output).
# - under KVM (when usable, as tests/kvm/run.sh decides; else visible SKIP lines):
#   --handoff-at kvm <-> interp, and the monitor's handoff interp -> kvm -> interp, also
#   with --smp 2 (tests/kvm/smp_real.asm, whose APs KVM starts).
# Prints PASS/FAIL/SKIP lines and "monitor: N passed, N failed, N skipped".
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
T=$1
case "$T" in /*) ;; *) T=$(pwd)/$T ;; esac
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tandem-monitor.XXXXXX) || exit 2
trap '[ -n "$KEEP" ] || rm -rf "$work"' EXIT
passed=0
failed=0
skipped=0
ok() { echo "PASS monitor/$1"; passed=$((passed + 1)); }
bad() { echo "FAIL monitor/$1 ($2)"; failed=$((failed + 1)); }
skip() { echo "SKIP monitor/$1 ($2)"; skipped=$((skipped + 1)); }

if ! command -v python3 > /dev/null; then
	echo "SKIP monitor (needs python3 for the socket client)"
	echo "monitor: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
nasm -f bin -I "$here/../guests/" -l "$work/g.lst" -o "$work/g.img" \
	"$here/../kvm/handoff.asm" || exit 2
truncate -s 1474560 "$work/g.img"
# Linear addresses (org 7C00h) of the outer loop's CALL and the inner loop's head.
off() { printf '%x' $((0x7c00 + 0x$(grep -m 1 "$1" "$work/g.lst" | awk '{print $2}'))); }
call_at=$(off 'call	mix_strings')
inner_at=$(off 'mov	ax, si')

run() {	# run TAG ARGS...: the guest on its own image copy (IMG=TAG2: on TAG2's, as a
	# saved state wants); TAG.e9, TAG.err, TAG.st
	tag=$1
	shift
	img=$work/${IMG:-$tag}.img
	[ -n "$IMG" ] || cp "$work/g.img" "$img"
	"$T" --headless --fda "$img" --boot a --exit-port 0xf4 \
		--debugcon "file:$work/$tag.e9" --timeout 60 "$@" < /dev/null \
		> "$work/$tag.out" 2> "$work/$tag.err"
	echo $? > "$work/$tag.st"
}
insns() { sed -n 's/.*after \([0-9]*\) instructions$/\1/p' "$work/$1.err" | tail -n 1; }
handoffs() {
	n=$(sed -n 's/.*handed the guest between engines \([0-9]*\) times.*/\1/p' \
		"$work/$1.err")
	echo "${n:-0}"
}

run ref --accel interp
if [ "$(cat "$work/ref.st")" != 1 ] || ! grep -q '^checksum' "$work/ref.e9"; then
	bad reference "the interpreter run exited $(cat "$work/ref.st")"
	echo "monitor: $passed passed, $failed failed, $skipped skipped"
	exit 1
fi

# monitor_run TAG SCRIPT ARGS...: tandem with a monitor on a unix socket, driven by the
# client with the commands in SCRIPT; the transcript goes to TAG.log.
monitor_run() {
	tag=$1
	script=$2
	shift 2
	sock=$work/$tag.sock
	run "$tag" --monitor "unix:$sock" "$@" &
	python3 "$here/client.py" "$sock" < "$script" > "$work/$tag.log" 2>&1
	wait
}
has() { grep -qF -- "$2" "$work/$1.log"; }

# -- the monitor drives a run: registers, steps, hand-offs, x, errors, savestate --
boot16=$(od -An -tx1 -N16 "$work/g.img" | sed 's/^ *//; s/  */ /g')
cat > "$work/a.cmd" <<EOF
info registers
step 300000
info registers
handoff tcg-lite
info engine
step 400000
handoff interp
info engine
handoff interp
handoff warp
step 300000
x 7c00 16
x 0:7c00 16
x 0xfffffff0 32
x 0x7c00 0
x
bogus command
step -3
savestate $work/a.state
cont
EOF
monitor_run a "$work/a.cmd" --accel interp --start-paused
why=""
has a "EIP=0000fff0 " || why="$why no reset EIP in info registers;"
has a "CS =f000 " || why="$why no reset CS;"
has a "insns=0 cycles=0 engine=interp" || why="$why not stopped at 0 instructions;"
has a "stepped 300000 instructions" || why="$why step 300000 did not say so;"
has a "insns=300000 " || why="$why not at 300000 after the step;"
has a "handed off interp -> tcg-lite" || why="$why no hand-off to tcg-lite;"
has a "engine tcg-lite; 1 hand-offs; guest stopped" || why="$why info engine (tcg-lite);"
has a "handed off tcg-lite -> interp at" || why="$why no hand-off back;"
has a "engine interp; 2 hand-offs" || why="$why info engine (interp);"
has a "error: handoff: the guest already runs on interp" || why="$why same-engine hand-off;"
has a "error: handoff: warp:" || why="$why unknown engine;"
[ "$(grep -c "^00007c00: $boot16 " "$work/a.log")" = 2 ] ||
	why="$why x 7c00 is not the boot sector's bytes;"
has a "error: x: 0xfffffff0..0x10000000f is not all RAM or ROM" || why="$why x past RAM;"
has a "error: x: LEN must be 1 to" || why="$why x with LEN 0;"
has a "error: usage: x ADDR LEN" || why="$why x without arguments;"
has a "error: unknown command 'bogus'" || why="$why unknown command;"
has a "error: step: N must be" || why="$why step -3;"
has a "saved to $work/a.state" || why="$why savestate;"
has a "machine stopped: guest wrote 0 to the exit port" || why="$why no goodbye;"
[ "$(cat "$work/a.st")" = 1 ] || why="$why exit status $(cat "$work/a.st");"
cmp -s "$work/ref.e9" "$work/a.e9" || why="$why output differs from the interpreter's;"
[ "$(insns a)" = "$(insns ref)" ] || why="$why $(insns a) instructions, not $(insns ref);"
if [ -z "$why" ]; then ok "drive (steps, hand-offs interp/tcg-lite, x, errors)"
else bad drive "${why%;}; see $(tail -n 3 "$work/a.log" | tr '\n' ' ')"; fi

# -- loadstate in a new process: the same end as the reference --
printf 'loadstate %s\ninfo registers\nloadstate %s\ncont\n' "$work/a.state" \
	"$work/missing.state" > "$work/b.cmd"
IMG=a
monitor_run b "$work/b.cmd" --accel tcg-lite --start-paused
IMG=
why=""
has b "loaded $work/a.state: at " || why="$why loadstate did not say so;"
has b "insns=1000000 " || why="$why not at 1000000 instructions after loading;"
has b "error: loadstate: " || why="$why a missing file gave no error line;"
[ "$(cat "$work/b.st")" = 1 ] || why="$why exit status $(cat "$work/b.st");"
[ "$(grep '^checksum' "$work/b.e9")" = "$(grep '^checksum' "$work/ref.e9")" ] ||
	why="$why checksum '$(grep '^checksum' "$work/b.e9")';"
[ "$(insns b)" = "$(insns ref)" ] || why="$why $(insns b) instructions, not $(insns ref);"
if [ -z "$why" ]; then ok "savestate, loadstate in a new process"
else bad loadstate "${why%;}"; fi

# -- several CPUs (--smp 4): info cpus, cpu N, steps, hand-offs, savestate, loadstate --
# The guest is tests/guests/smp_cksum.asm (every CPU computes while its APIC timer
# ticks); its run on the interpreter alone is the reference, output and instruction
# count (the boot CPU's, as step counts).
nasm -f bin -I "$here/../guests/" -o "$work/smp.img" "$here/../guests/smp_cksum.asm" || exit 2
truncate -s 1474560 "$work/smp.img"
smp="--cpu pentium2 --smp 4"
srun() {	# srun TAG ARGS...: run with the SMP guest's image
	cp "$work/smp.img" "$work/$1.img"
	IMG=$1 run "$@"
}
# shellcheck disable=SC2086
srun sref --accel interp $smp
cat > "$work/s.cmd" <<EOF
info cpus
cpu 1
info registers
cpu 4
step 4500000
info cpus
cpu 2
info registers
handoff tcg-lite
step 300000
savestate $work/s.state
handoff interp
cont
EOF
cp "$work/smp.img" "$work/s.img"
IMG=s
# shellcheck disable=SC2086
monitor_run s "$work/s.cmd" --accel interp $smp --start-paused
why=""
has s "* CPU #0: CS:EIP=f000:0000fff0 running insns=0" || why="$why info cpus at reset;"
has s "  CPU #3: CS:EIP=f000:0000fff0 waiting for a start-up IPI" || why="$why AP 3 at reset;"
has s "CPU #1 selected" || why="$why cpu 1;"
has s "CPU #1 (waiting for a start-up IPI)" || why="$why info registers of AP 1;"
has s "error: cpu: N must be 0 to 3 (this machine has 4 CPUs)" || why="$why cpu 4;"
has s "stepped 4500000 instructions" || why="$why step;"
grep -q "^. CPU #1: CS:EIP=0008:.* running insns=[1-9]" "$work/s.log" || why="$why AP 1 not running;"
grep -A 5 "^CPU #2$" "$work/s.log" | grep -q "^CS =0008 " || why="$why AP 2 not in its 32-bit code;"
has s "handed off interp -> tcg-lite" || why="$why hand-off to tcg-lite;"
has s "saved to $work/s.state" || why="$why savestate;"
has s "handed off tcg-lite -> interp" || why="$why hand-off back;"
[ "$(cat "$work/s.st")" = 1 ] || why="$why exit status $(cat "$work/s.st");"
cmp -s "$work/sref.e9" "$work/s.e9" || why="$why output differs from the reference;"
[ "$(insns s)" = "$(insns sref)" ] || why="$why $(insns s) instructions, not $(insns sref);"
if [ -z "$why" ]; then ok "--smp 4: info cpus, cpu N, steps, hand-offs, savestate"
else bad "smp drive" "${why%;}; $(tail -n 3 "$work/s.log" | tr '\n' ' ')"; fi
printf 'loadstate %s\ncpu 3\ninfo registers\ncont\n' "$work/s.state" > "$work/t.cmd"
IMG=s
# shellcheck disable=SC2086
monitor_run t "$work/t.cmd" --accel tcg-lite $smp --start-paused
IMG=
why=""
has t "loaded $work/s.state: at " || why="$why loadstate;"
has t "after 4800000 instructions" || why="$why not at 4800000 instructions after loading;"
has t "CPU #3" || why="$why info registers of AP 3;"
[ "$(cat "$work/t.st")" = 1 ] || why="$why exit status $(cat "$work/t.st");"
[ "$(tail -n 4 "$work/t.e9")" = "$(tail -n 4 "$work/sref.e9")" ] || why="$why output differs;"
[ "$(insns t)" = "$(insns sref)" ] || why="$why $(insns t) instructions, not $(insns sref);"
if [ -z "$why" ]; then ok "--smp 4: loadstate in a new process"
else bad "smp loadstate" "${why%;}; $(tail -n 3 "$work/t.log" | tr '\n' ' ')"; fi

# -- stdio and loopback TCP --
printf 'info engine\nquit\n' | "$T" --headless --accel interp --fda "$work/g.img" \
	--monitor stdio --start-paused --timeout 20 > "$work/stdio.out" 2> "$work/stdio.err"
st=$?
if [ "$st" = 0 ] && grep -q 'engine interp; 0 hand-offs; guest stopped' "$work/stdio.out" &&
	grep -q 'bye$' "$work/stdio.out"; then ok stdio
else bad stdio "status $st, $(tr '\n' ' ' < "$work/stdio.out")"; fi
port=$((20000 + $$ % 20000))
printf 'info engine\nquit\n' > "$work/tcp.cmd"
"$T" --headless --accel interp --fda "$work/g.img" --monitor "tcp:127.0.0.1:$port" \
	--start-paused --timeout 20 > /dev/null 2> "$work/tcp.err" &
python3 "$here/client.py" "127.0.0.1:$port" < "$work/tcp.cmd" > "$work/tcp.log" 2>&1
wait $!
st=$?
if [ "$st" = 0 ] && grep -q 'engine interp; 0 hand-offs' "$work/tcp.log"; then ok tcp
else bad tcp "status $st, $(tr '\n' ' ' < "$work/tcp.log") $(cat "$work/tcp.err")"; fi

# -- bad options: one line, status 2 --
for args in "--monitor bogus" "--monitor tcp:192.0.2.1:4444" "--monitor tcp:127.0.0.1:0" \
	"--handoff-at xyz" "--handoff-at 10000:0" "--start-paused" \
	"--handoff-to interp" "--handoff-to warp --handoff-at 7c00" \
	"--accel interp --handoff-at 7c00 --handoff-to interp"; do
	# shellcheck disable=SC2086
	"$T" --headless --quiet --fda "$work/g.img" $args --timeout 5 < /dev/null \
		> /dev/null 2> "$work/badopt.err"
	st=$?
	if [ "$st" = 2 ] && [ "$(wc -l < "$work/badopt.err")" = 1 ]; then ok "bad option: $args"
	else bad "bad option: $args" "status $st, $(cat "$work/badopt.err")"; fi
done

# -- --handoff-at between interp and tcg-lite: exact counts --
check_at() {	# NAME ADDR EXPECTED FROM TO
	run at --accel "$4" --handoff-at "$2" --handoff-to "$5"
	why=""
	[ "$(cat "$work/at.st")" = 1 ] || why="$why status $(cat "$work/at.st");"
	cmp -s "$work/ref.e9" "$work/at.e9" || why="$why output differs;"
	[ "$(handoffs at)" = "$3" ] || why="$why $(handoffs at) hand-offs, not $3;"
	[ "$(insns at)" = "$(insns ref)" ] || why="$why $(insns at) instructions;"
	if [ -z "$why" ]; then ok "handoff-at $1 $4->$5 ($3 hand-offs)"
	else bad "handoff-at $1 $4->$5" "${why%;}"; fi
}
check_at call "$call_at" 61 interp tcg-lite
check_at call "$call_at" 61 tcg-lite interp
check_at seg:off "0:$call_at" 61 interp tcg-lite
check_at inner "0x$inner_at" 183061 tcg-lite interp

# -- hand-offs with --smp 4: smp_cksum's every CPU handed between interp and tcg-lite --
# At its APIC timer handler (every CPU's ticks: most hand-offs happen in an AP's turn,
# which the next run finishes before the boot CPU goes on): the reference's output and
# instruction count.  Every 33,333 and every 7,777 boot CPU instructions: the
# reference's output (a hand-off point inside a REP string instruction of the BIOS
# restarts it with its start-up clocks charged again, so the count may move).
nasm -f bin -I "$here/../guests/" -l "$work/smp.lst" -o /dev/null \
	"$here/../guests/smp_cksum.asm" || exit 2
isr_at=$(printf '%x' $((0x7c00 + 0x$(grep -A 1 'timer_isr:' "$work/smp.lst" | tail -n 1 |
	awk '{print $2}'))))
for pair in "interp tcg-lite" "tcg-lite interp"; do
	# shellcheck disable=SC2086 # two words
	set -- $pair
	# shellcheck disable=SC2086
	srun sho --accel "$1" --handoff-at "$isr_at" --handoff-to "$2" $smp
	why=""
	[ "$(cat "$work/sho.st")" = 1 ] || why="$why status $(cat "$work/sho.st");"
	cmp -s "$work/sref.e9" "$work/sho.e9" || why="$why output differs;"
	[ "$(handoffs sho)" -ge 50 ] || why="$why $(handoffs sho) hand-offs, not 50+;"
	[ "$(insns sho)" = "$(insns sref)" ] || why="$why $(insns sho) instructions;"
	if [ -z "$why" ]; then ok "--smp 4 handoff-at the timer handler $1->$2 ($(handoffs sho))"
	else bad "--smp 4 handoff-at $1->$2" "${why%;}"; fi
done
for n in 33333 7777; do
	# shellcheck disable=SC2086
	srun shn --accel interp --handoff-after-insns $n --handoff-to tcg-lite $smp
	why=""
	[ "$(cat "$work/shn.st")" = 1 ] || why="$why status $(cat "$work/shn.st");"
	cmp -s "$work/sref.e9" "$work/shn.e9" || why="$why output differs;"
	[ "$(handoffs shn)" -ge $(($(insns sref) / n - 1)) ] ||
		why="$why only $(handoffs shn) hand-offs;"
	if [ -z "$why" ]; then ok "--smp 4 handoff-after-insns $n ($(handoffs shn) hand-offs)"
	else bad "--smp 4 handoff-after-insns $n" "${why%;}"; fi
done

# -- KVM, when usable (see tests/kvm/run.sh) --
"$T" --headless --accel kvm --cpu host --timeout 1 --serial none < /dev/null \
	> /dev/null 2> "$work/probe.err"
kvm_why=""
if grep -q "kvm engine is not usable\|not in this build\|unknown engine" "$work/probe.err"
then
	if grep -q "real mode works" "$work/probe.err"; then
		echo "monitor: NOTE: this KVM runs real mode only; the real-mode guest runs" \
			"with TANDEM_KVM_PROBE=real"
		TANDEM_KVM_PROBE=real
		export TANDEM_KVM_PROBE
	else
		kvm_why=$(grep -a -m 1 "kvm" "$work/probe.err" | sed 's/^tandem: error: //')
	fi
fi
if [ -n "$kvm_why" ]; then
	skip "handoff-at kvm" "$kvm_why"
	skip "handoff kvm" "$kvm_why"
	skip "smp handoff kvm" "$kvm_why"
else
	for from in kvm interp; do
		if [ $from = kvm ]; then args="--accel kvm --cpu host"
		else args="--accel interp --cpu pentium2"; fi
		# shellcheck disable=SC2086
		run kat $args --handoff-at "$call_at"
		why=""
		[ "$(cat "$work/kat.st")" = 1 ] || why="$why status $(cat "$work/kat.st");"
		cmp -s "$work/ref.e9" "$work/kat.e9" || why="$why output differs;"
		# One or more per CALL: an interrupt taken just before it makes two.
		[ "$(handoffs kat)" -ge 61 ] || why="$why $(handoffs kat) hand-offs, not 61+;"
		if [ -z "$why" ]; then ok "handoff-at kvm ($from first, $(handoffs kat) hand-offs)"
		else bad "handoff-at kvm ($from first)" "${why%;}; $(tail -n 1 "$work/kat.err")"
		fi
	done
	printf 'step 300000\nhandoff kvm\ninfo engine\nstep 5\ncont\nhandoff interp\n' \
		> "$work/k.cmd"
	monitor_run k "$work/k.cmd" --accel interp --cpu pentium2 --start-paused
	why=""
	has k "handed off interp -> kvm" || why="$why no hand-off to kvm;"
	has k "engine kvm; 1 hand-offs" || why="$why info engine;"
	has k "error: step: KVM cannot count" || why="$why step on kvm;"
	has k "handed off kvm -> interp" || why="$why no hand-off back to interp;"
	[ "$(cat "$work/k.st")" = 1 ] || why="$why status $(cat "$work/k.st");"
	cmp -s "$work/ref.e9" "$work/k.e9" || why="$why output differs;"
	if [ -z "$why" ]; then ok "handoff interp -> kvm -> interp (monitor)"
	else bad "handoff kvm" "${why%;}; $(tr '\n' ' ' < "$work/k.log")"; fi
	# --smp 2: tests/kvm/smp_real.asm (real mode) stepped on the interpreter to just
	# before its start-up IPIs (CPU 1 waits for one), handed to KVM, which starts and
	# runs both CPUs (info cpus there), then back.
	nasm -f bin -I "$here/../guests/" -o "$work/sr.img" "$here/../kvm/smp_real.asm" ||
		exit 2
	truncate -s 1474560 "$work/sr.img"
	cp "$work/sr.img" "$work/srref.img"
	IMG=srref run srref --accel interp --cpu pentium2 --smp 2
	cp "$work/sr.img" "$work/ks.img"
	printf 'step 4000000\nhandoff kvm\ninfo cpus\ncont\nhandoff interp\n' > "$work/ks.cmd"
	IMG=ks
	monitor_run ks "$work/ks.cmd" --accel interp --cpu pentium2 --smp 2 --start-paused
	IMG=
	why=""
	has ks "handed off interp -> kvm" || why="$why no hand-off to kvm;"
	grep -q "^  CPU #1: CS:EIP=" "$work/ks.log" || why="$why no CPU 1 in info cpus;"
	has ks "handed off kvm -> interp" || why="$why no hand-off back to interp;"
	[ "$(cat "$work/ks.st")" = 1 ] || why="$why status $(cat "$work/ks.st");"
	cmp -s "$work/srref.e9" "$work/ks.e9" || why="$why output differs;"
	if [ -z "$why" ]; then ok "--smp 2: handoff interp -> kvm -> interp (monitor)"
	else bad "smp handoff kvm" "${why%;}; $(tr '\n' ' ' < "$work/ks.log")"; fi
fi

echo "monitor: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]

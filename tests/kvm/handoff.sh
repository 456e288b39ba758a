#!/bin/sh
# handoff.sh TANDEM [N...]: tests/kvm/handoff.asm computes a long checksum in real mode with
# IRQ0 ticking; run once on the interpreter alone and once moved between KVM and the
# interpreter every ~N instructions (--handoff-after-insns), the debug-console output must
# be byte for byte the same, the guest must pass, and at least 2 hand-offs must happen.
# Runs once per N (default: 150000 and 1000000; short periods catch state that is lost,
# long ones give KVM a real share of the work).
# Then tests/kvm/smp_real.asm with --smp 2 every ~N instructions (150000, 1000000): the
# interpreter's output, every CPU's state moving with each hand-off; and saved on the
# interpreter with the APs mid-work, resumed under KVM.
# Then tests/kvm/kvmclock.asm (kvmclock under --cpu host) runs moved between the engines,
# with --handoff-at and --handoff-after-insns 150000; it checks its own time.  Under
# --cpu pentium2 it must find no kvmclock.
# SKIP (exit 0) when KVM is unusable; on a KVM that only runs real mode (see run.sh) the
# test still runs, since the guest stays in real mode.
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY [N]" >&2
	exit 2
fi
tandem=$1
shift
[ $# -gt 0 ] || set -- 150000 1000000
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tandem-handoff.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT

"$tandem" --headless --accel kvm --cpu host --timeout 1 --serial none < /dev/null \
	> /dev/null 2> "$work/probe.err"
if grep -q "kvm engine is not usable\|not in this build" "$work/probe.err"; then
	if grep -q "real mode works" "$work/probe.err"; then
		echo "kvm: NOTE: this KVM runs real mode only; the real-mode hand-off guest runs" \
			"with TANDEM_KVM_PROBE=real"
		TANDEM_KVM_PROBE=real
		export TANDEM_KVM_PROBE
	else
		echo "SKIP kvm handoff ($(grep -m 1 "kvm" "$work/probe.err" | sed 's/^tandem: error: //'))"
		exit 0
	fi
fi
if ! nasm -f bin -I "$here/../guests/" -o "$work/g.img" "$here/handoff.asm"; then
	echo "FAIL kvm handoff (cannot assemble handoff.asm)"
	exit 1
fi
truncate -s 1474560 "$work/g.img"
cp "$work/g.img" "$work/ref.img"
"$tandem" --headless --accel interp --fda "$work/ref.img" --boot a --exit-port 0xf4 \
	--debugcon "file:$work/ref.e9" --timeout 60 < /dev/null > /dev/null 2> "$work/ref.err"
ref=$?
fails=0
for n in "$@"; do
	cp "$work/g.img" "$work/ho.img"
	"$tandem" --headless --accel kvm --cpu host --handoff-after-insns "$n" \
		--fda "$work/ho.img" --boot a --exit-port 0xf4 --debugcon "file:$work/ho.e9" \
		--timeout 60 < /dev/null > /dev/null 2> "$work/ho.err"
	st=$?
	count=$(sed -n 's/.*handed the guest between engines \([0-9]*\) times.*/\1/p' \
		"$work/ho.err")
	why=""
	[ "$ref" = 1 ] || why="reference run (interp) exited $ref;"
	[ "$st" = 1 ] || why="$why hand-off run exited $st;"
	cmp -s "$work/ref.e9" "$work/ho.e9" || why="$why output differs from the interpreter's;"
	[ "${count:-0}" -ge 2 ] || why="$why only ${count:-0} hand-offs;"
	if [ -z "$why" ]; then
		echo "PASS kvm handoff-$n ($count hand-offs every ~$n instructions;" \
			"$(grep '^checksum' "$work/ho.e9"))"
	else
		echo "FAIL kvm handoff-$n (${why%;}; stderr: $(grep -a . "$work/ho.err" | tail -n 1))"
		fails=$((fails + 1))
	fi
done

# kvmclock.asm (the kvmclock paravirtual clock, --cpu host) moved between the engines: with
# --handoff-at its handoff_point (each phase on the other engine, the MSRs written on the
# interpreter), and every ~150000 instructions.  The guest checks its own time.
if ! nasm -f bin -I "$here/../guests/" -l "$work/kc.lst" -o "$work/kc.img" \
	"$here/kvmclock.asm"; then
	echo "FAIL kvm kvmclock-handoff (cannot assemble kvmclock.asm)"
	exit 1
fi
truncate -s 1474560 "$work/kc.img"
off=$(awk '/handoff_point:$/ { getline; print $2; exit }' "$work/kc.lst")
at=$(printf '%X' $((0x7c00 + 0x${off:-0})))
for how in "--handoff-at $at" "--handoff-after-insns 150000"; do
	name=kvmclock-handoff-${how#--handoff-}
	name=${name% *}
	"$tandem" --headless --accel kvm --cpu host $how --fda "$work/kc.img" --boot a \
		--exit-port 0xf4 --debugcon "file:$work/kc.e9" --timeout 60 < /dev/null \
		> /dev/null 2> "$work/kc.err"
	st=$?
	count=$(sed -n 's/.*handed the guest between engines \([0-9]*\) times.*/\1/p' \
		"$work/kc.err")
	if [ "$st" = 1 ] && [ "${count:-0}" -ge 2 ]; then
		echo "PASS kvm $name ($count hand-offs;" \
			"$(grep '^kvmclock advanced' "$work/kc.e9" | sed 's/kvmclock advanced //' |
			   tr '\n' ' ' | sed 's/ $//'))"
	else
		echo "FAIL kvm $name (status $st, ${count:-0} hand-offs; last debugcon line:" \
			"$(grep -a . "$work/kc.e9" 2>/dev/null | tail -n 1))"
		fails=$((fails + 1))
	fi
done
# smp_real.asm (--smp 2, real mode; the BSP reaches its APIC in big real mode) moved
# between KVM and the interpreter with every CPU's state, every ~N instructions: its
# output (how many APs came, every CPU's checksum) must be the interpreter's alone.
if ! nasm -f bin -I "$here/../guests/" -o "$work/sr.img" "$here/smp_real.asm"; then
	echo "FAIL kvm smp-handoff (cannot assemble smp_real.asm)"
	exit 1
fi
truncate -s 1474560 "$work/sr.img"
cp "$work/sr.img" "$work/srref.img"
"$tandem" --headless --accel interp --cpu pentium2 --smp 2 --fda "$work/srref.img" --boot a \
	--exit-port 0xf4 --debugcon "file:$work/srref.e9" --timeout 60 < /dev/null \
	> /dev/null 2> "$work/srref.err"
srref=$?
for n in 150000 1000000; do
	cp "$work/sr.img" "$work/srho.img"
	"$tandem" --headless --accel kvm --cpu host --smp 2 --handoff-after-insns "$n" \
		--fda "$work/srho.img" --boot a --exit-port 0xf4 --debugcon "file:$work/srho.e9" \
		--timeout 60 < /dev/null > /dev/null 2> "$work/srho.err"
	st=$?
	count=$(sed -n 's/.*handed the guest between engines \([0-9]*\) times.*/\1/p' \
		"$work/srho.err")
	why=""
	[ "$srref" = 1 ] || why="reference run (interp) exited $srref;"
	[ "$st" = 1 ] || why="$why hand-off run exited $st;"
	cmp -s "$work/srref.e9" "$work/srho.e9" || why="$why output differs from the interpreter's;"
	[ "${count:-0}" -ge 2 ] || why="$why only ${count:-0} hand-offs;"
	if [ -z "$why" ]; then
		echo "PASS kvm smp-handoff-$n (--smp 2: $count hand-offs every ~$n instructions;" \
			"sums $(sed -n 3p "$work/srho.e9" | sed 's/ *$//'))"
	else
		echo "FAIL kvm smp-handoff-$n (${why%;}; stderr: $(grep -a . "$work/srho.err" |
			tail -n 1))"
		fails=$((fails + 1))
	fi
done
# A state of smp_real saved on the interpreter (--cpu pentium2 --smp 2) with the APs
# mid-work, 250000 and 100000 instructions before the end, loaded under KVM (which writes
# the AP's saved registers into its vCPU): the two halves of the output are the
# interpreter's whole.
srtotal=$(sed -n 's/.*after \([0-9]*\) instructions.*/\1/p' "$work/srref.err" | tail -n 1)
for off in 250000 100000; do
	[ -n "$srtotal" ] || break
	cp "$work/sr.img" "$work/srs.img"
	"$tandem" --headless --accel interp --cpu pentium2 --smp 2 --fda "$work/srs.img" \
		--boot a --exit-port 0xf4 --debugcon "file:$work/srs1.e9" \
		--max-insns $((srtotal - off)) --save-state "$work/sr.state" < /dev/null \
		> /dev/null 2> "$work/srs1.err"
	st1=$?
	"$tandem" --headless --accel kvm --cpu pentium2 --smp 2 --fda "$work/srs.img" --boot a \
		--exit-port 0xf4 --debugcon "file:$work/srs2.e9" --load-state "$work/sr.state" \
		--timeout 60 < /dev/null > /dev/null 2> "$work/srs2.err"
	st2=$?
	if [ "$st1" = 8 ] && [ "$st2" = 1 ] &&
		cat "$work/srs1.e9" "$work/srs2.e9" | cmp -s - "$work/srref.e9"; then
		echo "PASS kvm smp-savestate-$off (--smp 2 saved on interp $off instructions" \
			"before the end, resumed under KVM)"
	else
		echo "FAIL kvm smp-savestate-$off (status $st1 then $st2; $(grep -a . \
			"$work/srs2.err" | tail -n 1))"
		fails=$((fails + 1))
	fi
done
# A named model under KVM is not offered kvmclock: the guest stops at its CPUID check.
"$tandem" --headless --accel kvm --cpu pentium2 --fda "$work/kc.img" --boot a \
	--exit-port 0xf4 --debugcon "file:$work/kn.e9" --timeout 60 < /dev/null \
	> /dev/null 2> "$work/kn.err"
st=$?
if [ "$st" = 3 ] && grep -q "no KVM signature" "$work/kn.e9"; then
	echo "PASS kvm kvmclock-named-model (--cpu pentium2: no paravirtual leaves)"
else
	echo "FAIL kvm kvmclock-named-model (status $st, want 3; last debugcon line:" \
		"$(grep -a . "$work/kn.e9" 2>/dev/null | tail -n 1))"
	fails=$((fails + 1))
fi
[ "$fails" = 0 ]

#!/bin/sh
# handoff.sh TANDEM [N...]: tests/kvm/handoff.asm computes a long checksum in real mode with
# IRQ0 ticking; run once on the interpreter alone and once moved between KVM and the
# interpreter every ~N instructions (--handoff-after-insns), the debug-console output must
# be byte for byte the same, the guest must pass, and at least 2 hand-offs must happen.
# Runs once per N (default: 150000 and 1000000; short periods catch state that is lost,
# long ones give KVM a real share of the work).
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
[ "$fails" = 0 ]

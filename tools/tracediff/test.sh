#!/bin/sh
# test.sh TANDEM: tools/tracediff/ on testguest.asm.  tandem (interpreter) and QEMU must
# agree over the traced range 7D00h-7DFFh (exit 0, with REP string instructions that QEMU
# logs per iteration); then tracediff.py must name the right record and line for a
# doctored copy of tandem's trace: a changed register (and the instruction before it),
# a changed flag, a line taken out (control flow split), and not see a masked flag.
# Where KVM is usable, its engine's filtered trace must agree with the interpreter's.
# SKIP (exit 0) without qemu-system-i386, python3 or nasm.
[ $# -ge 1 ] || { echo "usage: $0 TANDEM" >&2; exit 2; }
tandem=$1
case "$tandem" in /*) ;; *) tandem=$(pwd)/$tandem ;; esac
here=$(cd "$(dirname "$0")" && pwd)
for tool in qemu-system-i386 python3 nasm; do
	if ! command -v $tool > /dev/null 2>&1; then
		echo "SKIP tracediff (no $tool)"
		exit 0
	fi
done
work=$(mktemp -d /tmp/tracediff-test.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { echo "PASS tracediff/$1"; passed=$((passed + 1)); }
bad() { echo "FAIL tracediff/$1 ($2)"; failed=$((failed + 1)); }

nasm -f bin -o "$work/g.img" "$here/testguest.asm" || { bad build "nasm failed"; exit 1; }
truncate -s 1474560 "$work/g.img"
# The 80486 model: QEMU's default qemu32 CPU runs the same instructions.
sh "$here/tracediff.sh" --tandem "$tandem" --cpu 80486 --filter 7d00-7dff \
	--fda "$work/g.img" --work "$work/run" --timeout 60 > "$work/agree.out" 2> "$work/agree.err"
st=$?
n=$(sed -n 's/^tracediff: the traces agree over \([0-9]*\) records$/\1/p' "$work/agree.out")
qn=$(grep -c '^EAX=' "$work/run/qemu.log" 2>/dev/null)
if [ "$st" = 0 ] && [ "${n:-0}" -ge 1000 ] && [ "${qn:-0}" -gt "$n" ]; then
	ok "agree ($n records; QEMU logged $qn blocks, REP iterations folded)"
else
	bad agree "status $st, '$(cat "$work/agree.out" "$work/agree.err" | tail -n 3 | tr '\n' ' ')'"
	echo "tracediff: $failed failed, $passed passed"
	exit 1
fi
tr=$work/run/tandem.trace
log=$work/run/qemu.log
diffpy="python3 $here/tracediff.py --range 7d00-7dff"

# doctor NAME LINE SED-EXPR: a copy of tandem's trace with SED-EXPR applied to LINE.
doctor() {
	sed "$2$3" "$tr" > "$work/$1.trace"
}
expect() {	# NAME WANT-STATUS PATTERN...
	name=$1 want=$2
	shift 2
	$diffpy "$work/$name.trace" "$log" > "$work/$name.out" 2>&1
	st=$?
	why=""
	[ "$st" = "$want" ] || why="status $st, want $want;"
	for pat in "$@"; do
		grep -q -- "$pat" "$work/$name.out" || why="$why no '$pat';"
	done
	if [ -z "$why" ]; then ok "$name"; else bad "$name" "${why%;}: $(head -n 3 "$work/$name.out" | tr '\n' ' ')"; fi
}

# ECX changed in line 700: the first divergence is record 700, field ECX, and the
# instruction before it (line 699's) is named with its bytes.
prev=$(sed -n '699s/^\(....:........\)  \([0-9A-F.]*\).*/\1 (bytes \2)/p' "$tr")
ecx=$(sed -n '700s/.*ECX=\(........\).*/\1/p' "$tr")
doctor reg 700 "s/ECX=$ecx/ECX=DEADBEEF/"
expect reg 1 "first divergence at record 700 (A line 700," "^ECX  *DEADBEEF  *$ecx" \
	"instruction before it, at ${prev%% *}" "${prev#* }"
# ZF flipped in line 1200.
efl=$(sed -n '1200s/.*EFL=\(........\)$/\1/p' "$tr")
newefl=$(printf '%08X' $((0x$efl ^ 0x40)))
doctor flag 1200 "s/EFL=$efl/EFL=$newefl/"
expect flag 1 "first divergence at record 1200 (A line 1200," "^EFLAGS  *$newefl  *$efl"
# The same flag under a mask without ZF: no divergence.
diffpy="$diffpy --flags-mask 0e95"
cp "$work/flag.trace" "$work/masked.trace"
expect masked 0 "agree over $n records"
diffpy="python3 $here/tracediff.py --range 7d00-7dff"
# Line 321 taken out: control flow splits at record 321 (A's line 321 is now the old 322).
sed '321d' "$tr" > "$work/split.trace"
expect split 1 "first divergence at record 321 (A line 321," "^CS:EIP" "control flow split"
# Garbage is bad input, not a divergence.
printf '0000:00007D00  nonsense\n' > "$work/junk.trace"
expect junk 2 "not a tandem trace line"

# The KVM engine's single-step trace under the same filter, against the interpreter's
# (where KVM runs at least real mode; a visible SKIP elsewhere).
"$tandem" --headless --accel kvm --cpu host --timeout 1 --serial none < /dev/null \
	> /dev/null 2> "$work/probe.err"
kvm_env=
if grep -q "kvm engine is not usable\|not in this build" "$work/probe.err"; then
	grep -q "real mode works" "$work/probe.err" && kvm_env="TANDEM_KVM_PROBE=real"
	[ -n "$kvm_env" ] || echo "SKIP tracediff/kvm ($(grep -m 1 kvm "$work/probe.err" |
		sed 's/^tandem: error: //'))"
else
	kvm_env="TANDEM_KVM_PROBE=${TANDEM_KVM_PROBE:-}"
fi
if [ -n "$kvm_env" ]; then
	cp "$work/g.img" "$work/k.img"
	env $kvm_env "$tandem" --headless --accel kvm --cpu host --fda "$work/k.img" --boot a \
		--serial none --timeout 120 --trace "$work/kvm.trace" --trace-filter 7d00-7dff \
		< /dev/null > /dev/null 2>&1
	python3 "$here/tracediff.py" "$work/kvm.trace" "$tr" > "$work/kvm.out" 2>&1
	st=$?
	if [ "$st" = 0 ] && grep -q "agree over $n records" "$work/kvm.out"; then
		ok "kvm (the KVM engine's filtered trace agrees with the interpreter's)"
	else
		bad kvm "status $st: $(head -n 3 "$work/kvm.out" | tr '\n' ' ')"
	fi
fi

echo "tracediff: $passed passed, $failed failed"
[ "$failed" = 0 ]

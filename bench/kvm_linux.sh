#!/bin/sh
# kvm_linux.sh TANDEM: wall time for Debian's kernel + a busybox initramfs to boot under
# KVM, reach init and reboot (tests/kvm/linux-assets.sh fetches them into build/linux),
# for tandem (--kernel, direct boot) and for qemu-system-x86_64 -M microvm -accel kvm
# on the same files, plus their ratio.  Lines "bench: NAME VALUE UNIT"; a figure that
# cannot be measured here is n/a, with the reason on stderr.  Each run is bounded by
# BENCH_LINUX_TIMEOUT seconds (default 60).
tandem=${1:-./tandem}
here=$(cd "$(dirname "$0")" && pwd)
cache=${TANDEM_LINUX_CACHE:-$here/../build/linux}
limit=${BENCH_LINUX_TIMEOUT:-60}
work=$(mktemp -d /tmp/tandem-kvmbench.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
append="console=ttyS0 panic=-1 quiet"

na() {
	echo "bench: linux_boot_kvm_tandem n/a s"
	echo "bench: linux_boot_kvm_qemu_microvm n/a s"
	echo "bench: linux_boot_kvm_ratio n/a x"
	echo "kvm_linux.sh: $1" >&2
	exit 0
}

now() { date +%s%N; }

"$tandem" --headless --accel kvm --cpu host --timeout 1 --serial none < /dev/null \
	> /dev/null 2> "$work/probe.err"
if grep -q "kvm engine is not usable\|not in this build" "$work/probe.err"; then
	na "$(grep -m 1 "kvm" "$work/probe.err" | sed 's/^tandem: error: //')"
fi
sh "$here/../tests/kvm/linux-assets.sh" "$cache" 2> "$work/assets.err" ||
	na "$(cat "$work/assets.err")"

# tandem: reboot=k pulses the keyboard controller's reset line, which ends a direct boot.
t0=$(now)
"$tandem" --headless --quiet --accel kvm --cpu host -m 512M --kernel "$cache/vmlinuz" \
	--initrd "$cache/initramfs.cpio.gz" --append "$append reboot=k" \
	--serial "file:$work/tandem.com1" --timeout "$limit" < /dev/null > /dev/null 2>&1
st=$?
t1=$(now)
tandem_s=n/a
if [ "$st" = 0 ] && grep -q "tandem-init: reached init" "$work/tandem.com1"; then
	tandem_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
else
	echo "kvm_linux.sh: tandem did not reach init (status $st)" >&2
fi

# QEMU's microvm has no keyboard controller: reboot by triple fault, -no-reboot exits.
qemu_s=n/a
if command -v qemu-system-x86_64 > /dev/null; then
	t0=$(now)
	timeout "$limit" qemu-system-x86_64 -M microvm -accel kvm -cpu host -m 512M \
		-nodefaults -no-user-config -nographic -serial "file:$work/qemu.com1" \
		-no-reboot -kernel "$cache/vmlinuz" -initrd "$cache/initramfs.cpio.gz" \
		-append "$append reboot=t" < /dev/null > "$work/qemu.out" 2>&1
	st=$?
	t1=$(now)
	if grep -q "tandem-init: reached init" "$work/qemu.com1" 2>/dev/null; then
		qemu_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	else
		echo "kvm_linux.sh: qemu microvm did not reach init (status $st):" \
			"$(tail -n 1 "$work/qemu.out")" >&2
	fi
fi
ratio=n/a
if [ "$tandem_s" != n/a ] && [ "$qemu_s" != n/a ]; then
	ratio=$(awk -v a="$qemu_s" -v b="$tandem_s" 'BEGIN { printf "%.2f", a / b }')
fi
echo "bench: linux_boot_kvm_tandem $tandem_s s"
echo "bench: linux_boot_kvm_qemu_microvm $qemu_s s"
echo "bench: linux_boot_kvm_ratio $ratio x"

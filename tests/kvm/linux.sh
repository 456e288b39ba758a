#!/bin/sh
# linux.sh TANDEM: direct Linux boot under KVM: Debian's kernel and a busybox initramfs
# (tests/kvm/linux-assets.sh, fetched into build/linux at test time) must reach init,
# print on COM1 and end tandem with status 0 within 60 s.
# Prints one PASS/FAIL/SKIP line; SKIP (exit 0) when KVM is unusable or the kernel
# cannot be fetched.
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
tandem=$1
here=$(cd "$(dirname "$0")" && pwd)
cache=${TANDEM_LINUX_CACHE:-$here/../../build/linux}
work=$(mktemp -d /tmp/tandem-linux.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT

# Linux enables paging: a KVM that only passes the real-mode part of the probe will
# not do (TANDEM_KVM_PROBE=real from run.sh does not apply here).
unset TANDEM_KVM_PROBE
"$tandem" --headless --accel kvm --cpu host --timeout 1 --serial none < /dev/null \
	> /dev/null 2> "$work/probe.err"
if grep -q "kvm engine is not usable\|not in this build" "$work/probe.err"; then
	echo "SKIP kvm linux-boot ($(grep -m 1 "kvm" "$work/probe.err" | sed 's/^tandem: error: //'))"
	exit 0
fi
if ! sh "$here/linux-assets.sh" "$cache" 2> "$work/assets.err"; then
	echo "SKIP kvm linux-boot ($(cat "$work/assets.err"))"
	exit 0
fi
"$tandem" --headless --accel kvm --cpu host -m 512M --kernel "$cache/vmlinuz" \
	--initrd "$cache/initramfs.cpio.gz" --append "console=ttyS0 reboot=k panic=-1" \
	--serial "file:$work/com1" --timeout 60 < /dev/null > "$work/out" 2> "$work/err"
st=$?
if [ "$st" = 0 ] && grep -q "tandem-init: reached init" "$work/com1"; then
	echo "PASS kvm linux-boot ($(grep -a "tandem-init" "$work/com1" | head -n 1))"
	exit 0
fi
echo "FAIL kvm linux-boot (status $st; last console line:" \
	"$(grep -a . "$work/com1" | tail -n 1 | cut -c 1-120); stderr:" \
	"$(grep -a . "$work/err" | tail -n 1 | cut -c 1-120))"
exit 1

#!/bin/sh
# run.sh TANDEM: the proofs that boot Debian's own 32-bit Linux on tandem's emulated
# CPU (tests/linux/assets.sh fetches the kernel and busybox at test time into
# build/linux-i386, or $TANDEM_LINUX_I386 if set):
#   boot.sh    ISOLINUX + our BIOS + the interpreter to busybox init, ACPI power-off
#   tcgdiff.sh the same boot's first 600M instructions: tcg-lite = the interpreter
#   net.sh     ne2k-pci, 8139too and virtio_net drivers: DHCP, wget, a port forward
#   direct.sh  --kernel boots: ACPI tables and PCI set up without a BIOS; $PIR
#   smp.sh     --kernel with --smp 2: MADT, MP table, I/O APIC, both CPUs up
# A missing package or download is a failure, never a skip. Ends with
# "linux: N passed, N failed".
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
tandem=$1
case $tandem in /*) ;; *) tandem=$(pwd)/$tandem ;; esac
assets=${TANDEM_LINUX_I386:-$here/../../build/linux-i386}
passed=0
failed=0
if ! err=$(sh "$here/assets.sh" "$assets" 2>&1); then
	echo "FAIL linux (assets: $err)"
	echo "linux: 0 passed, 1 failed"
	exit 1
fi
count() {	# count OUTPUT: add its PASS and FAIL lines to the totals
	p=$(printf '%s\n' "$1" | grep -c '^PASS')
	f=$(printf '%s\n' "$1" | grep -c '^FAIL')
	passed=$((passed + p))
	failed=$((failed + f))
}
for t in boot tcgdiff net; do
	out=$(sh "$here/$t.sh" "$tandem" "$assets" 2>&1)
	st=$?
	printf '%s\n' "$out"
	count "$out"
	if [ "$st" != 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
		echo "FAIL linux $t (status $st without a verdict)"
		failed=$((failed + 1))
	fi
done
out=$(sh "$here/direct.sh" "$tandem" "$assets/vmlinuz" "$assets/initramfs.cpio.gz" 2>&1)
st=$?
printf '%s\n' "$out" | grep -v '^linux-direct:'
count "$out"
if [ "$st" != 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
	echo "FAIL linux direct (status $st without a verdict)"
	failed=$((failed + 1))
fi
out=$(sh "$here/smp.sh" "$tandem" "$assets/vmlinuz" "$assets/initramfs.cpio.gz" 2>&1)
st=$?
printf '%s\n' "$out" | grep -v '^linux-smp:'
count "$out"
if [ "$st" != 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
	echo "FAIL linux smp (status $st without a verdict)"
	failed=$((failed + 1))
fi
echo "linux: $passed passed, $failed failed"
[ "$failed" = 0 ]

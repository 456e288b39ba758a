#!/bin/sh
# run.sh TANDEM: the issue 4 proofs with third-party software (tests/boot/*.sh
# except this one and common.sh), each building its images at test time from
# Debian packages (tools/install-deps.sh). Exits 0 only when all passed.
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
for name in syslinux isolinux grub memtest seabios; do
	out=$(sh "$here/$name.sh" "$@" 2>&1)
	st=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | grep -c '^PASS')
	f=$(printf '%s\n' "$out" | grep -c '^FAIL')
	# a script that dies before its verdict is a failure too
	if [ "$st" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL $name (status $st without a verdict)"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "boot: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/sh
# run.sh TANDEM: every networking test that needs more than one guest or process
# (tests/net/*.sh except this one and common.sh). Exits 0 only when all passed.
here=$(cd "$(dirname "$0")" && pwd)
failed=0
passed=0
for name in pair internal nat hostonly udp rtl8139 virtio_net badnic; do
	t=$here/$name.sh
	[ -f "$t" ] || continue
	if sh "$t" "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "net: $passed passed, $failed failed"
[ "$failed" = 0 ]

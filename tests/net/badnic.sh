#!/bin/sh
# badnic.sh TANDEM: malformed --nic and --net-dump arguments end tandem with status 2
# and one line on stderr that names the option; a TAP interface that does not exist
# is refused without creating one.
. "$(dirname "$0")/common.sh"

why=""
for spec in "model=e1000" "mode=wifi" "internal,name=../x" "internal,name=" \
	"mac=01:02:03:04:05:06" "mac=52:54:00" "io=0x301" "irq=2" "irq=16" \
	"nat,hostfwd=tcp::99999-:80" "internal,hostfwd=tcp::1-:2" "bridged" \
	"nat,tap=tap0" "colour=blue" "nat,internal" "model=rtl8139,io=0x300"; do
	"$tandem" --headless --max-insns 1000 --nic "$spec" < /dev/null > /dev/null \
		2> "$work/err"
	st=$?
	lines=$(grep -c . "$work/err")
	if [ "$st" != 2 ] || [ "$lines" != 1 ] || ! grep -q -- "--nic" "$work/err"; then
		why="$why '$spec': status $st, $lines lines;"
	fi
done
"$tandem" --headless --max-insns 1000 --net-dump /nonexistent-dir/x.pcap < /dev/null \
	> /dev/null 2> "$work/err"
st=$?
[ "$st" = 2 ] && grep -q -- "--net-dump" "$work/err" || why="$why --net-dump: status $st;"
"$tandem" --headless --max-insns 1000 --nic bridged,tap=tandemnotap9 < /dev/null \
	> /dev/null 2> "$work/err"
st=$?
[ "$st" = 2 ] && grep -q "no network interface" "$work/err" || why="$why bridged: status $st;"
if command -v ip > /dev/null && ip link show tandemnotap9 > /dev/null 2>&1; then
	why="$why a TAP interface was created;"
fi
report badnic "$why" "$work/err"

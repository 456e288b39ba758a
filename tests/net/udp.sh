#!/bin/sh
# udp.sh TANDEM: in nat and in host-only mode, tests/net/udp.asm sends a datagram to
# the host (10.0.2.2) and gets it back from the UDP echo server this script runs on
# 127.0.0.1 (the host-side end of host-only). Loopback and slirp's addresses only;
# what host-only keeps from slirp is unit-tested (tests/unit/test_net.c).
. "$(dirname "$0")/common.sh"

if ! command -v python3 > /dev/null; then
	echo "SKIP net/udp (needs python3 for the echo server)"
	exit 0
fi
mkdir -m 700 "$work/run"
export XDG_RUNTIME_DIR=$work/run
port=$((40000 + ($$ + 7) % 20000))
build_guest udp -DUDP_PORT=$port || exit 1
python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', $port))
s.settimeout(60)
while True:
    d, a = s.recvfrom(2048)
    s.sendto(d, a)
" 2> "$work/echo.err" &
echo_pid=$!
failed=0
for mode in nat host-only; do
	tandem_run --headless --fda "$work/udp.img" --boot a --debugcon "file:$work/$mode.e9" \
		--timeout 30 --speed realtime --nic "$mode" \
		< /dev/null > "$work/$mode.out" 2> "$work/$mode.err"
	st=$?
	if grep -q "built without it" "$work/$mode.err"; then
		echo "SKIP net/udp-$mode (tandem built without libslirp)"
		continue
	fi
	printf 'udp\ngateway 10.0.2.2 is 52:55:0A:00:02:02\n%s\nPASS\n' \
		"echo from 10.0.2.2: hello from a tandem guest" > "$work/want"
	why=""
	[ "$st" = 1 ] || why="$why status $st;"
	cmp -s "$work/want" "$work/$mode.e9" || why="$why debugcon differs;"
	report "udp-$mode" "$why" "$work/$mode.e9" "$work/$mode.err" "$work/echo.err" ||
		failed=1
done
kill $echo_pid 2> /dev/null
wait $echo_pid 2> /dev/null
exit $failed

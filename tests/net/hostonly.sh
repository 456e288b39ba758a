#!/bin/sh
# hostonly.sh TANDEM: two tandem processes on one host-only network. The first (the
# echo guest, idle here) takes the segment's host role and runs the restricted slirp
# with a forward from 127.0.0.1; the second runs tests/net/nat.asm, whose ARP for the
# host 10.0.2.2 must be answered across the segment, and which must then see the SYN
# that our connection to the forwarded port produces. Loopback and slirp's emulated
# addresses only; the segment directory is private to this run.
. "$(dirname "$0")/common.sh"

if ! command -v python3 > /dev/null; then
	echo "SKIP net/hostonly (needs python3 to connect to the forwarded port)"
	exit 0
fi
build_guest echo || exit 1
build_guest nat || exit 1
mkdir -m 700 "$work/run"
export XDG_RUNTIME_DIR=$work/run
port=$((40000 + ($$ + 2) % 20000))
"$tandem" --bios "$bios" --headless --fda "$work/echo.img" --boot a \
	--debugcon "file:$work/host.e9" \
	--timeout 30 --speed realtime \
	--nic "host-only,name=ho,hostfwd=tcp:127.0.0.1:$port-10.0.2.15:80" \
	< /dev/null > "$work/host.out" 2> "$work/host.err" &
host_pid=$!
i=0
while [ $i -lt 50 ] && ! grep -q "^mac" "$work/host.e9" 2> /dev/null; do
	sleep 0.1
	i=$((i + 1))
done
"$tandem" --bios "$bios" --headless --fda "$work/nat.img" --boot a \
	--debugcon "file:$work/guest.e9" \
	--timeout 30 --speed realtime --nic host-only,name=ho,mac=52:54:00:00:00:0b \
	< /dev/null > "$work/guest.out" 2> "$work/guest.err" &
guest_pid=$!
i=0
while kill -0 $guest_pid 2> /dev/null && [ $i -lt 100 ]; do
	if grep -q "gateway" "$work/guest.e9" 2> /dev/null; then
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" \
			2> /dev/null
	fi
	sleep 0.2
	i=$((i + 1))
done
wait $guest_pid
st=$?
kill $host_pid 2> /dev/null
wait $host_pid 2> /dev/null
why=""
if grep -q "built without it" "$work/host.err"; then
	echo "SKIP net/hostonly (tandem built without libslirp)"
	exit 0
fi
printf 'nat\ngateway 10.0.2.2 is 52:55:0A:00:02:02\nsyn to port 80 from 10.0.2.2\nPASS\n' \
	> "$work/want"
[ "$st" = 1 ] || why="$why status $st;"
cmp -s "$work/want" "$work/guest.e9" || why="$why debugcon differs;"
report hostonly "$why" "$work/guest.e9" "$work/guest.err" "$work/host.err"

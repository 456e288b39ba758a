#!/bin/sh
# internal.sh TANDEM: two tandem processes on one internal network (--nic
# internal,name=N). The echo guest answers every PING frame with a PONG; the ping guest
# sends five and checks each answer (tests/net/ping.asm, echo.asm). Both run at
# realtime speed with a timeout; the hub directory is private to this run
# (XDG_RUNTIME_DIR points into a temporary directory), so parallel runs never meet.
# The ping side also writes --net-dump, which must hold PINGs and PONGs numbered 0-4
# and the BYE frames (numbered 5) in pcap format. Prints PASS/FAIL lines; exits 0
# only when all passed.
. "$(dirname "$0")/common.sh"

build_guest ping || exit 1
build_guest echo || exit 1
run=$work/run
mkdir -m 700 "$run"
export XDG_RUNTIME_DIR=$run

"$tandem" --bios "$bios" --headless --fda "$work/echo.img" --boot a \
	--debugcon "file:$work/echo.e9" \
	--timeout 30 --speed realtime --nic internal,name=echo,mac=52:54:00:00:00:02 \
	< /dev/null > "$work/echo.out" 2> "$work/echo.err" &
echo_pid=$!
tandem_run --headless --fda "$work/ping.img" --boot a --debugcon "file:$work/ping.e9" \
	--timeout 30 --speed realtime --nic internal,name=echo,mac=52:54:00:00:00:01 \
	--net-dump "$work/ping.pcap" < /dev/null > "$work/ping.out" 2> "$work/ping.err"
ping_st=$?
wait $echo_pid
echo_st=$?

cat > "$work/ping.want" <<WANT
ping
mac 52:54:00:00:00:01
pong 0 from 52:54:00:00:00:02
pong 1 from 52:54:00:00:00:02
pong 2 from 52:54:00:00:00:02
pong 3 from 52:54:00:00:00:02
pong 4 from 52:54:00:00:00:02
PASS
WANT
why=""
[ "$ping_st" = 1 ] || why="$why ping status $ping_st;"
[ "$echo_st" = 1 ] || why="$why echo status $echo_st;"
cmp -s "$work/ping.want" "$work/ping.e9" || why="$why ping output differs;"
grep -q '^PASS' "$work/echo.e9" 2>/dev/null || why="$why echo did not pass;"
if command -v python3 > /dev/null; then
	res=$(python3 "$here/pcapcount.py" "$work/ping.pcap") || res="unreadable"
	[ "$res" = "PING 0,1,2,3,4 PONG 0,1,2,3,4 BYE! 5" ] || why="$why pcap has: $res;"
fi
report internal "$why" "$work/ping.e9" "$work/echo.e9" "$work/ping.err" "$work/echo.err"

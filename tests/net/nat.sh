#!/bin/sh
# nat.sh TANDEM: the nat and host-only modes (libslirp; host-only is slirp restricted
# to the host). tests/net/nat.asm gets an ARP answer from slirp's gateway 10.0.2.2,
# then sees the SYN that our connection to the hostfwd port on 127.0.0.1 produces.
# Only loopback and slirp's emulated addresses are involved.
# Skipped (and said so) when this tandem was built without libslirp.
. "$(dirname "$0")/common.sh"

if ! command -v python3 > /dev/null; then
	echo "SKIP net/nat (needs python3 to connect to the forwarded port)"
	exit 0
fi
build_guest nat || exit 1
mkdir -m 700 "$work/run"
export XDG_RUNTIME_DIR=$work/run	# host-only's segment: private to this run
one_mode() {	# one_mode MODE N
	port=$((40000 + ($$ + $2) % 20000))
	"$tandem" --bios "$bios" --headless --fda "$work/nat.img" --boot a \
		--debugcon "file:$work/$1.e9" \
		--timeout 30 --speed realtime --nic "$1,hostfwd=tcp:127.0.0.1:$port-:80" \
		< /dev/null > "$work/$1.out" 2> "$work/$1.err" &
	pid=$!
	# Knock on the forwarded port until the guest has seen it (or tandem ended).
	i=0
	while kill -0 $pid 2> /dev/null && [ $i -lt 100 ]; do
		if grep -q "gateway" "$work/$1.e9" 2> /dev/null; then
			python3 -c "import socket
socket.create_connection(('127.0.0.1', $port), 1)" 2> /dev/null
		fi
		sleep 0.2
		i=$((i + 1))
	done
	wait $pid
	st=$?
	if grep -q "built without it" "$work/$1.err"; then
		echo "SKIP net/$1 (tandem built without libslirp)"
		return 0
	fi
	printf 'nat\ngateway 10.0.2.2 is 52:55:0A:00:02:02\nsyn to port 80 from 10.0.2.2\nPASS\n' \
		> "$work/$1.want"
	why=""
	[ "$st" = 1 ] || why="$why status $st;"
	cmp -s "$work/$1.want" "$work/$1.e9" || why="$why debugcon differs;"
	report "$1" "$why" "$work/$1.e9" "$work/$1.err"
}

failed=0
one_mode nat 0 || failed=1
one_mode host-only 1 || failed=1
exit $failed

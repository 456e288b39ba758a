#!/bin/sh
# net.sh TANDEM ASSETS: issue 9's Linux proof. Debian's 32-bit kernel boots (ISOLINUX,
# our BIOS, the default engine: tcg-lite, the interpreter's block engine, as KVM cannot
# present a Pentium II) with three cards: ne2k-pci, rtl8139 and virtio-net, each
# in nat mode (libslirp). For each card its own driver (ne2k-pci, 8139too, virtio_net
# modules of that kernel) must get an address from slirp's DHCP with busybox udhcpc
# and fetch, with wget, a file from an HTTP server this script runs on 127.0.0.1.
# Then a host-side client reaches a server in the guest (busybox nc on port 80)
# through a hostfwd port forward on the first card. The guest runs paced to wall time
# (--speed realtime), as a networked guest must: the host side works in real time.
tandem=$1 assets=$2
work=$(mktemp -d /tmp/tandem-linuxnet.XXXXXX) || exit 2
srv=""
cleanup() { [ -n "$srv" ] && kill "$srv" 2> /dev/null; [ -n "$KEEP" ] || rm -rf "$work"; }
[ -n "$KEEP" ] && echo "work directory: $work"
trap cleanup EXIT
freeport() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
mkdir -p "$work/www" || exit 2
token="probe-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
echo "$token" > "$work/www/probe.txt"
port=$(freeport)
fwd=$(freeport)
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" \
	> "$work/http.log" 2>&1 &
srv=$!

. "$(dirname "$0")/iso.sh"
make_iso "$work" "$assets" "console=ttyS0 cryptomgr.notests tandem.test=net tandem.port=$port" || { echo "FAIL linux-net (cannot make the CD image)"; exit 1; }

"$tandem" --cpu pentium2 -m 256M --headless --speed realtime --cdrom "$work/cd.iso" --boot d \
	--nic "model=ne2k-pci,nat,hostfwd=tcp:127.0.0.1:$fwd-:80" --nic model=rtl8139,nat \
	--nic model=virtio,nat --serial "file:$work/com1" --timeout 900 \
	< /dev/null > "$work/screen" 2> "$work/stderr" &
pid=$!
# the port forward: connect once the guest says it listens
reply=""
while kill -0 "$pid" 2> /dev/null; do
	if grep -aq "tandem-net: listening" "$work/com1" 2> /dev/null; then
		sleep 1
		reply=$(python3 - "$fwd" <<'PY'
import socket, sys, time
# a few tries: the forward answers with a reset until the guest's nc accepts
for attempt in range(10):
    data = b""
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
        s.settimeout(30)
        while True:
            d = s.recv(4096)
            if not d:
                break
            data += d
    except OSError:
        pass
    if data:
        break
    time.sleep(1)
print(data.decode(errors="replace").strip())
PY
)
		break
	fi
	sleep 1
done
wait "$pid"
st=$?
bad=0
for drv in ne2k-pci 8139too virtio_net; do
	line=$(grep -a "tandem-net: .* $drv " "$work/com1" | head -n 1 | tr -d '\r')
	case $line in
	*"address 10.0.2.15 fetched [$token]"*) echo "PASS linux-net $drv: DHCP and wget ($line)" ;;
	*) echo "FAIL linux-net $drv (${line:-no line for this driver})"; bad=$((bad + 1)) ;;
	esac
done
case $reply in
"hello from the guest's eth"*) echo "PASS linux-net hostfwd: host 127.0.0.1:$fwd reached the guest's port 80 ($reply)" ;;
*) echo "FAIL linux-net hostfwd (reply '${reply}')"; bad=$((bad + 1)) ;;
esac
if [ "$st" != 0 ]; then
	echo "FAIL linux-net (exit status $st, wanted 0 after the guest's power-off)"
	bad=$((bad + 1))
fi
if [ "$bad" != 0 ]; then
	tail -n 25 "$work/com1"
	tail -n 5 "$work/stderr"
	exit 1
fi
exit 0

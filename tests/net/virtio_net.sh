#!/bin/sh
# virtio_net.sh TANDEM: tests/net/virtio_net.asm on two virtio-net cards (--nic
# model=virtio) on one internal network with --net-dump: the guest checks what card B
# receives; the dump must hold both frames card A sent, byte for byte, each as sent by A
# and as received by B. Malformed --nic strings with the virtio model must be refused
# with status 2 and one line.
. "$(dirname "$0")/common.sh"

build_guest virtio_net || exit 1
mkdir -m 700 "$work/run"
XDG_RUNTIME_DIR=$work/run tandem_run --cpu pentium --headless --fda "$work/virtio_net.img" \
	--boot a --debugcon "file:$work/t.e9" --timeout 30 \
	--nic model=virtio,internal,name=vnet --nic model=virtio,internal,name=vnet \
	--net-dump "$work/t.pcap" < /dev/null > "$work/t.out" 2> "$work/t.err"
st=$?
why=""
[ "$st" = 1 ] || why="$why status $st;"
grep -q "^received 2" "$work/t.e9" || why="$why card B did not receive both frames;"
if command -v python3 > /dev/null; then
	python3 - "$work/t.pcap" <<'PY' || why="$why the dump differs;"
import struct, sys
data = open(sys.argv[1], 'rb').read()
a = bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
b = bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x57])
def frame(dst, first, n):
    f, v = dst + a + b'\x88\xb5', first
    for i in range(n - 14):
        f += bytes([v])
        v = (v + 0x3b) & 0xff
    return f
f1, f2 = frame(b'\xff' * 6, 1, 200), frame(b, 2, 60)
got, pos = [], 24
while pos + 16 <= len(data):
    incl = struct.unpack('<I', data[pos + 8:pos + 12])[0]
    got.append(data[pos + 16:pos + 16 + incl])
    pos += 16 + incl
# Sent and received, in either interleaving (the hub delivers at its next poll).
ok = sorted(got) == sorted([f1, f1, f2, f2]) and got.index(f1) < got.index(f2)
sys.exit(0 if ok else 1)
PY
fi
for bad in "model=virtio,mode=bogus" "model=virtio,io=0x300" "model=virtio,mac=zz"; do
	tandem_run --headless --max-insns 1000 --nic "$bad" > /dev/null 2> "$work/bad.err"
	bst=$?
	[ "$bst" = 2 ] && [ "$(wc -l < "$work/bad.err")" = 1 ] ||
		why="$why --nic $bad gave status $bst;"
done
report virtio_net "$why" "$work/t.e9" "$work/t.err"

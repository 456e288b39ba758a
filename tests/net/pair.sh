#!/bin/sh
# pair.sh TANDEM: two NE2000s in one tandem (300h and 280h) on one internal network;
# tests/net/ne2k_pair.asm sends frames from one to the other across the receive ring's
# wrap. Its debugcon output must equal ne2k_pair.debugcon, which is what QEMU's
# ne2k_isa prints for the same guest (ORACLE=1 runs QEMU too and compares), and the
# --net-dump must hold every frame byte for byte.
. "$(dirname "$0")/common.sh"

build_guest ne2k_pair || exit 1
mkdir -m 700 "$work/run"
XDG_RUNTIME_DIR=$work/run tandem_run --headless --fda "$work/ne2k_pair.img" --boot a \
	--debugcon "file:$work/t.e9" --timeout 30 \
	--nic internal,name=pair --nic internal,name=pair --net-dump "$work/t.pcap" \
	< /dev/null > "$work/t.out" 2> "$work/t.err"
st=$?
why=""
[ "$st" = 1 ] || why="$why status $st;"
cmp -s "$here/ne2k_pair.debugcon" "$work/t.e9" || why="$why debugcon differs;"
# The dump: each of the ten frames A sent, byte for byte, as sent by A and then as
# received by B (B's card filters the one for another address, the dump does not).
if command -v python3 > /dev/null; then
	python3 - "$work/t.pcap" <<'PY' || why="$why the dump differs;"
import struct, sys
data = open(sys.argv[1], 'rb').read()
a = bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
b = bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x57])
other = bytes([0x52, 0x54, 0x00, 0x99, 0x99, 0x99])
want = []
for n, dst in [(k, b) for k in range(8)] + [(8, other), (8, b'\xff' * 6)]:
    f = dst + a + b'\x88\xb5'
    v = n
    for i in range(100 + 150 * n - 14):
        f += bytes([v])
        v = (v + 0x3b) & 0xff
    want += [f, f]
got, pos = [], 24
while pos + 16 <= len(data):
    incl = struct.unpack('<I', data[pos + 8:pos + 12])[0]
    got.append(data[pos + 16:pos + 16 + incl])
    pos += 16 + incl
sys.exit(0 if got == want else 1)
PY
fi
if [ -n "$ORACLE" ]; then
	printf '\0\0' > "$work/zero2"
	(cd "$work" && timeout 30 qemu-system-i386 -nographic -no-reboot -M pc -m 16 \
		-drive if=floppy,index=0,format=raw,file=ne2k_pair.img -boot a \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial none \
		-debugcon file:q.e9 -monitor none -fw_cfg name=opt/sercon,file=zero2 \
		-device ne2k_isa,iobase=0x300,irq=3,netdev=a -netdev hubport,id=a,hubid=0 \
		-device ne2k_isa,iobase=0x280,irq=10,netdev=b,mac=52:54:00:12:34:57 \
		-netdev hubport,id=b,hubid=0 < /dev/null > q.out 2> q.err)
	qst=$?
	[ "$qst" = 1 ] || why="$why qemu status $qst;"
	cmp -s "$here/ne2k_pair.debugcon" "$work/q.e9" || why="$why qemu debugcon differs;"
fi
report ne2k_pair "$why" "$work/t.e9" "$work/t.err"

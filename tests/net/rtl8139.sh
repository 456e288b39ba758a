#!/bin/sh
# rtl8139.sh TANDEM: tests/net/rtl8139.asm on an RTL8139 (--nic model=rtl8139,mode=none
# with --net-dump). Its debugcon output must equal rtl8139.debugcon, which is what
# QEMU's rtl8139 prints for the same guest (ORACLE=1 runs QEMU too and compares), and
# the dump must hold the broadcast frame it sends last, byte for byte. The guest uses
# 32-bit port I/O for PCI configuration: it is skipped (and says so) while no 386-class
# CPU model of tandem passes tests/net/cpu386.asm.
. "$(dirname "$0")/common.sh"

build_guest rtl8139 || exit 1
build_guest cpu386 || exit 1
# A 386-class model that boots a guest and runs its 32-bit code.
cpu=""
for c in 80386 80486 pentium; do
	tandem_run --cpu "$c" --headless --fda "$work/cpu386.img" --boot a --timeout 3 \
		< /dev/null > /dev/null 2>&1 &
	pid=$!
	eval "pid_$c=$pid"
done
for c in 80386 80486 pentium; do
	eval "wait \$pid_$c"
	[ $? = 1 ] && [ -z "$cpu" ] && cpu=$c
done
why=""
if [ -n "$ORACLE" ]; then
	printf '\0\0' > "$work/zero2"
	(cd "$work" && timeout 30 qemu-system-i386 -nographic -no-reboot -M pc -m 16 \
		-drive if=floppy,index=0,format=raw,file=rtl8139.img -boot a \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial none \
		-debugcon file:q.e9 -monitor none -fw_cfg name=opt/sercon,file=zero2 \
		-device rtl8139,netdev=n -netdev hubport,id=n,hubid=0 \
		< /dev/null > q.out 2> q.err)
	qst=$?
	[ "$qst" = 1 ] || why="$why qemu status $qst;"
	cmp -s "$here/rtl8139.debugcon" "$work/q.e9" || why="$why qemu debugcon differs;"
fi
if [ -z "$cpu" ]; then
	if [ -n "$ORACLE" ] && [ -z "$why" ]; then echo "PASS net/rtl8139 (qemu only)"; fi
	echo "SKIP net/rtl8139 on tandem (no 386-class CPU model here runs tests/net/cpu386.asm)"
	[ -z "$why" ]
	exit
fi
tandem_run --cpu "$cpu" --headless --fda "$work/rtl8139.img" --boot a \
	--debugcon "file:$work/t.e9" --timeout 30 \
	--nic model=rtl8139,mode=none --net-dump "$work/t.pcap" \
	< /dev/null > "$work/t.out" 2> "$work/t.err"
st=$?
[ "$st" = 1 ] || why="$why status $st;"
cmp -s "$here/rtl8139.debugcon" "$work/t.e9" || why="$why debugcon differs;"
if command -v python3 > /dev/null; then
	python3 - "$work/t.pcap" <<'PY' || why="$why the dump lacks the broadcast frame;"
import struct, sys
data = open(sys.argv[1], 'rb').read()
want = b'\xff' * 6 + bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x00])
b = 0
for i in range(200 - 14):
    want += bytes([b])
    b = (b + 0x2f) & 0xff
pos, frames = 24, []
while pos + 16 <= len(data):
    incl = struct.unpack('<I', data[pos + 8:pos + 12])[0]
    frames.append(data[pos + 16:pos + 16 + incl])
    pos += 16 + incl
sys.exit(0 if frames == [want] else 1)
PY
fi
report rtl8139 "$why" "$work/t.e9" "$work/t.err"

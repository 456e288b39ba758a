#!/bin/sh
# pair.sh TANDEM: two NE2000s in one tandem (300h and 320h) on one internal network;
# tests/net/ne2k_pair.asm sends frames from one to the other across the receive ring's
# wrap. Its debugcon output must equal ne2k_pair.debugcon, which is what QEMU's
# ne2k_isa prints for the same guest (ORACLE=1 runs QEMU too and compares).
. "$(dirname "$0")/common.sh"

build_guest ne2k_pair || exit 1
mkdir -m 700 "$work/run"
XDG_RUNTIME_DIR=$work/run tandem_run --headless --fda "$work/ne2k_pair.img" --boot a \
	--debugcon "file:$work/t.e9" --timeout 30 \
	--nic internal,name=pair --nic internal,name=pair \
	< /dev/null > "$work/t.out" 2> "$work/t.err"
st=$?
why=""
[ "$st" = 1 ] || why="$why status $st;"
cmp -s "$here/ne2k_pair.debugcon" "$work/t.e9" || why="$why debugcon differs;"
if [ -n "$ORACLE" ]; then
	printf '\0\0' > "$work/zero2"
	(cd "$work" && timeout 30 qemu-system-i386 -nographic -no-reboot -M pc -m 16 \
		-drive if=floppy,index=0,format=raw,file=ne2k_pair.img -boot a \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial none \
		-debugcon file:q.e9 -monitor none -fw_cfg name=opt/sercon,file=zero2 \
		-device ne2k_isa,iobase=0x300,irq=3,netdev=a -netdev hubport,id=a,hubid=0 \
		-device ne2k_isa,iobase=0x320,irq=10,netdev=b,mac=52:54:00:12:34:57 \
		-netdev hubport,id=b,hubid=0 < /dev/null > q.out 2> q.err)
	qst=$?
	[ "$qst" = 1 ] || why="$why qemu status $qst;"
	cmp -s "$here/ne2k_pair.debugcon" "$work/q.e9" || why="$why qemu debugcon differs;"
fi
report ne2k_pair "$why" "$work/t.e9" "$work/t.err"

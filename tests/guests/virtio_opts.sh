#!/bin/sh
# virtio_opts.sh TANDEM: the virtio options end to end.
# 1. --kernel with virtio devices: a stand-in bzImage (a setup header and 32-bit code
#    that copies its command line to port E9h, assembled here) must see --append
#    followed by one virtio_mmio.device=4K@0xfeb0N000:IRQ per device, in the order
#    NICs, disks, console, IRQs 9, 7, 10 (5 is the Sound Blaster's).
# 2. Refusals, each with status 2 and a first line on stderr that names the virtio
#    option (the board may add "cannot create the devices" after it): a missing, an
#    empty and an
#    odd-sized --virtio-blk image, a directory, a fifth --virtio-blk, a bad
#    --virtio-console and --virtio-transport, virtio on the xt machine, and more mmio
#    devices than free IRQs.
# Prints PASS/FAIL per case and "virtio-opts: N passed, N failed".
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
. "$(dirname "$0")/../check.sh"
check_tandem "$1"
check_begin virtio-opts

cat > "$work/body.asm" <<'ASM'
	bits	32			; at 100000h: print the command line, exit 0
	mov	esi, [0x7000 + 0x228]	; boot_params.hdr.cmd_line_ptr
.l:	lodsb
	test	al, al
	jz	.d
	out	0xe9, al
	jmp	.l
.d:	xor	al, al
	out	0xf4, al
	hlt
ASM
truncate -s 1474560 "$work/d1.img"
if ! nasm -f bin -o "$work/hdr.bin" "$(dirname "$0")/bzimage_hdr.inc" 2> "$work/nasm.err" ||
   ! nasm -f bin -o "$work/body.bin" "$work/body.asm" 2>> "$work/nasm.err" ||
   ! cat "$work/hdr.bin" "$work/body.bin" > "$work/k.bin"; then
	bad "kernel command line" "the stand-in kernel does not assemble"
else
	"$tandem" --headless --cpu pentium --kernel "$work/k.bin" --append "console=ttyS0" \
		--nic model=virtio,none --virtio-blk "$work/d1.img" \
		--virtio-console "file:$work/con" --debugcon "file:$work/e9" --exit-port 0xf4 \
		--timeout 10 < /dev/null > /dev/null 2> "$work/k.err"
	st=$?
	want="console=ttyS0 virtio_mmio.device=4K@0xfeb00000:9"
	want="$want virtio_mmio.device=4K@0xfeb01000:7 virtio_mmio.device=4K@0xfeb02000:10"
	if [ "$st" = 1 ] && [ "$(cat "$work/e9")" = "$want" ]; then
		ok "kernel command line"
	else
		bad "kernel command line" "status $st, got '$(cat "$work/e9" 2>/dev/null)'"
	fi
fi

# refuse WHAT ARGS...: status 2, the first stderr line about virtio
refuse() {
	what=$1
	shift
	"$tandem" --headless --max-insns 1000 -q "$@" < /dev/null > /dev/null 2> "$work/r.err"
	st=$?
	first=$(head -n 1 "$work/r.err")
	if [ "$st" = 2 ] && echo "$first" | grep -q "error: .*virtio"; then
		ok "refuses $what: $first"
	else
		bad "refuses $what" "status $st: $(head -n 2 "$work/r.err" | tr '\n' ' ')"
	fi
}
: > "$work/empty.img"
head -c 1000 /dev/zero > "$work/odd.img"
mkdir "$work/dir.img"
refuse "a missing image" --virtio-blk "$work/none.img"
refuse "an empty image" --virtio-blk "$work/empty.img"
refuse "an odd-sized image" --virtio-blk "$work/odd.img"
refuse "a directory" --virtio-blk "$work/dir.img"
refuse "a fifth disk" --virtio-blk "$work/d1.img" --virtio-blk "$work/d1.img" \
	--virtio-blk "$work/d1.img" --virtio-blk "$work/d1.img" --virtio-blk "$work/d1.img"
refuse "a bad console" --virtio-console "tcp:1234"
refuse "a bad transport" --virtio-transport isa --virtio-blk "$work/d1.img"
refuse "virtio on xt" --machine xt --virtio-blk "$work/d1.img"
refuse "too many mmio devices" --virtio-transport mmio --virtio-blk "$work/d1.img" \
	--virtio-blk "$work/d1.img" --virtio-blk "$work/d1.img" --virtio-blk "$work/d1.img" \
	--nic model=virtio,none --nic model=virtio,none
check_end

; hw_virtio_mmio: the virtio-blk checks of virtio_blk_body.inc on the virtio-mmio
; (version 2) transport: the disk at FEB00000h with IRQ 9 (the first of pc_virtio.c's
; IRQ order that is free), then the console at FEB01000h prints a line, which must
; appear in the --virtio-console file.
; tandem-args: --cpu pentium --virtio-transport mmio
; virtio-blk: yes
; expect-vblk-at: 100 hw_virtio_blk.vblk
; expect-virtio-console: hw_virtio_mmio.vcon
; oracle: none (tandem only)
%include "lib.inc"
%include "vguest.inc"
%define VIRTIO_MMIO
%include "virtio_blk_body.inc"

	bits	32
console_hello:
	mov	ebp, ctx2
	mov	edi, 0xfeb01000
	mov	eax, 3
	mov	esi, 0x28000
	call	vmmio_open
	CHECK32	nc, 40
	xor	eax, eax
	call	v_negotiate
	CHECK32	nc, 41
	mov	ecx, 1
	call	v_queue_setup
	CHECK32	nc, 42
	mov	al, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK
	call	v_set_status
	mov	esi, hello_list
	mov	edx, 1
	mov	ecx, 1
	call	v_submit
	call	v_wait
	CHECK32	nc, 43
	PUTS32	"console line sent", 10
	ret

	align	4
ctx2:	times	VCTX_SIZE db 0
hello:	db	"hello over virtio-mmio", 10
hello_end:
hello_list:
	dd	hello, hello_end - hello
	dw	0
	bits	16
%include "tail.inc"

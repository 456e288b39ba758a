; hw_virtio_console: virtio-console (1AF4:1043) on virtio-pci: no device features
; besides VERSION_1 and INDIRECT_DESC (no SIZE, MULTIPORT, EMERG_WRITE), both port-0
; queues set up, two lines sent on the transmit queue (one as a chain of two
; buffers, one through an indirect table); they must appear byte for byte in the
; --virtio-console file, and each used element says 0 bytes written.
; tandem-args: --cpu pentium
; expect-virtio-console: hw_virtio_console.vcon
; oracle: none (tandem only)
%include "lib.inc"
%include "vguest.inc"
	cpu	386

main:
	PRINT	"virtio-console", 10
	ENTER_PM32 pm

	bits	32
pm:	mov	ebp, ctx
	mov	eax, 0x10431af4
	xor	ecx, ecx
	mov	edi, 0xc0000000
	mov	esi, 0x20000
	call	vpci_open
	CHECK32	nc, 1
	xor	ecx, ecx
	call	v_get_features
	and	eax, ~(1 << 28)			; only INDIRECT_DESC in word 0
	CHECK32	z, 2
	mov	eax, 1 << 28			; INDIRECT_DESC
	call	v_negotiate
	CHECK32	nc, 3
	mov	edi, [ebp + D_DEVCFG]
	cmp	dword [edi + 4], 1		; max_nr_ports
	CHECK32	e, 4
	xor	ecx, ecx
	call	v_queue_setup
	CHECK32	nc, 5
	mov	ecx, 1
	call	v_queue_setup
	CHECK32	nc, 6
	mov	al, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK
	call	v_set_status
	mov	esi, list1
	mov	edx, 2
	mov	ecx, 1
	call	v_submit
	call	v_wait
	CHECK32	nc, 7
	cmp	eax, 0
	CHECK32	e, 8
	mov	esi, list2			; the second line via an indirect table
	mov	edx, 1
	mov	ecx, 1
	call	v_submit
	call	v_wait
	CHECK32	nc, 9
	call	v_get_status
	test	al, ST_NEEDS_RESET
	CHECK32	z, 10
	PUTS32	"sent", 10
	jmp	pass32

%include "virtio.inc"

	align	16
itable:	dd	line2, 0, line2_end - line2 - 6, 0x00010001	; NEXT, next 1
	dd	line2_end - 6, 0, 6, 0
ctx:	times	VCTX_SIZE db 0
line1:	db	"hello from "
line1b:	db	"virtio-console", 10
line1_end:
line2:	db	"second line, indirect", 10
line2_end:
list1:	dd	line1, line1b - line1
	dw	0
	dd	line1b, line1_end - line1b
	dw	0
list2:	dd	itable, 32
	dw	4
	bits	16
%include "tail.inc"

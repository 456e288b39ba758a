; state_virtio: a long virtio run for savestate.sh: a virtio-console on virtio-pci
; (output to /dev/null) takes 1200 transmit requests, one at a time, each of 1-64 bytes
; from a moving window, with a delay loop between them, so that a state saved at 1/3
; or 2/3 of the run has the queues live (rings set up, indices mid-way). After every
; 300 requests the guest prints the used index and the sum of the ISR reads; at the
; end both must be what an uninterrupted run gives (1200 and 1200), and the device
; must not need a reset.
; tandem-args: --cpu pentium --virtio-console file:/dev/null
; oracle: none (tandem only)
%include "lib.inc"
%include "vguest.inc"
	cpu	386

N		equ	1200

main:
	PRINT	"state_virtio", 10
	ENTER_PM32 pm

	bits	32
pm:	mov	ebp, ctx
	mov	eax, 0x10431af4
	xor	ecx, ecx
	mov	edi, 0xc0000000
	mov	esi, 0x20000
	call	vpci_open
	CHECK32	nc, 1
	xor	eax, eax
	call	v_negotiate
	CHECK32	nc, 2
	mov	ecx, 1
	call	v_queue_setup
	CHECK32	nc, 3
	mov	al, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK
	call	v_set_status
	xor	esi, esi			; request number
	xor	ebx, ebx			; ISR sum
.req:	mov	eax, esi
	and	eax, 63
	add	eax, text
	mov	[list], eax
	mov	eax, esi
	imul	eax, eax, 7
	and	eax, 63
	inc	eax
	mov	[list + 4], eax
	push	esi
	mov	esi, list
	mov	edx, 1
	mov	ecx, 1
	call	v_submit
	call	v_wait
	pop	esi
	CHECK32	nc, 4
	call	v_isr
	movzx	eax, al
	add	ebx, eax
	mov	ecx, 6000			; time passes between requests
.spin:	loop	.spin
	inc	esi
	mov	eax, esi
	xor	edx, edx
	mov	ecx, 300
	div	ecx
	test	edx, edx
	jnz	.next
	movzx	eax, word [0x20000 + 0x2000 + 0x802]	; queue 1's used index
	call	hex32
	mov	eax, ebx
	call	hex32
	call	nl32
.next:	cmp	esi, N
	jb	.req
	cmp	word [0x20000 + 0x2000 + 0x802], N
	CHECK32	e, 5
	cmp	ebx, N
	CHECK32	e, 6
	call	v_get_status
	test	al, ST_NEEDS_RESET
	CHECK32	z, 7
	jmp	pass32

%include "virtio.inc"

	align	4
ctx:	times	VCTX_SIZE db 0
list:	dd	0, 0
	dw	0
text:	times	128 db 'v'
	bits	16
%include "tail.inc"

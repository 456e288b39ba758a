; virtio_net: two virtio-net cards (1AF4:1041, virtio-pci) on one internal network,
; driven at register level in 32-bit protected mode. Both must offer MAC and STATUS
; and no offload (CSUM, GUEST_CSUM, GSO, MRG_RXBUF, CTRL_VQ), hold their MACs
; (52:54:00:12:34:56 and :57) and LINK_UP in the config space. B posts two receive
; buffers; A sends a 200-byte broadcast (virtio_net_hdr and frame in two descriptors)
; and a 60-byte frame to B (header and frame in one). B must receive both through the
; internal network in order: used length 12 + frame, a header of zeros with
; num_buffers 1, the frame byte for byte, and a queue interrupt in its ISR.
; tests/net/virtio_net.sh checks the --net-dump as well.
; tandem: --nic model=virtio,internal,name=N --nic model=virtio,internal,name=N
%include "lib.inc"
%include "vguest.inc"
	cpu	386

RINGS_A		equ	0x20000
RINGS_B		equ	0x24000
TXHDR		equ	0x30000
FRAME1		equ	0x31000
FRAME2		equ	0x32000		; header and frame together
RXBUF		equ	0x40000		; two buffers of 1530 bytes at 40000h, 41000h
LEN1		equ	200
LEN2		equ	60

main:
	PRINT	"virtio-net", 10
	ENTER_PM32 pm

	bits	32
pm:	mov	ebp, ctx_a
	mov	eax, 0x10411af4
	xor	ecx, ecx
	mov	edi, 0xc0000000
	mov	esi, RINGS_A
	call	open_card
	mov	ebp, ctx_b
	mov	eax, 0x10411af4
	mov	ecx, 1
	mov	edi, 0xc0001000
	mov	esi, RINGS_B
	call	open_card
	mov	ebp, ctx_a
	mov	esi, mac_a
	call	check_config
	mov	ebp, ctx_b
	mov	esi, mac_b
	call	check_config
	PUTS32	"two cards, MACs and link up", 10

	; B: two receive buffers, descriptors 0 and 1
	mov	edi, RINGS_B
	mov	dword [edi], RXBUF
	mov	dword [edi + 8], 1530
	mov	word [edi + 12], 2		; WRITE
	mov	dword [edi + 16], RXBUF + 0x1000
	mov	dword [edi + 24], 1530
	mov	word [edi + 28], 2
	mov	word [edi + 0x404], 0
	mov	word [edi + 0x406], 1
	mov	word [edi + 0x402], 2
	xor	ecx, ecx
	call	v_notify

	; the frames
	mov	edi, FRAME1
	mov	eax, 0xffffffff
	stosd
	stosw
	mov	esi, mac_a
	movsd
	movsw
	mov	ax, 0xb588
	stosw
	mov	al, 1
	mov	ecx, LEN1 - 14
	call	fill
	mov	edi, FRAME2
	xor	eax, eax
	mov	ecx, 12
	rep	stosb
	mov	esi, mac_b
	movsd
	movsw
	mov	esi, mac_a
	movsd
	movsw
	mov	ax, 0xb588
	stosw
	mov	al, 2
	mov	ecx, LEN2 - 14
	call	fill
	mov	edi, TXHDR
	xor	eax, eax
	mov	ecx, 12
	rep	stosb

	mov	ebp, ctx_a
	mov	esi, tx1
	mov	edx, 2
	mov	ecx, 1
	call	v_submit
	call	v_wait
	CHECK32	nc, 20
	mov	esi, tx2
	mov	edx, 1
	mov	ecx, 1
	call	v_submit
	call	v_wait
	CHECK32	nc, 21
	PUTS32	"sent 2", 10

	mov	ebp, ctx_b
	mov	ecx, 20000000
.rx:	cmp	word [RINGS_B + 0x802], 2
	je	.got
	loop	.rx
	FAIL32	22
.got:	mov	ebx, 0				; used element 0: frame 1 in buffer 0
	mov	esi, FRAME1
	mov	ecx, LEN1
	call	check_rx
	mov	ebx, 1
	mov	esi, FRAME2 + 12
	mov	ecx, LEN2
	call	check_rx
	call	v_isr
	test	al, 1
	CHECK32	nz, 30
	PUTS32	"received 2", 10
	jmp	pass32

; open_card: vpci_open (EAX ECX EDI ESI), features MAC+STATUS+INDIRECT, both queues,
; DRIVER_OK
open_card:
	call	vpci_open
	CHECK32	nc, 1
	push	ecx
	xor	ecx, ecx
	call	v_get_features
	pop	ecx
	test	eax, 0x0002ffff & ~((1 << 5) | (1 << 16))
	CHECK32	z, 2				; no offloads, no CTRL_VQ
	mov	ebx, eax
	and	ebx, (1 << 5) | (1 << 16)
	cmp	ebx, (1 << 5) | (1 << 16)
	CHECK32	e, 3
	mov	eax, (1 << 5) | (1 << 16) | (1 << 28)
	call	v_negotiate
	CHECK32	nc, 4
	xor	ecx, ecx
	call	v_queue_setup
	CHECK32	nc, 5
	mov	ecx, 1
	call	v_queue_setup
	CHECK32	nc, 6
	mov	al, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK
	call	v_set_status
	ret

; check_config: MAC at ESI, status LINK_UP
check_config:
	mov	edi, [ebp + D_DEVCFG]
	mov	ecx, 6
	call	memcmp32
	CHECK32	e, 7
	test	byte [edi + 6], 1
	CHECK32	nz, 8
	ret

; fill: ECX bytes at EDI of v, v + 3Bh, ... starting with AL
fill:	stosb
	add	al, 0x3b
	loop	fill
	ret

; check_rx: used element EBX of B's receive queue must be buffer EBX with 12 + ECX
; bytes: a zero header with num_buffers 1, then the ECX bytes at ESI.
check_rx:
	cmp	[RINGS_B + 0x804 + ebx * 8], ebx
	CHECK32	e, 23
	lea	eax, [ecx + 12]
	cmp	[RINGS_B + 0x808 + ebx * 8], eax
	CHECK32	e, 24
	mov	edi, ebx
	shl	edi, 12
	add	edi, RXBUF
	cmp	dword [edi], 0			; flags, gso_type, hdr_len
	CHECK32	e, 25
	cmp	dword [edi + 4], 0		; gso_size, csum_start
	CHECK32	e, 26
	cmp	dword [edi + 8], 0x00010000	; csum_offset 0, num_buffers 1
	CHECK32	e, 27
	add	edi, 12
	call	memcmp32
	CHECK32	e, 28
	ret

%include "virtio.inc"

	align	4
ctx_a:	times	VCTX_SIZE db 0
ctx_b:	times	VCTX_SIZE db 0
mac_a:	db	0x52, 0x54, 0x00, 0x12, 0x34, 0x56
mac_b:	db	0x52, 0x54, 0x00, 0x12, 0x34, 0x57
tx1:	dd	TXHDR, 12
	dw	0
	dd	FRAME1, LEN1
	dw	0
tx2:	dd	FRAME2, 12 + LEN2
	dw	0
	bits	16
%include "tail.inc"

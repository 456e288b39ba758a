; hw_virtio_bad: a hostile driver against virtio-blk on virtio-pci. Each case breaks
; the split-ring rules; the device must stop with DEVICE_NEEDS_RESET (status 40h) and a
; configuration-change interrupt (ISR bit 1), touch nothing outside guest RAM, and work
; again after a reset (a READ of sector 1 must then succeed). Cases: a buffer outside
; RAM, a buffer whose length wraps past 4 GiB, avail->idx 1000 ahead, an avail entry
; naming descriptor 200 of 16, a two-descriptor loop, a 16-descriptor ring of NEXT
; links, a next index beyond the table, a readable buffer after a writable one, an
; indirect table of 24 bytes, an indirect descriptor inside an indirect table, and a
; queue enabled with its descriptor table outside RAM. tandem must neither crash nor
; hang (run.sh's timeout).
; tandem-args: --cpu pentium
; virtio-blk: yes
; oracle: none (tandem only)
%include "lib.inc"
%include "vguest.inc"
	cpu	386

RINGS		equ	0x20000
DESC		equ	RINGS
AVAIL		equ	RINGS + 0x400
HDR		equ	0x30000
STATUS		equ	0x30010
ITABLE		equ	0x31000
BUF		equ	0x40000
OUTSIDE		equ	0x7f000000	; far above the 16 MiB of RAM

main:
	PRINT	"virtio-bad", 10
	ENTER_PM32 pm

	bits	32
pm:	mov	ebp, ctx
	mov	eax, 0x10421af4
	xor	ecx, ecx
	mov	edi, 0xc0000000
	mov	esi, RINGS
	call	vpci_open
	CHECK32	nc, 1
	call	start
	CHECK32	nc, 2
	call	good_read
	CHECK32	nc, 3

	mov	byte [case], 10			; a buffer outside RAM
	call	hdr_read
	mov	dword [DESC + 16], OUTSIDE
	call	submit_raw
	call	broken

	mov	byte [case], 11			; a length that wraps past 4 GiB
	call	hdr_read
	mov	dword [DESC + 16], 0x100000
	mov	dword [DESC + 24], 0xfff00000
	call	submit_raw
	call	broken

	mov	byte [case], 12			; avail->idx far ahead
	call	hdr_read
	add	word [AVAIL + 2], 1000
	xor	ecx, ecx
	call	v_notify
	call	broken

	mov	byte [case], 13			; a head beyond the queue
	call	hdr_read
	movzx	eax, word [AVAIL + 2]
	and	eax, QSIZE - 1
	mov	word [AVAIL + 4 + eax * 2], 200
	inc	word [AVAIL + 2]
	xor	ecx, ecx
	call	v_notify
	call	broken

	mov	byte [case], 14			; descriptor 1 links back to 0
	call	hdr_read
	mov	word [DESC + 16 + 12], 3	; NEXT | WRITE
	mov	word [DESC + 16 + 14], 0
	call	submit_raw
	call	broken

	mov	byte [case], 15			; all 16 descriptors in a NEXT ring
	mov	edi, DESC
	xor	ecx, ecx
.ring:	mov	dword [edi], BUF
	mov	dword [edi + 4], 0
	mov	dword [edi + 8], 16
	mov	word [edi + 12], 3
	lea	eax, [ecx + 1]
	and	eax, QSIZE - 1
	mov	[edi + 14], ax
	add	edi, 16
	inc	ecx
	cmp	ecx, QSIZE
	jb	.ring
	call	submit_raw
	call	broken

	mov	byte [case], 16			; next beyond the table
	call	hdr_read
	mov	word [DESC + 16 + 12], 3
	mov	word [DESC + 16 + 14], QSIZE
	call	submit_raw
	call	broken

	mov	byte [case], 17			; readable after writable
	call	hdr_read
	mov	word [DESC + 32 + 12], 0	; the status buffer made device-readable
	call	submit_raw
	call	broken

	mov	byte [case], 18			; an indirect table of 24 bytes
	call	hdr_read
	mov	dword [DESC], ITABLE
	mov	dword [DESC + 8], 24
	mov	word [DESC + 12], 4
	call	submit_raw
	call	broken

	mov	byte [case], 19			; an indirect descriptor in an indirect table
	call	hdr_read
	mov	dword [ITABLE], ITABLE
	mov	dword [ITABLE + 4], 0
	mov	dword [ITABLE + 8], 32
	mov	dword [ITABLE + 12], 4
	mov	dword [DESC], ITABLE
	mov	dword [DESC + 8], 32
	mov	word [DESC + 12], 4
	call	submit_raw
	call	broken

	mov	byte [case], 20			; a queue whose table is outside RAM
	mov	eax, (1 << 9) | (1 << 28)
	call	v_negotiate
	CHECK32	nc, 20
	mov	esi, [ebp + D_COMMON]
	mov	word [esi + CC_QSEL], 0
	mov	word [esi + CC_QSIZE], QSIZE
	mov	dword [esi + CC_QDESC], OUTSIDE
	mov	dword [esi + CC_QAVAIL], AVAIL
	mov	dword [esi + CC_QUSED], RINGS + 0x800
	mov	word [esi + CC_QENABLE], 1
	cmp	word [esi + CC_QENABLE], 0	; refused
	CHECK32	e, 21
	call	v_get_status
	test	al, ST_NEEDS_RESET
	CHECK32	nz, 22
	call	start
	CHECK32	nc, 23
	call	good_read
	CHECK32	nc, 24
	PUTS32	"all cases refused, device recovered", 10
	jmp	pass32

; start: negotiate, queue 0, DRIVER_OK; CF on failure
start:
	mov	eax, (1 << 9) | (1 << 28)
	call	v_negotiate
	jc	.r
	xor	ecx, ecx
	call	v_queue_setup
	jc	.r
	mov	al, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK
	call	v_set_status
	clc
.r:	ret

; good_read: READ of sector 1 into BUF must complete with status OK and data; CF if not
good_read:
	call	hdr_read
	mov	esi, list
	mov	edx, 3
	xor	ecx, ecx
	call	v_submit
	call	v_wait
	jc	.bad
	cmp	eax, 513
	jne	.bad
	cmp	byte [STATUS], 0
	jne	.bad
	mov	esi, BUF
	mov	edi, 0x7e00
	mov	ecx, 512
	call	memcmp32
	jne	.bad
	call	v_get_status
	test	al, ST_NEEDS_RESET
	jnz	.bad
	clc
	ret
.bad:	stc
	ret

; hdr_read: a well-formed READ of sector 1 as descriptors 0-2 (header, BUF, status)
hdr_read:
	pushad
	mov	dword [HDR], 0
	mov	dword [HDR + 4], 0
	mov	dword [HDR + 8], 1
	mov	dword [HDR + 12], 0
	mov	byte [STATUS], 0xff
	mov	edi, DESC
	mov	esi, list
	xor	ecx, ecx
.d:	mov	eax, [esi]
	mov	[edi], eax
	mov	dword [edi + 4], 0
	mov	eax, [esi + 4]
	mov	[edi + 8], eax
	mov	ax, [esi + 8]
	cmp	ecx, 2
	je	.l
	or	ax, 1
.l:	mov	[edi + 12], ax
	lea	eax, [ecx + 1]
	mov	[edi + 14], ax
	add	esi, 10
	add	edi, 16
	inc	ecx
	cmp	ecx, 3
	jb	.d
	popad
	ret

; submit_raw: head 0 on the avail ring as it stands, then notify queue 0
submit_raw:
	movzx	eax, word [AVAIL + 2]
	mov	ebx, eax
	and	ebx, QSIZE - 1
	mov	word [AVAIL + 4 + ebx * 2], 0
	inc	eax
	mov	[AVAIL + 2], ax
	xor	ecx, ecx
	call	v_notify
	ret

; broken: the device must say NEEDS_RESET with a config interrupt, have used
; nothing, and work again after a reset. Fails with the case number.
broken:
	call	v_get_status
	test	al, ST_NEEDS_RESET
	jz	.f
	call	v_isr
	test	al, 2
	jz	.f
	call	start
	jc	.f
	call	good_read
	jc	.f
	PUTS32	"case "
	movzx	eax, byte [case]
	call	hex32
	PUTS32	"refused", 10
	ret
.f:	mov	bl, [case]
	jmp	fail32

%include "virtio.inc"

	align	4
ctx:	times	VCTX_SIZE db 0
case:	db	0
list:	dd	HDR, 16
	dw	0
	dd	BUF, 512
	dw	2
	dd	STATUS, 1
	dw	2
	bits	16
%include "tail.inc"

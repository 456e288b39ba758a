; bios_mouse: INT 15h AH=C2h. Initialise (3-byte packets), install a far handler,
; reset (BL=AAh, BH=00h ID), get type, sample rate 100, resolution 8/mm, status (E9h:
; reporting off, 100 samples), enable; then the --keys movement (5 right, 3 up) must
; reach the handler as a packet: status bit 3 set, X = 5, Y = 3 (PS/2 counts up as
; positive). Disable, remove the handler; enabling without a handler fails (AH=05h).
; tandem-args: --keys {wait:1500}{mouse:5,-3}
; expect-status: 1
; oracle: none (the movement comes from --keys)
%include "lib.inc"

main:
	PRINT	"bios_mouse", 10
	mov	ax, 0xc205		; initialise, 3-byte packets
	mov	bh, 3
	int	0x15
	jc	.bad1
	mov	ax, 0xc207		; handler
	push	cs
	pop	es
	mov	bx, handler
	int	0x15
	jc	.bad2
	mov	ax, 0xc201		; reset
	int	0x15
	jc	.bad3
	cmp	bx, 0x00aa
	jne	.bad3
	mov	ax, 0xc204		; type
	int	0x15
	jc	.bad4
	cmp	bh, 0
	jne	.bad4
	mov	ax, 0xc202		; 100 samples a second
	mov	bh, 5
	int	0x15
	jc	.bad5
	mov	ax, 0xc203		; 8 counts per mm
	mov	bh, 3
	int	0x15
	jc	.bad5
	mov	ax, 0xc206		; status
	xor	bh, bh
	int	0x15
	jc	.bad6
	cmp	dl, 100
	jne	.bad6
	cmp	cl, 3
	jne	.bad6
	test	bl, 0x20		; reporting still off
	jnz	.bad6
	mov	ax, 0xc200		; enable
	mov	bh, 1
	int	0x15
	jc	.bad7
	PRINT	"enabled", 10
	xor	ax, ax			; wait for the packet (about 3 s of ticks)
	mov	es, ax
	mov	bx, [es:0x46c]
.wait:	cmp	byte [got], 0
	jne	.have
	mov	ax, [es:0x46c]
	sub	ax, bx
	cmp	ax, 55
	ja	.bad8
	hlt
	jmp	.wait
.have:	PRINT	"packet "
	mov	al, [pkt_status]
	call	puthex8
	mov	al, ' '
	call	putc
	mov	al, [pkt_x]
	call	puthex8
	mov	al, ' '
	call	putc
	mov	al, [pkt_y]
	call	puthex8
	call	nl
	test	byte [pkt_status], 0x08
	jz	.bad9
	cmp	byte [pkt_x], 5
	jne	.bad9
	cmp	byte [pkt_y], 3
	jne	.bad9
	mov	ax, 0xc200		; disable
	xor	bh, bh
	int	0x15
	jc	.bad10
	mov	ax, 0xc207		; no handler
	xor	bx, bx
	mov	es, bx
	int	0x15
	mov	ax, 0xc200		; enabling now fails
	mov	bh, 1
	int	0x15
	jnc	.bad11
	cmp	ah, 5
	jne	.bad11
	jmp	pass
.bad1:	FAIL	1
.bad2:	FAIL	2
.bad3:	FAIL	3
.bad4:	FAIL	4
.bad5:	FAIL	5
.bad6:	FAIL	6
.bad7:	FAIL	7
.bad8:	FAIL	8
.bad9:	FAIL	9
.bad10:	FAIL	10
.bad11:	FAIL	11

; far handler: [sp+4] 0, [sp+6] Y, [sp+8] X, [sp+10] status
handler:
	push	bp
	mov	bp, sp
	push	ax
	push	ds
	xor	ax, ax
	mov	ds, ax
	cmp	byte [got], 0
	jne	.r
	mov	al, [bp + 12]
	mov	[pkt_status], al
	mov	al, [bp + 10]
	mov	[pkt_x], al
	mov	al, [bp + 8]
	mov	[pkt_y], al
	mov	byte [got], 1
.r:	pop	ds
	pop	ax
	pop	bp
	retf

got		db	0
pkt_status	db	0
pkt_x		db	0
pkt_y		db	0

%include "tail.inc"

; vga_cga4: CGA mode 04h (320x200, 4 colours, odd/even, even and odd lines in the
; two 8 KiB banks at B8000h/BA000h) set through the registers: a checkerboard of
; the four colours, a 0-1-2-3 ramp in the top rows and a diagonal in colour 3.
; expect-png: vga_cga4.png
%include "lib.inc"

main:
	mov	si, mode04
	call	set_regs
	call	dac_ramp
	mov	ax, 0xb800
	mov	es, ax
	xor	dx, dx			; y
.row:	mov	di, dx
	shr	di, 1
	mov	ax, 80
	push	dx
	mul	di
	pop	dx
	mov	di, ax
	test	dl, 1
	jz	.even
	add	di, 0x2000
.even:	xor	cx, cx			; byte column
.byte:	mov	al, 0x1b		; pixels 0, 1, 2, 3
	cmp	dx, 8
	jb	.put
	mov	ax, cx
	shr	ax, 1
	mov	bx, dx
	push	cx
	mov	cl, 3
	shr	bx, cl
	pop	cx
	add	ax, bx
	and	al, 3
	mov	ah, 0x55
	mul	ah			; colour c in all four pixels
.put:	stosb
	inc	cx
	cmp	cx, 80
	jb	.byte
	; diagonal pixel at x = y + 60: colour 3
	mov	bx, dx
	add	bx, 60
	mov	cl, bl
	and	cl, 3
	shl	cl, 1
	mov	al, 0xc0
	shr	al, cl
	sub	di, 80
	shr	bx, 1
	shr	bx, 1
	or	[es:di + bx], al
	inc	dx
	cmp	dx, 200
	jb	.row
	push	ds
	pop	es
	PRINT	"vga_cga4: drawn", 10
	jmp	pass

mode04:	db	0x63
	db	0x03, 0x09, 0x03, 0x00, 0x02
	db	0x2d, 0x27, 0x28, 0x90, 0x2b, 0x80, 0xbf, 0x1f, 0x00, 0xc1, 0x00, 0x00, 0x00
	db	0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x14, 0x00, 0x96, 0xb9, 0xa2, 0xff
	db	0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x0f, 0x0f, 0xff
	db	0x00, 0x13, 0x15, 0x17, 0x02, 0x04, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14
	db	0x15, 0x16, 0x17, 0x01, 0x00, 0x03, 0x00, 0x00

%include "vga_lib.inc"
%include "tail.inc"

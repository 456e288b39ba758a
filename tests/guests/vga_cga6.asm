; vga_cga6: CGA mode 06h (640x200, 2 colours, even/odd lines in two 8 KiB banks at
; B8000h/BA000h, one plane) set through the registers: 8-pixel stripes whose width
; grows down the screen, a diagonal line and a solid bar.
; expect-png: vga_cga6.png
%include "lib.inc"

main:
	mov	si, mode06
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
.even:	mov	bx, di			; row start
	mov	al, dl			; pattern: (y / 25) selects a byte
	xor	ah, ah
	mov	cl, 25
	div	cl
	mov	si, ax
	and	si, 7
	mov	al, [patterns + si]
	mov	cx, 80
	rep	stosb
	; diagonal at x = 3y, solid bar at bytes 70-74
	mov	ax, dx
	mov	cx, 3
	push	dx
	mul	cx
	pop	dx
	mov	si, ax
	mov	cl, al
	and	cl, 7
	mov	al, 0x80
	shr	al, cl
	shr	si, 1
	shr	si, 1
	shr	si, 1
	xor	[es:bx + si], al
	mov	byte [es:bx + 70], 0xff
	mov	byte [es:bx + 71], 0xff
	inc	dx
	cmp	dx, 200
	jb	.row
	push	ds
	pop	es
	PRINT	"vga_cga6: drawn", 10
	jmp	pass

patterns: db	0xaa, 0xcc, 0xf0, 0xff, 0x00, 0x81, 0x3c, 0x55

mode06:	db	0x63
	db	0x03, 0x01, 0x01, 0x00, 0x06
	db	0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0xc1, 0x00, 0x00, 0x00
	db	0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x00, 0x96, 0xb9, 0xc2, 0xff
	db	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x0f, 0xff
	db	0x00, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17
	db	0x17, 0x17, 0x17, 0x01, 0x00, 0x01, 0x00, 0x00

%include "vga_lib.inc"
%include "tail.inc"

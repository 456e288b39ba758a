; vga_modex: unchained 320x240 256-colour Mode X set through the registers.  Page 0
; (offset 0) holds a gradient written plane by plane through the map mask; page 1
; (offset 19200) holds horizontal bands.  The CRTC shows page 1 from its start
; address and splits the screen at scan line 400 (line compare), below which
; page 0 appears from its top.
; expect-png: vga_modex.png
%include "lib.inc"

main:
	mov	si, modex
	call	set_regs
	call	dac_ramp
	mov	ax, 0xa000
	mov	es, ax
	; page 0: pixel (x, y) = x + y, plane x & 3, byte y * 80 + x / 4
	xor	bx, bx			; plane
.plane:	mov	cl, bl
	mov	ah, 1
	shl	ah, cl
	mov	al, 2
	call	seq_set
	xor	di, di
	xor	dx, dx			; y
.row:	xor	cx, cx			; x / 4
.px:	mov	ax, cx
	shl	ax, 1
	shl	ax, 1
	add	ax, bx
	add	ax, dx
	stosb
	inc	cx
	cmp	cx, 80
	jb	.px
	inc	dx
	cmp	dx, 240
	jb	.row
	inc	bx
	cmp	bx, 4
	jb	.plane
	; page 1: 16-line bands of colour 16 * band + 8, all planes at once
	mov	ax, 0x0f02
	call	seq_set
	mov	di, 19200
	xor	dx, dx
.band:	mov	ax, dx
	and	al, 0xf0
	add	al, 8
	mov	cx, 80
	rep	stosb
	inc	dx
	cmp	dx, 240
	jb	.band
	; start address 19200 = 4B00h, line compare 400 = 190h (CR18 = 90h, CR07
	; bit 4 = bit 8, CR09 bit 6 = bit 9 clear)
	mov	dx, 0x3d4
	mov	ax, 0x4b0c
	out	dx, ax
	mov	ax, 0x000d
	out	dx, ax
	mov	ax, 0x9018
	out	dx, ax
	mov	ax, 0x0109
	out	dx, ax
	push	ds
	pop	es
	PRINT	"vga_modex: drawn", 10
	jmp	pass

modex:	db	0xe3
	db	0x03, 0x01, 0x0f, 0x00, 0x06
	db	0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0x0d, 0x3e, 0x00, 0x41, 0x00, 0x00, 0x00
	db	0x00, 0x00, 0x00, 0xea, 0xac, 0xdf, 0x28, 0x00, 0xe7, 0x06, 0xe3, 0xff
	db	0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0f, 0xff
	db	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c
	db	0x0d, 0x0e, 0x0f, 0x41, 0x00, 0x0f, 0x00, 0x00

%include "vga_lib.inc"
%include "tail.inc"

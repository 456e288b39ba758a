; vga_13h: mode 13h (320x200, 256 colours, chain-4) set through the registers; a
; diagonal gradient of all 256 colours through a known DAC ramp, a white frame.
; expect-png: vga_13h.png
%include "lib.inc"

main:
	mov	si, mode13
	call	set_regs
	call	dac_ramp
	mov	ax, 0xa000
	mov	es, ax
	xor	di, di
	xor	dx, dx			; y
.row:	xor	cx, cx			; x
.px:	mov	ax, dx
	shl	ax, 1
	add	ax, cx			; colour = x + 2y
	stosb
	inc	cx
	cmp	cx, 320
	jb	.px
	inc	dx
	cmp	dx, 200
	jb	.row
	; frame in colour 255 at rows 0/199 and columns 0/319
	mov	al, 255
	xor	di, di
	mov	cx, 320
	rep	stosb
	mov	di, 199 * 320
	mov	cx, 320
	rep	stosb
	xor	di, di
	mov	cx, 200
.side:	mov	[es:di], al
	mov	[es:di + 319], al
	add	di, 320
	loop	.side
	; read back through chain-4
	cmp	byte [es:5 * 320 + 7], 17
	jne	.bad
	push	ds
	pop	es
	PRINT	"vga_13h: drawn", 10
	jmp	pass
.bad:	push	ds
	pop	es
	mov	al, 1
	jmp	fail

mode13:	db	0x63
	db	0x03, 0x01, 0x0f, 0x00, 0x0e
	db	0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0x41, 0x00, 0x00, 0x00
	db	0x00, 0x00, 0x00, 0x9c, 0x0e, 0x8f, 0x28, 0x40, 0x96, 0xb9, 0xa3, 0xff
	db	0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0f, 0xff
	db	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c
	db	0x0d, 0x0e, 0x0f, 0x41, 0x00, 0x0f, 0x00, 0x00

%include "vga_lib.inc"
%include "tail.inc"

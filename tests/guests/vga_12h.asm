; vga_12h: mode 12h (640x480, 16 colours, planar) set through the registers, drawn
; with every write mode: colour bars (write mode 2), a diagonal (mode 0 with
; set/reset and bit mask), a striped box (mode 3), an XOR block (mode 2 with the
; XOR function), a rotated pattern (mode 0, rotate 3) and a latch copy (mode 1);
; read mode 1 (colour compare) checked by the guest.
; expect-png: vga_12h.png
%include "lib.inc"

main:
	mov	si, mode12
	call	set_regs
	call	dac_ramp
	mov	ax, 0xa000
	mov	es, ax
	; clear: mode 0, set/reset 0 enabled on all planes
	mov	ax, 0x0005
	call	gc_set
	mov	ax, 0x0000
	call	gc_set
	mov	ax, 0x0f01
	call	gc_set
	xor	di, di
	mov	cx, 80 * 480 / 2
	rep	stosw
	mov	ax, 0x0001		; set/reset off
	call	gc_set

	; colour bars, rows 0-239: byte column x gets colour x & 15 (write mode 2)
	mov	ax, 0x0205
	call	gc_set
	xor	dx, dx
.bars:	mov	ax, dx
	mov	bx, 80
	push	dx
	mul	bx
	pop	dx
	mov	di, ax
	xor	cx, cx
.bar:	mov	al, cl
	and	al, 15
	stosb
	inc	cx
	cmp	cx, 80
	jb	.bar
	inc	dx
	cmp	dx, 240
	jb	.bars

	; read mode 1: compare colour 3, all planes: byte 3 of row 0 is all 3s
	mov	ax, 0x0305
	call	gc_set
	mov	ax, 0x0302
	call	gc_set
	mov	ax, 0x0f07
	call	gc_set
	mov	al, [es:3]
	cmp	al, 0xff
	jne	.bad1
	mov	al, [es:4]
	cmp	al, 0x00
	jne	.bad1
	mov	ax, 0x0707		; ignore plane 3: colour 11 matches 3 too
	call	gc_set
	mov	al, [es:11]
	cmp	al, 0xff
	jne	.bad1

	; diagonal, rows 240-479 at x = y - 240 + 100: write mode 0, set/reset
	; colour 14, the bit mask picks the pixel; the read loads the latches
	mov	ax, 0x0005
	call	gc_set
	mov	ax, 0x0e00
	call	gc_set
	mov	ax, 0x0f01
	call	gc_set
	mov	dx, 240
.diag:	mov	ax, dx
	mov	bx, 80
	push	dx
	mul	bx
	pop	dx
	mov	bx, dx
	sub	bx, 240 - 100		; x
	push	ax
	mov	cl, bl
	and	cl, 7
	mov	ah, 0x80
	shr	ah, cl
	mov	al, 8
	call	gc_set			; bit mask
	pop	ax
	mov	cl, 3
	shr	bx, cl
	add	ax, bx
	mov	di, ax
	mov	al, [es:di]
	mov	[es:di], al
	inc	dx
	cmp	dx, 480
	jb	.diag
	mov	ax, 0xff08
	call	gc_set
	mov	ax, 0x0001
	call	gc_set

	; striped box, rows 300-379, bytes 40-59: write mode 3, colour 9, data AAh
	mov	ax, 0x0305
	call	gc_set
	mov	ax, 0x0900
	call	gc_set
	mov	dx, 300
.box:	mov	ax, dx
	mov	bx, 80
	push	dx
	mul	bx
	pop	dx
	add	ax, 40
	mov	di, ax
	mov	cx, 20
.boxb:	mov	al, [es:di]
	mov	al, 0xaa
	stosb
	loop	.boxb
	inc	dx
	cmp	dx, 380
	jb	.box

	; XOR block, rows 200-279, bytes 10-29: write mode 2, colour 5, XOR
	mov	ax, 0x0205
	call	gc_set
	mov	ax, 0x1803
	call	gc_set
	mov	dx, 200
.xor:	mov	ax, dx
	mov	bx, 80
	push	dx
	mul	bx
	pop	dx
	add	ax, 10
	mov	di, ax
	mov	cx, 20
.xorb:	mov	al, [es:di]
	mov	al, 5
	stosb
	loop	.xorb
	inc	dx
	cmp	dx, 280
	jb	.xor
	mov	ax, 0x0003
	call	gc_set

	; rotate: rows 420-439, bytes 0-19: mode 0, data 0Fh rotated right by 3
	; = E1h, map mask planes 0 and 2 (colour 5 on black)
	mov	ax, 0x0005
	call	gc_set
	mov	ax, 0x0303
	call	gc_set
	mov	ax, 0x0502
	call	seq_set
	mov	dx, 420
.rot:	mov	ax, dx
	mov	bx, 80
	push	dx
	mul	bx
	pop	dx
	mov	di, ax
	mov	cx, 20
.rotb:	mov	al, [es:di]
	mov	al, 0x0f
	stosb
	loop	.rotb
	inc	dx
	cmp	dx, 440
	jb	.rot
	mov	ax, 0x0003
	call	gc_set
	mov	ax, 0x0f02
	call	seq_set

	; latch copy: rows 0-49 of bytes 0-19 to rows 400-449 at bytes 60-79
	mov	ax, 0x0105
	call	gc_set
	push	ds
	mov	ax, es
	mov	ds, ax
	xor	dx, dx
.copy:	mov	ax, dx
	mov	bx, 80
	push	dx
	mul	bx
	pop	dx
	mov	si, ax
	add	ax, 400 * 80 + 60
	mov	di, ax
	mov	cx, 20
	rep	movsb
	inc	dx
	cmp	dx, 50
	jb	.copy
	pop	ds
	mov	ax, 0x0005
	call	gc_set

	push	ds
	pop	es
	PRINT	"vga_12h: drawn", 10
	jmp	pass
.bad1:	push	ds
	pop	es
	mov	al, 1
	jmp	fail

mode12:	db	0xe3
	db	0x03, 0x01, 0x0f, 0x00, 0x06
	db	0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0x0b, 0x3e, 0x00, 0x40, 0x00, 0x00, 0x00
	db	0x00, 0x00, 0x00, 0xea, 0x8c, 0xdf, 0x28, 0x00, 0xe7, 0x04, 0xe3, 0xff
	db	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0f, 0xff
	db	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c
	db	0x3d, 0x3e, 0x3f, 0x01, 0x00, 0x0f, 0x00, 0x00

%include "vga_lib.inc"
%include "tail.inc"

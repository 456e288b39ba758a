; vga_vbe32: Bochs VBE 800x600x32 through ports 1CEh/1CFh, drawn through the
; 64 KiB bank window at A0000h: blue = x, green = y, red = (x + y) / 4 (low
; 8 bits each), and the ID, capability (at least 1024 wide) and virtual-height (16 MiB)
; registers checked.
; expect-png: vga_vbe32.png
; oracle: qemu (Bochs 2.7 does not finish the 30 s oracle run)
%include "lib.inc"

VBE_INDEX	equ	0x1ce
VBE_DATA	equ	0x1cf

%macro VBE_OUT 2
	mov	dx, VBE_INDEX
	mov	ax, %1
	out	dx, ax
	mov	dx, VBE_DATA
	mov	ax, %2
	out	dx, ax
%endmacro

main:
	VBE_OUT	0, 0xb0c5
	in	ax, dx
	cmp	ax, 0xb0c5
	mov	bl, 1
	jne	.bad
	VBE_OUT	4, 0x02			; GETCAPS: the maximum resolution
	mov	dx, VBE_INDEX
	mov	ax, 1
	out	dx, ax
	mov	dx, VBE_DATA
	in	ax, dx
	cmp	ax, 1024
	mov	bl, 2
	jb	.bad
	VBE_OUT	4, 0
	VBE_OUT	1, 800
	VBE_OUT	2, 600
	VBE_OUT	3, 32
	VBE_OUT	4, 0x41			; enabled, linear framebuffer
	mov	dx, VBE_INDEX
	mov	ax, 7			; virtual height: 16 MiB / 3200
	out	dx, ax
	mov	dx, VBE_DATA
	in	ax, dx
	cmp	ax, 5242
	mov	bl, 3
	jne	.bad
	mov	ax, 0xa000
	mov	es, ax
	xor	di, di
	xor	bp, bp			; bank
	xor	si, si			; y
.row:	xor	cx, cx			; x
.px:	mov	al, cl			; blue
	stosb
	mov	ax, si			; green
	stosb
	mov	ax, cx
	add	ax, si
	shr	ax, 1
	shr	ax, 1
	stosb				; red
	xor	al, al
	stosb
	or	di, di
	jnz	.same
	inc	bp
	VBE_OUT	5, bp
.same:	inc	cx
	cmp	cx, 800
	jb	.px
	inc	si
	cmp	si, 600
	jb	.row
	push	ds
	pop	es
	PRINT	"vga_vbe32: drawn", 10
	jmp	pass
.bad:	push	ds
	pop	es
	mov	al, bl
	jmp	fail

%include "vga_lib.inc"
%include "tail.inc"

; vga_font: text mode 03h (80x25, 9-dot cells, 16 lines) set through the registers,
; with glyphs the guest writes into plane 2: 'A' a checkerboard, 'B' a frame, every
; other character blank.  The screen shows them in several attributes, including
; the 9th-dot extension of line-graphics characters (C0h-DFh).
; expect-png: vga_font.png
%include "lib.inc"

main:
	mov	si, mode03
	call	set_regs
	call	dac_ramp
	; plane 2 alone, linear addressing, A0000h: the font memory
	mov	ax, 0x0402
	call	seq_set
	mov	ax, 0x0704
	call	seq_set
	mov	ax, 0x0204
	call	gc_set
	mov	ax, 0x0005
	call	gc_set
	mov	ax, 0x0406
	call	gc_set
	mov	ax, 0xa000
	mov	es, ax
	xor	di, di			; clear all 256 glyphs of font 0
	xor	ax, ax
	mov	cx, 256 * 32 / 2
	rep	stosw
	mov	di, 'A' * 32
	mov	cx, 8
	mov	ax, 0x55aa
	rep	stosw
	mov	di, 'B' * 32		; frame: full rows 0 and 15, sides between
	mov	al, 0xff
	stosb
	mov	cx, 14
	mov	al, 0x81
	rep	stosb
	mov	al, 0xff
	stosb
	mov	di, 0xc4 * 32 + 7	; a horizontal line that continues into dot 9
	mov	al, 0xff
	stosb
	; back to text addressing
	mov	ax, 0x0302
	call	seq_set
	mov	ax, 0x0304
	call	seq_set
	mov	ax, 0x0004
	call	gc_set
	mov	ax, 0x1005
	call	gc_set
	mov	ax, 0x0e06
	call	gc_set
	mov	ax, 0xb800
	mov	es, ax
	xor	di, di
	mov	ax, 0x0720
	mov	cx, 80 * 25
	rep	stosw
	mov	si, cells
	xor	di, di
	mov	cx, ncells
	rep	movsw
	mov	di, 160 * 12
	mov	ax, 0x1ec4
	mov	cx, 80
	rep	stosw
	push	ds
	pop	es
	PRINT	"vga_font: drawn", 10
	jmp	pass

cells:	dw	0x0741, 0x0742, 0x1e41, 0x1e42, 0x4f41, 0x2a42, 0x0720, 0x70c4, 0x70c4
	dw	0x0f41, 0x0f41, 0x0f42, 0x0f42
ncells	equ	($ - cells) / 2

mode03:	db	0x67
	db	0x03, 0x00, 0x03, 0x00, 0x02
	db	0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x2d, 0x0e, 0x00
	db	0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff
	db	0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff
	db	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c
	db	0x3d, 0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00

%include "vga_lib.inc"
%include "tail.inc"

; bios_vbe: INT 10h VBE. 4F00h (VBE2 request): signature, version >= 2.0, a mode list
; holding 101h and 111h; 4F01h for 111h (640x480, 16 bpp 5:6:5 direct colour, LFB
; available, window A at A000h); 4F02h to 111h through the bank window, checked in the
; Bochs dispi registers (1CEh/1CFh); 4F03h; 4F05h bank set/get with a pixel written in
; bank 1 and read back; 4F06h scan line; 4F07h display start; 4F02h back to mode 3.
; expect-status: 1
; oracle: qemu
; oracle-compare: status
%include "lib.inc"

INFO	equ	0x1000			; 512-byte controller info block
MODE	equ	0x1200			; 256-byte mode info block

%macro DISPI 1			; AX = dispi register %1
	mov	dx, 0x1ce
	mov	ax, %1
	out	dx, ax
	inc	dx
	in	ax, dx
%endmacro

main:
	PRINT	"bios_vbe", 10
	mov	di, INFO
	mov	word [di], 'VB'
	mov	word [di + 2], 'E2'
	mov	ax, 0x4f00
	int	0x10
	cmp	ax, 0x004f
	jne	.bad1
	cmp	word [di], 'VE'
	jne	.bad2
	cmp	word [di + 2], 'SA'
	jne	.bad2
	cmp	word [di + 4], 0x0200
	jb	.bad2
	PRINT	"VBE version "
	mov	ax, [di + 4]
	call	puthex16
	PRINT	", 64K blocks "
	mov	ax, [di + 0x12]
	call	putdec
	call	nl
	les	si, [di + 0x0e]		; mode list
	xor	bx, bx			; bit 0: saw 101h, bit 1: saw 111h
	mov	cx, 200
.ml:	mov	ax, [es:si]
	cmp	ax, 0xffff
	je	.mld
	cmp	ax, 0x101
	jne	.m2
	or	bl, 1
.m2:	cmp	ax, 0x111
	jne	.m3
	or	bl, 2
.m3:	add	si, 2
	loop	.ml
	jmp	.bad3			; no terminator
.mld:	push	ds
	pop	es
	cmp	bl, 3
	jne	.bad3
	; mode information for 111h
	mov	di, MODE
	mov	cx, 0x111
	mov	ax, 0x4f01
	int	0x10
	cmp	ax, 0x004f
	jne	.bad4
	mov	ax, [di]
	and	ax, 0x0091		; supported, graphics, linear framebuffer
	cmp	ax, 0x0091
	jne	.bad5
	cmp	word [di + 0x12], 640
	jne	.bad5
	cmp	word [di + 0x14], 480
	jne	.bad5
	cmp	byte [di + 0x19], 16
	jne	.bad5
	cmp	word [di + 0x10], 1280
	jb	.bad5
	cmp	byte [di + 0x1b], 6	; direct colour
	jne	.bad5
	cmp	word [di + 0x1f], 0x0b05	; red: 5 bits at 11
	jne	.bad5
	cmp	word [di + 0x21], 0x0506	; green: 6 bits at 5
	jne	.bad5
	cmp	word [di + 0x23], 0x0005	; blue: 5 bits at 0
	jne	.bad5
	cmp	word [di + 0x08], 0xa000
	jne	.bad5
	mov	ax, [di + 0x28]
	or	ax, [di + 0x2a]
	jz	.bad5
	PRINT	"111h: LFB "
	mov	ax, [di + 0x2a]
	call	puthex16
	mov	ax, [di + 0x28]
	call	puthex16
	call	nl
	; set it, banked
	mov	ax, 0x4f02
	mov	bx, 0x0111
	int	0x10
	cmp	ax, 0x004f
	jne	.bad6
	DISPI	1
	cmp	ax, 640
	jne	.bad7
	DISPI	2
	cmp	ax, 480
	jne	.bad7
	DISPI	3
	cmp	ax, 16
	jne	.bad7
	DISPI	4
	test	al, 1
	jz	.bad7
	mov	ax, 0x4f03
	int	0x10
	cmp	ax, 0x004f
	jne	.bad8
	and	bx, 0x1ff
	cmp	bx, 0x111
	jne	.bad8
	; bank 1, a pixel, read back
	mov	ax, 0x4f05
	xor	bx, bx
	mov	dx, 1
	int	0x10
	cmp	ax, 0x004f
	jne	.bad9
	mov	ax, 0x4f05
	mov	bx, 0x0100
	xor	dx, dx
	int	0x10
	cmp	ax, 0x004f
	jne	.bad9
	cmp	dx, 1
	jne	.bad9
	DISPI	5
	cmp	ax, 1
	jne	.bad9
	push	es
	mov	ax, 0xa000
	mov	es, ax
	mov	word [es:0x10], 0xf81f
	cmp	word [es:0x10], 0xf81f
	pop	es
	jne	.bad10
	; scan line and display start
	mov	ax, 0x4f06
	mov	bl, 1
	int	0x10
	cmp	ax, 0x004f
	jne	.bad11
	cmp	cx, 640
	jne	.bad11
	cmp	bx, 1280
	jne	.bad11
	mov	ax, 0x4f07
	xor	bx, bx
	xor	cx, cx
	mov	dx, 10
	int	0x10
	cmp	ax, 0x004f
	jne	.bad12
	mov	ax, 0x4f07
	mov	bx, 1
	int	0x10
	cmp	ax, 0x004f
	jne	.bad12
	cmp	dx, 10
	jne	.bad12
	; back to text
	mov	ax, 0x4f02
	mov	bx, 0x0003
	int	0x10
	cmp	ax, 0x004f
	jne	.bad13
	DISPI	4
	test	al, 1
	jnz	.bad13
	mov	ah, 0x0f
	int	0x10
	and	al, 0x7f
	cmp	al, 3
	jne	.bad13
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
.bad12:	FAIL	12
.bad13:	FAIL	13

%include "tail.inc"

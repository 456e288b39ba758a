; kbd_mouse: the PS/2 mouse behind the 8042 aux port, driven by --keys mouse steps.
; Polled: aux enable (A8h), interface test (A9h), reset (FFh: FA AA 00), the
; IntelliMouse knock (rates 200, 100, 80) making ID 3, status (E9h).  Then through
; IRQ12 (INT 74h, slave PIC): streaming 4-byte packets of two movements, printed in
; hex.
; tandem-args: --keys {wait:800}{mouse:5,-3}{mouse:-2,4,1,-1}
; expect-debugcon: kbd_mouse.debugcon
; oracle: none (the mouse moves come from --keys)
%include "lib.inc"

BUF	equ	0x5000

main:
	PRINT	"kbd_mouse: "
	cli
	call	drain
	mov	al, 0xa8
	call	ctrl_cmd
	; command byte: IRQ12 off while polling
	mov	al, 0x20
	call	ctrl_cmd
	call	read_any
	and	al, 0xfd
	mov	[ccb], al
	mov	al, 0x60
	call	ctrl_cmd
	mov	al, [ccb]
	call	data_out
	mov	al, 0xa9
	call	ctrl_cmd
	call	read_any
	call	hex8
	mov	al, 0xff
	call	mouse_cmd
	call	read_aux
	call	hex8
	call	read_aux
	call	hex8
	mov	si, knock
	mov	cx, 3
.knock:	mov	al, 0xf3
	call	mouse_cmd
	lodsb
	call	mouse_cmd
	loop	.knock
	mov	al, 0xf2
	call	mouse_cmd
	call	read_aux
	call	hex8
	mov	al, 0xe9
	call	mouse_cmd
	mov	cx, 3
.st:	call	read_aux
	call	hex8
	loop	.st
	mov	al, 0xf4
	call	mouse_cmd
	PRINT	"| "
	; IRQ12 on: handler at INT 74h, slave PIC bit 4 and the cascade unmasked
	mov	word [0x74 * 4], irq12
	mov	word [0x74 * 4 + 2], 0
	mov	word [count], 0
	mov	al, 0x60
	call	ctrl_cmd
	mov	al, [ccb]
	or	al, 2
	call	data_out
	in	al, 0xa1
	and	al, 0xef
	out	0xa1, al
	in	al, 0x21
	and	al, 0xfb
	out	0x21, al
	sti
.wait:	hlt
	cmp	word [count], 8
	jb	.wait
	cli
	mov	si, BUF
	mov	cx, 8
.pr:	lodsb
	call	hex8
	loop	.pr
	sti
	mov	al, 10
	call	putc
	jmp	pass

irq12:	push	ax
	push	bx
	in	al, 0x60
	mov	bx, [cs:count]
	cmp	bx, 16
	jae	.full
	mov	[cs:BUF + bx], al
	inc	word [cs:count]
.full:	mov	al, 0x20
	out	0xa0, al
	out	0x20, al
	pop	bx
	pop	ax
	iret

; ctrl_cmd: AL to port 64h once the input buffer is empty.
ctrl_cmd:
	push	ax
.w:	in	al, 0x64
	test	al, 2
	jnz	.w
	pop	ax
	out	0x64, al
	ret

data_out:
	push	ax
.w:	in	al, 0x64
	test	al, 2
	jnz	.w
	pop	ax
	out	0x60, al
	ret

; mouse_cmd: AL to the mouse (D4h), then its acknowledge must be FAh.
mouse_cmd:
	push	ax
	mov	al, 0xd4
	call	ctrl_cmd
	pop	ax
	call	data_out
	call	read_aux
	cmp	al, 0xfa
	jne	.bad
	ret
.bad:	mov	al, 2
	jmp	fail

; read_any / read_aux: the next output byte (read_aux: it must have status bit 5).
read_any:
	in	al, 0x64
	test	al, 1
	jz	read_any
	in	al, 0x60
	ret
read_aux:
	in	al, 0x64
	test	al, 1
	jz	read_aux
	test	al, 0x20
	jz	.bad
	in	al, 0x60
	ret
.bad:	mov	al, 3
	jmp	fail

drain:	in	al, 0x64
	test	al, 1
	jz	.d
	in	al, 0x60
	jmp	drain
.d:	ret

; hex8: AL as two hex digits and a space.
hex8:	push	ax
	call	puthex8
	mov	al, ' '
	call	putc
	pop	ax
	ret

knock:	db	200, 100, 80
ccb:	db	0
count:	dw	0

%include "tail.inc"

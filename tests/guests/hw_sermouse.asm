; hw_sermouse: the Microsoft serial mouse on COM1 (--serial-mouse com1) found the way a
; mouse driver finds it: COM1 at 1200 baud 7N1, DTR raised alone (the mouse has no power:
; nothing arrives), then RTS too: an 'M' must arrive, not at once but within a few
; milliseconds, and nothing after it while the mouse does not move. Dropping RTS and
; raising it again (the driver's reset) must bring a second 'M'.
; tandem-args: --serial-mouse com1
; expect-status: 1
; expect-debugcon: hw_sermouse.debugcon
; oracle: none (the mouse comes from --serial-mouse)
%include "lib.inc"

UART	equ	0x3f8

main:
	PRINT	"hw_sermouse", 10
	mov	dx, UART + 3		; 1200 baud (divisor 96), 7N1
	mov	al, 0x80
	out	dx, al
	mov	dx, UART
	mov	al, 96
	out	dx, al
	inc	dx
	xor	al, al
	out	dx, al
	mov	dx, UART + 3
	mov	al, 0x02
	out	dx, al
	mov	dx, UART + 2		; no FIFO
	xor	al, al
	out	dx, al
	mov	dx, UART + 1
	out	dx, al
	mov	dx, UART + 4		; DTR only
	mov	al, 0x01
	out	dx, al
	call	wait_byte
	CHECK	c, 1			; nothing without RTS
	PRINT	"no power, no answer", 10

	call	power_up
	PRINT	"M", 10
	call	wait_byte
	CHECK	c, 4			; and then silence
	mov	dx, UART + 4		; the driver's reset: RTS down and up
	mov	al, 0x01
	out	dx, al
	call	power_up
	PRINT	"M again", 10
	jmp	pass

; power_up: raise DTR+RTS; the 'M' must not be there at once but come soon.
power_up:
	mov	dx, UART + 4
	mov	al, 0x03
	out	dx, al
	mov	dx, UART + 5
	in	al, dx
	test	al, 1
	CHECK	z, 2			; not before the mouse has powered up
	call	wait_byte
	CHECK	nc, 3
	cmp	al, 'M'
	CHECK	e, 5
	ret

; wait_byte: polls LSR for a received byte for a while (about 100 ms at the default
; speed); CF clear and AL = the byte, or CF set when none came.
wait_byte:
	push	cx
	push	dx
	mov	cx, 0x8000
.poll:	mov	dx, UART + 5
	in	al, dx
	test	al, 1
	jnz	.got
	loop	.poll
	stc
	jmp	.out
.got:	mov	dx, UART
	in	al, dx
	clc
.out:	pop	dx
	pop	cx
	ret

%include "tail.inc"

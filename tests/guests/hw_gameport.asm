; hw_gameport: the game port at 201h read the way games do, by polling. --joystick
; holds stick A at x -100%, y 0 and stick B at x +100%, y +50%, buttons A1 and B1 down.
; Each axis is timed with PIT channel 0 latches (1.193182 MHz) from the write that fires
; the one-shots to the read where its bit falls; the times must match the 558 circuit,
; 24.2 us + 0.011 us per ohm of a 0-100 kOhm stick: 24.2, 574.2, 1124.2 and 849.2 us =
; 29, 685, 1341 and 1013 PIT ticks (0 to +50 ticks allowed for the latches and the
; polling loop). Then:
; all four bits are 0 once the longest one-shot is over, the buttons read 1010b in bits
; 7-4 (0 = pressed), and a second trigger starts the one-shots again.
; tandem-args: --joystick -100,0,100,50,b5
; expect-status: 1
; expect-debugcon: hw_gameport.debugcon
; oracle: none (the stick positions come from --joystick)
%include "lib.inc"

main:
	PRINT	"hw_gameport", 10
	cli
	mov	al, 0x34		; channel 0, lo/hi, mode 2, count 65536 (55 ms)
	out	0x43, al
	xor	al, al
	out	0x40, al
	out	0x40, al
	in	al, 0x21
	mov	[old_imr], al
	mov	al, 0xff		; no interrupts while we time
	out	0x21, al

	mov	bl, 1			; axis bit
	mov	si, expected
.axis:	call	time_axis		; AX = PIT ticks, or FFFFh on timeout
	mov	dx, ax
	sub	ax, [si]
	jb	.bad			; shorter than the circuit allows
	cmp	ax, 50
	ja	.bad
	PRINT	"axis ok", 10
	add	si, 2
	shl	bl, 1
	cmp	bl, 16
	jb	.axis

	mov	dx, 0x201
	mov	cx, 0xffff		; the last trigger's longest one-shot (B x)
.wait:	in	al, dx
	test	al, 0x0f
	loopnz	.wait
	CHECK	z, 2			; every one-shot ended
	and	al, 0xf0
	cmp	al, 0xa0
	CHECK	e, 3			; A1 and B1 down
	out	dx, al			; retrigger
	in	al, dx
	and	al, 0x0f
	cmp	al, 0x0f
	CHECK	e, 4
	PRINT	"buttons ok", 10

	mov	al, 0x36		; the BIOS's 18.2 Hz again
	out	0x43, al
	xor	al, al
	out	0x40, al
	out	0x40, al
	mov	al, [old_imr]
	out	0x21, al
	sti
	jmp	pass

.bad:	mov	ax, dx
	call	putdec
	call	nl
	FAIL	1

; time_axis: BL = the axis bit; AX = PIT ticks from the trigger until it falls.
time_axis:
	push	cx
	push	dx
	push	di
	mov	dx, 0x201
	call	latch
	mov	di, ax
	out	dx, al			; fire the one-shots
	mov	cx, 0xffff
.poll:	in	al, dx
	test	al, bl
	jz	.done
	loop	.poll
	mov	ax, 0xffff
	jmp	.out
.done:	call	latch
	sub	di, ax			; the counter counts down
	mov	ax, di
.out:	pop	di
	pop	dx
	pop	cx
	ret

; latch: AX = channel 0's current count.
latch:
	xor	al, al
	out	0x43, al
	in	al, 0x40
	mov	ah, al
	in	al, 0x40
	xchg	al, ah
	ret

expected dw	29, 685, 1341, 1013
old_imr	db	0

%include "tail.inc"

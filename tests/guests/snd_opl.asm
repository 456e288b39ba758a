; snd_opl: the AdLib detection of the AdLib programming guide at 388h: reset both
; timers and the IRQ flag, status & E0h must be 0; start timer 1 at FFh (80 us),
; wait, status & E0h must be C0h; timer 2 (320 us steps) the same way with timer 1
; masked (A0h) (QEMU's AdLib expires a timer at the next access, so "not yet" is
; left to tests/unit/test_opl.c); masking a timer (bit 6/5 of
; register 4) keeps its flag clear; the 80h reset clears flags.  Then keys a note on
; channel 0 for a moment (heard in --audio-capture; not checked here).
; tandem-args: --sound sb16
; expect-debugcon: snd_opl.debugcon
; oracle: qemu (-device adlib)
%include "lib.inc"

ADLIB	equ	0x388

main:
	PRINT	"snd_opl", 10
	mov	ax, 0x0460		; reset T1 and T2
	call	opl_out
	mov	ax, 0x0480		; reset the IRQ flag
	call	opl_out
	call	status
	and	al, 0xe0
	CHECK	z, 1
	mov	ax, 0x02ff		; timer 1 count FFh: one 80 us step
	call	opl_out
	mov	ax, 0x0421		; start timer 1
	call	opl_out
	call	wait_long
	call	status
	and	al, 0xe0
	cmp	al, 0xc0
	CHECK	e, 2
	mov	ax, 0x0460
	call	opl_out
	mov	ax, 0x0480
	call	opl_out
	call	status
	and	al, 0xe0
	CHECK	z, 3
	PRINT	"adlib detected (timer 1)", 10

	mov	ax, 0x03ff		; timer 2: one 320 us step
	call	opl_out
	mov	ax, 0x0442
	call	opl_out
	call	wait_long
	call	status
	and	al, 0xe0
	cmp	al, 0xa0
	CHECK	e, 5
	mov	ax, 0x0480
	call	opl_out
	call	status
	and	al, 0xe0
	CHECK	z, 6
	mov	ax, 0x0460
	call	opl_out
	PRINT	"timer 2 ok", 10

	mov	ax, 0x02ff		; timer 1 running but masked: no flag
	call	opl_out
	mov	ax, 0x0441
	call	opl_out
	call	wait_long
	call	status
	and	al, 0xe0
	CHECK	z, 7
	mov	ax, 0x0460
	call	opl_out
	mov	ax, 0x0480
	call	opl_out
	PRINT	"masking ok", 10

	; A note: channel 0, operators 0 and 3, 440 Hz-ish, key on.
	mov	si, note
.n:	lodsw
	or	ax, ax
	jz	.nd
	call	opl_out
	jmp	.n
.nd:	call	wait_long
	call	wait_long
	mov	ax, 0xb011		; key off
	call	opl_out
	jmp	pass

note	dw	0x2001, 0x2301, 0x4010, 0x4300, 0x60f0, 0x63f0, 0x8077, 0x8377
	dw	0xa098, 0xc000, 0xb031, 0

; opl_out: register AH = AL, with the guide's waits (6 and 35 status reads).
opl_out:
	push	ax
	push	cx
	push	dx
	mov	dx, ADLIB
	xchg	al, ah
	out	dx, al
	mov	cx, 6
.a:	in	al, dx
	loop	.a
	inc	dx
	mov	al, ah
	out	dx, al
	dec	dx
	mov	cx, 35
.b:	in	al, dx
	loop	.b
	pop	dx
	pop	cx
	pop	ax
	ret

status:
	push	dx
	mov	dx, ADLIB
	in	al, dx
	pop	dx
	ret

; wait_long: 4000 status reads (a few ms on any ISA bus, far over 640 us).
wait_long:
	push	cx
	push	dx
	mov	dx, ADLIB
	mov	cx, 4000
.w:	in	al, dx
	loop	.w
	pop	dx
	pop	cx
	ret

%include "tail.inc"

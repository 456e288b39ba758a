; handoff: a long checksum in real mode that must come out the same whether one engine
; runs it or the guest is moved between KVM and the interpreter many times
; (tandem --handoff-after-insns).  It keeps IRQ0 ticking at 1 kHz with its own handler
; (so interrupts arrive around hand-offs), switches DS/ES to another segment and uses
; string instructions, MUL, ADC and the stack in the loop.  The checksum does not
; depend on when interrupts come; the tick count does, so only "ticked" is printed.
; Built by tests/kvm/handoff.sh with nasm -I tests/guests/.
%include "lib.inc"

OUTER	equ	61
INNER	equ	3001

main:
	PRINT	"handoff: checksum across engine hand-offs", 10
	mov	al, 0xfe		; IRQ0 only
	call	tick_start

	mov	si, 0x1234		; x: a linear congruential sequence
	xor	di, di			; checksum low
	xor	bp, bp			; checksum high
	mov	cx, OUTER
.outer:
	push	cx
	mov	cx, INNER
.inner:					; CF is live across most instruction boundaries
	mov	ax, si
	mov	bx, 25173
	mul	bx			; CF = (DX != 0)
	adc	bp, dx
	add	ax, 13849
	mov	si, ax
	adc	di, dx
	rcl	di, 1
	adc	bp, 0
	loop	.inner
	call	mix_strings
	pop	cx
	loop	.outer

	call	tick_stop
	PRINT	"checksum "
	mov	ax, bp
	call	puthex16
	mov	ax, di
	call	puthex16
	mov	al, ' '
	call	putc
	mov	ax, si
	call	puthex16
	mov	al, 10
	call	putc
	cmp	word [ticks], 0
	je	.noticks
	PRINT	"timer ticked", 10
	jmp	pass
.noticks:
	PRINT	"no timer interrupts", 10
	mov	al, 2
	jmp	fail

; Copies 128 words of the running state into segment 2000h, sums them back through
; DS=2000h and folds the sum into the checksum (BP).
mix_strings:
	push	ds
	push	es
	push	si
	push	di
	mov	[tmp_state], si
	mov	[tmp_state + 2], di
	mov	[tmp_state + 4], bp
	mov	ax, 0x2000
	mov	es, ax
	mov	si, tmp_state
	xor	di, di
	mov	cx, 128
	cld
	rep	movsw			; the state and what follows it
	mov	ds, ax
	xor	si, si
	mov	cx, 128
	xor	dx, dx
.sum:	lodsw
	add	dx, ax
	rol	dx, 1
	loop	.sum
	pop	di
	pop	si
	pop	es
	pop	ds
	xor	bp, dx
	ret

irq0:
	push	ax
	inc	word [cs:ticks]
	mov	al, 0x20
	out	0x20, al
	pop	ax
	iret

ticks	dw	0
tmp_state times 256 db 0x5a

%include "tick1k.inc"
%include "tail.inc"

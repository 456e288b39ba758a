; tcg_native: random straight-line code made of the instructions tcg-lite translates to
; host code (gen_tcg_native.py writes tcg_native_body.inc; see there), run 40 times with
; a checkpoint of FLAGS and registers every few instructions, on the 80286 in real mode.
; Memory operands fall anywhere in DS (20000h) and SS (30000h), odd and page-crossing
; offsets included; the BIOS timer interrupts it.  Then REP MOVSW and REP STOSB run
; back to back under a 1 kHz IRQ0, so that slices end and interrupts come in the middle
; of them (the REP yields).  The guest only checks that it ends and that IRQ0 came, and
; prints a checksum of the checkpoints: tests/tcg/run.sh is the check, comparing the
; RAM, registers and cycle count under tcg-lite (native code on and off) with the
; interpreter's.
; tandem-args: --cpu 80286
; expect-status: 1
; oracle-compare: status
%ifndef BODY
%define BODY "tcg_native_body.inc"
%define BODY_CPU 286
%endif
%include "lib.inc"
	cpu	BODY_CPU

DATA	equ	0x2000		; DS: random memory operands
STK	equ	0x3000		; SS: the stack and [bp+...] operands
OUTB	equ	0x4000		; ES: the checkpoints, one block per pass
ITER	equ	40
counter	equ	0x600		; passes left (in segment 0, away from the operands)
ticks	equ	0x602		; IRQ0s in the REP phase

main:
	mov	word [counter], ITER
	mov	ax, DATA
	mov	es, ax
	mov	ds, ax
	xor	di, di
	mov	cx, 0x8000
	mov	ax, 0x1234
.fill:	stosw			; DS: a pattern
	add	ax, 0x3c6f
	rol	ax, 1
	loop	.fill
	cli
	mov	ax, STK
	mov	ss, ax
	mov	sp, 0xff00
	sti
	mov	ax, OUTB
	mov	es, ax
	xor	di, di
	mov	ax, 0x8001
	mov	bx, 0x7fff
	mov	cx, 0x0100
	mov	dx, 0xfffe
	mov	si, 0x1235
	mov	bp, 0x4321
.loop:
%include BODY
	mov	dx, es
	add	dx, CKPT_COUNT * CKPT_BYTES / 16
	mov	es, dx
	xor	di, di
	dec	word [cs:counter]
	jz	.done
	jmp	.loop
.done:
	cli
	xor	ax, ax
	mov	ss, ax
	mov	sp, STACK_TOP
	mov	ds, ax
	mov	word [ticks], 0
	mov	al, 0xfe
	call	tick_start
	mov	ax, DATA
	mov	ds, ax
	mov	es, ax
	mov	bp, 3000
.rep:	mov	cx, 100			; 100 words inside one page, odd source
	mov	si, 0x101
	mov	di, 0x400
	rep	movsw
	mov	cx, 77
	mov	di, 0x601
	mov	al, ch
	add	al, bl
	std
	rep	stosb
	cld
	inc	bx
	dec	bp
	jnz	.rep
	xor	ax, ax
	mov	ds, ax
	call	tick_stop
	cmp	word [ticks], 0
	jne	.ticked
	FAIL	1
.ticked:
	; checksum of all the checkpoints
	mov	dx, OUTB
	xor	bx, bx
	mov	bp, ITER
.sum_pass:
	mov	ds, dx
	xor	si, si
	mov	cx, CKPT_COUNT * CKPT_BYTES / 2
.sum:	lodsw
	add	bx, ax
	rol	bx, 1
	loop	.sum
	add	dx, CKPT_COUNT * CKPT_BYTES / 16
	dec	bp
	jnz	.sum_pass
	xor	ax, ax
	mov	ds, ax
	PRINT	"tcg_native: checksum "
	mov	ax, bx
	call	puthex16
	call	nl
	jmp	pass

irq0:
	push	ax
	inc	word [cs:ticks]
	mov	al, 0x20
	out	0x20, al
	pop	ax
	iret

%include "tick1k.inc"

sub_shl:
	shl	ax, 1
	ret
sub_ret2:
	ret	2

%include "tail.inc"

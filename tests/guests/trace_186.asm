; trace_186: the 80186 takes a divide error within the instruction (the 80286 and later
; fault back to the loop).  Here INT 0's handler sits in another segment at the very
; offset of the instruction after the DIV, so only CS tells the two apart; the handler
; counts in DI and returns past the DIV, which then counts in SI: 3 and 3 after three
; rounds.  A trace of the loop that went on after the DIV by IP alone would run the
; loop's INC SI in the handler's place; tcg-lite's blocks did (they timed out) until
; their loop checked CS as well.  Runs on the default engine (tcg-lite) here, on the
; interpreter in tcg-tests' second pass, and in tests/tcg/run.sh's differential.
; tandem-args: --cpu 80186
; expect-status: 1
; expect-debugcon: trace_186.debugcon
; oracle: qemu bochs
%include "lib.inc"
	cpu	186

HSEG	equ	0x2000

main:
	PRINT	"trace_186", 10
	call	test_div
	PRINT	"divide error in a loop ok", 10
	jmp	pass

test_div:
	push	es
	mov	ax, HSEG		; the handler to HSEG:.after
	mov	es, ax
	mov	si, handler
	mov	di, .after
	mov	cx, handler_end - handler
	cld
	rep	movsb
	pop	es
	push	word [0]		; INT 0 -> HSEG:.after
	push	word [2]
	mov	word [0], .after
	mov	word [2], HSEG
	xor	si, si
	xor	di, di
	mov	cx, 3
.l:	mov	ax, 1
	xor	bl, bl
	div	bl
.after:	inc	si
	loop	.l
	pop	word [2]
	pop	word [0]
	cmp	di, 3
	jne	.bad
	cmp	si, 3
	jne	.bad
	ret
.bad:	mov	al, 1
	jmp	fail

; INT 0: count, and return past the 2-byte DIV (the saved IP is the DIV's own).
handler:
	push	bp
	mov	bp, sp
	add	word [bp + 2], 2
	pop	bp
	inc	di
	iret
handler_end:

%include "tail.inc"

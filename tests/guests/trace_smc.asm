; trace_smc: code that changes under the interpreter's traces (runs of decoded
; instructions it follows through calls, jumps and loops, checking each one's bytes
; before it runs, or once for a run of register-only ones).  (1) a loop patches an
; imm16 40 bytes on, past twelve register-only MOVs, on every iteration; (2) a loop
; patches its own first instruction, which the trace comes back to; (3) a loop patches
; the routine it calls; (4) a forward branch the trace guessed not taken is taken every
; other time; (5) a routine returns past the instruction after its call.
; tandem-args: --cpu pentium2
; expect-status: 1
; expect-debugcon: trace_smc.debugcon
; oracle: qemu bochs
%include "lib.inc"

main:
	PRINT	"trace_smc", 10
	call	test_chain
	PRINT	"patch past register-only run ok", 10
	call	test_wrap
	PRINT	"patch loop start ok", 10
	call	test_call
	PRINT	"patch called routine ok", 10
	call	test_guess
	PRINT	"forward branch ok", 10
	call	test_ret
	PRINT	"moved return ok", 10
	jmp	pass

; (1) AX must be what this iteration stored in .pt's immediate: 1111h, 2222h, 3333h
test_chain:
	mov	cx, 3
	mov	dx, 0x1111
.l:	mov	[.pt + 1], dx
	mov	bx, 1
	mov	bx, 2
	mov	bx, 3
	mov	bx, 4
	mov	bx, 5
	mov	bx, 6
	mov	bx, 7
	mov	bx, 8
	mov	bx, 9
	mov	bx, 10
	mov	bx, 11
	mov	bx, 12
.pt:	mov	ax, strict word 0
	cmp	ax, dx
	jne	.bad
	add	dx, 0x1111
	loop	.l
	mov	word [.pt + 1], 0	; leave the code as assembled
	ret
.bad:	mov	al, 1
	jmp	fail

; (2) ADD DX, 1, 2, 3, 4 in turn: 10
test_wrap:
	mov	cx, 4
	xor	dx, dx
.first:	add	dx, strict byte 1
	inc	byte [.first + 2]
	dec	cx
	jnz	.first
	mov	byte [.first + 2], 1
	cmp	dx, 10
	jne	.bad
	ret
.bad:	mov	al, 2
	jmp	fail

; (3) .sub adds 5, 6, 7: 18
test_call:
	mov	cx, 3
	xor	dx, dx
.l:	call	.sub
	inc	byte [.sub + 2]
	loop	.l
	mov	byte [.sub + 2], 5
	cmp	dx, 18
	jne	.bad
	ret
.sub:	add	dx, strict byte 5
	ret
.bad:	mov	al, 3
	jmp	fail

; (4) CX = 10..1: five odd, five even
test_guess:
	mov	cx, 10
	xor	dx, dx
	xor	bx, bx
.l:	test	cl, 1
	jnz	.odd
	inc	dx
	jmp	.next
.odd:	inc	bx
.next:	loop	.l
	cmp	dx, 5
	jne	.bad
	cmp	bx, 5
	jne	.bad
	ret
.bad:	mov	al, 4
	jmp	fail

; (5) .skip returns two bytes past its call, over MOV AL, 1
test_ret:
	mov	cx, 3
.l:	xor	ax, ax
	call	.skip
	mov	al, 1
	test	al, al
	jnz	.bad
	loop	.l
	ret
.skip:	pop	bx
	add	bx, 2
	push	bx
	ret
.bad:	mov	al, 5
	jmp	fail

%include "tail.inc"

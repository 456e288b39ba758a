; smc: self-modifying code, for the block engine (tcg-lite) as much as the interpreter.
; Patches (1) an imm16 and an opcode further down the running straight-line code, more
; than 32 bytes ahead; (2) the immediate of the very next instruction; (3) an imm16
; inside a loop body on every iteration (sum 1..100 = 5050); (4) the opcode of a routine
; that already ran, so a cached block must go (DEC AX becomes INC AX); (5) code in
; another segment replaced with REP MOVSB between two far calls; (6) the same code
; replaced by an INT 13h floppy read (DMA) of a sector that holds a third routine.
; Case (2) stores into the prefetch window, which an 8086..486 would not see: the guest
; runs as a Pentium II (precise SMC detection), as QEMU and Bochs do.
; tandem-args: --cpu pentium2
; expect-status: 1
; expect-debugcon: smc.debugcon
; oracle: qemu bochs
%include "lib.inc"

BUF_SEG	equ	0x3000

main:
	PRINT	"smc", 10
	call	test_ahead
	PRINT	"patch ahead ok", 10
	call	test_next
	PRINT	"patch next insn ok", 10
	call	test_loop
	PRINT	"patch in loop ok", 10
	call	test_block
	PRINT	"patch ran block ok", 10
	call	test_movs
	PRINT	"rep movsb over code ok", 10
	call	test_dma
	PRINT	"dma over code ok", 10
	jmp	pass

; (1) the targets lie 42+ bytes after the stores, in the same straight-line run
test_ahead:
	mov	word [.p1 + 1], 0x5678
	mov	byte [.p2], 0x4b	; INC BX -> DEC BX
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
	mov	bx, 13
	mov	bx, 14
.p1:	mov	ax, 0x1234
.p2:	inc	bx
	cmp	ax, 0x5678
	jne	.bad1
	cmp	bx, 13
	jne	.bad2
	mov	word [.p1 + 1], 0x1234	; leave the code as assembled
	mov	byte [.p2], 0x43
	ret
.bad1:	mov	al, 1
	jmp	fail
.bad2:	mov	al, 2
	jmp	fail

; (2) the store's target is the next instruction's immediate
test_next:
	mov	byte [.nx + 1], 0x22
.nx:	mov	al, 0x11
	cmp	al, 0x22
	jne	.bad
	mov	byte [.nx + 1], 0x11
	ret
.bad:	mov	al, 3
	jmp	fail

; (3) ADD DX, imm16 with the imm16 set to CX each time round
test_loop:
	xor	dx, dx
	mov	cx, 100
.l:	mov	[.ins + 2], cx
	nop
.ins:	add	dx, strict word 0
	loop	.l
	cmp	dx, 5050
	jne	.bad
	ret
.bad:	mov	al, 4
	jmp	fail

; (4) .blk runs, is patched, runs again: 10 - 1 + 1 = 10 (8 if the patch is missed)
test_block:
	mov	ax, 10
	mov	cx, 2
	mov	byte [.blk], 0x48	; DEC AX
.l:	call	.blk
	mov	byte [.blk], 0x40	; INC AX
	loop	.l
	cmp	ax, 10
	jne	.bad
	mov	cx, 3			; three more INCs from the patched block
.l2:	call	.blk
	loop	.l2
	cmp	ax, 13
	jne	.bad
	ret
.blk:	dec	ax
	ret
.bad:	mov	al, 5
	jmp	fail

; copy: CX bytes from DS:SI to BUF_SEG:0
copy_buf:
	push	es
	mov	ax, BUF_SEG
	mov	es, ax
	xor	di, di
	cld
	rep	movsb
	pop	es
	ret

; (5) routine A at BUF_SEG:0, then routine B over it
test_movs:
	mov	si, rout_a
	mov	cx, rout_a_end - rout_a
	call	copy_buf
	xor	ax, ax
	call	BUF_SEG:0
	cmp	ax, 0x0a0a
	jne	.bad
	call	BUF_SEG:0		; twice, so the block is certainly cached
	cmp	ax, 0x0a0a
	jne	.bad
	mov	si, rout_b
	mov	cx, rout_b_end - rout_b
	call	copy_buf
	call	BUF_SEG:0
	cmp	ax, 0x0b0b
	jne	.bad
	ret
.bad:	mov	al, 6
	jmp	fail

; (6) INT 13h reads the sector holding routine C to BUF_SEG:0, over routine B
test_dma:
	mov	byte [.tries], 4
.retry:	push	es
	mov	ax, BUF_SEG
	mov	es, ax
	xor	bx, bx
	mov	ax, 0x0201
	mov	cx, ROUT_C_LBA + 1	; cylinder 0, sector LBA + 1 (LBA < 18)
	xor	dh, dh
	mov	dl, [boot_drive]
	int	0x13
	pop	es
	jnc	.ok
	xor	ax, ax
	mov	dl, [boot_drive]
	int	0x13
	dec	byte [.tries]
	jnz	.retry
	mov	al, 7
	jmp	fail
.ok:	call	BUF_SEG:0
	cmp	ax, 0x0c0c
	jne	.bad
	ret
.bad:	mov	al, 8
	jmp	fail
.tries	db	0

; Routines A and B: the same length, different immediates and opcodes.
rout_a:	mov	ax, 0x0a0a
	nop
	retf
rout_a_end:
rout_b:	mov	bx, 0x0b0b
	xchg	ax, bx
	retf
rout_b_end:

	align	512, db 0
ROUT_C_LBA	equ	($ - $$) / 512
%if ROUT_C_LBA >= 17
%error routine C must lie on cylinder 0, head 0
%endif
rout_c:	mov	cx, 0x0c0c
	mov	ax, cx
	retf

%include "tail.inc"

; tcg_rep: REP MOVS and REP STOS inside one page, as tcg-lite's native code runs them
; once their block is hot (accel/tcg-lite/tl_string.c): copies onto themselves one
; element up (which repeat the pattern) and one element down, forward and backward,
; odd and even offsets, bytes and words, fills both ways, a zero count.  Each case runs
; 40 times (the block turns hot after 16) and is compared with the same moves done one
; element at a time by MOVS/STOS without REP in a second segment: the bytes and the
; final SI, DI and CX must agree.
; expect-status: 1
; oracle: qemu bochs
%include "lib.inc"

REP_SEG	equ	0x2000
ONE_SEG	equ	0x3000
; kind bits: 1 words, 2 STOS (else MOVS), 4 backward (STD)
%macro CASE 4			; kind, si, di, cx
	dw	%1, %2, %3, %4
%endmacro

main:
	PRINT	"tcg_rep", 10
	mov	word [round], 40
.round:
	mov	word [case], cases
.case:
	mov	ax, REP_SEG
	call	fill
	mov	ax, ONE_SEG
	call	fill
	mov	ax, REP_SEG
	mov	ds, ax
	mov	es, ax
	call	load
	call	with_rep
	mov	[cs:rep_regs], si
	mov	[cs:rep_regs + 2], di
	mov	[cs:rep_regs + 4], cx
	mov	ax, ONE_SEG
	mov	ds, ax
	mov	es, ax
	call	load
	call	one_by_one
	xor	ax, ax
	mov	ds, ax
	cmp	si, [rep_regs]
	CHECK	e, 2
	cmp	di, [rep_regs + 2]
	CHECK	e, 3
	cmp	cx, [rep_regs + 4]
	CHECK	e, 4
	call	compare
	add	word [case], 8
	cmp	word [case], cases_end
	jb	.case
	dec	word [round]
	jnz	.round
	jmp	pass

; Region 0..3FFh of segment ax: byte i = i * 7 + 3 (no REP).
fill:
	mov	es, ax
	xor	di, di
	mov	cx, 0x400
	mov	al, 3
	cld
.f:	stosb
	add	al, 7
	loop	.f
	ret

; SI, DI, CX, AX and DF of the current case (DS still addresses it through CS).
load:
	mov	bx, [cs:case]
	mov	si, [cs:bx + 2]
	mov	di, [cs:bx + 4]
	mov	cx, [cs:bx + 6]
	mov	ax, 0xa55a
	mov	bx, [cs:bx]
	cld
	test	bl, 4
	jz	.up
	std
.up:	ret

with_rep:
	cmp	bl, 4
	jae	.down
	cmp	bl, 1
	je	.w
	cmp	bl, 2
	je	.sb
	ja	.sw
	rep movsb
	ret
.w:	rep movsw
	ret
.sb:	rep stosb
	ret
.sw:	rep stosw
	ret
.down:	and	bl, 3
	cmp	bl, 1
	je	.dw
	cmp	bl, 2
	je	.dsb
	ja	.dsw
	rep movsb
	cld
	ret
.dw:	rep movsw
	cld
	ret
.dsb:	rep stosb
	cld
	ret
.dsw:	rep stosw
	cld
	ret

one_by_one:
	and	bl, 3
	jcxz	.done
.l:	cmp	bl, 1
	je	.w
	cmp	bl, 2
	je	.sb
	ja	.sw
	movsb
	jmp	.next
.w:	movsw
	jmp	.next
.sb:	stosb
	jmp	.next
.sw:	stosw
.next:	loop	.l
.done:	cld
	ret

; The two regions must hold the same bytes.
compare:
	mov	ax, REP_SEG
	mov	ds, ax
	mov	ax, ONE_SEG
	mov	es, ax
	xor	si, si
.c:	mov	al, [si]
	cmp	al, [es:si]
	jne	.bad
	inc	si
	cmp	si, 0x400
	jb	.c
	xor	ax, ax
	mov	ds, ax
	ret
.bad:	xor	ax, ax
	mov	ds, ax
	FAIL	5

round	dw	0
case	dw	0
rep_regs dw	0, 0, 0
cases:
	CASE	0, 0x100, 0x102, 50	; bytes forward, onto itself 2 up: repeats
	CASE	0, 0x100, 0x101, 70	; 1 up: one byte all along
	CASE	1, 0x100, 0x102, 40	; words forward, one word up
	CASE	1, 0x101, 0x104, 30	; odd, overlapping by part of a word
	CASE	0, 0x102, 0x100, 60	; forward, one down: a plain move
	CASE	4, 0x180, 0x181, 50	; backward, one up: a plain move
	CASE	4, 0x181, 0x180, 50	; backward, one down: repeats
	CASE	5, 0x200, 0x1fe, 20	; words backward, one down
	CASE	5, 0x201, 0x203, 20	; words backward, odd, one up
	CASE	1, 0x000, 0x200, 0x100	; 512 bytes, apart
	CASE	5, 0x3fe, 0x2fe, 64	; backward, apart
	CASE	2, 0, 0x010, 33		; STOSB forward
	CASE	6, 0, 0x3f0, 40		; STOSB backward
	CASE	7, 0, 0x301, 17		; STOSW backward, odd
	CASE	3, 0, 0x000, 0		; zero count
	CASE	3, 0, 0x0ff, 100	; STOSW forward, odd
cases_end:

%include "tail.inc"

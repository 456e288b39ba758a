; rep_irq: long REP string instructions interrupted by a fast timer must resume where
; they stopped. PIT channel 0 runs at about 10 kHz (divisor 119); REP MOVSW, REPE CMPSW
; (equal blocks, then a planted difference) and REPNE SCASW run over 32768 words with
; interrupts on, each repeated until two interrupts have hit it part-way (at most 2000
; times: QEMU's PIT follows the host clock). The handler counts an interrupt as
; "part-way" when the saved IP is the REP instruction's and CX holds a partial count.
; Checks: those hits, the results, and the final CX/SI/DI. No segment overrides: the
; 8086 loses them when interrupted.
; expect-status: 1
; expect-debugcon: rep_irq.debugcon
; oracle: qemu bochs
%include "lib.inc"

SEG_A	equ	0x1000
SEG_B	equ	0x2000
WORDS	equ	0x8000

main:
	PRINT	"rep_irq", 10
	mov	ax, SEG_A		; source pattern: word i = i * 3 + 7 (no REP here)
	mov	es, ax
	xor	di, di
	mov	cx, WORDS
	mov	ax, 7
.fill:	stosw
	add	ax, 3
	loop	.fill
	cli
	mov	ax, [8 * 4]
	mov	[old8], ax
	mov	ax, [8 * 4 + 2]
	mov	[old8 + 2], ax
	mov	word [8 * 4], irq0
	mov	word [8 * 4 + 2], 0
	in	al, 0x21
	mov	[old_imr], al
	mov	al, 0xfe
	out	0x21, al
	mov	al, 0x34
	out	0x43, al
	mov	al, 119
	out	0x40, al
	xor	al, al
	out	0x40, al
	sti

	mov	ax, SEG_A		; REP MOVSW SEG_A -> SEG_B, 64 KiB
	mov	ds, ax
	mov	ax, SEG_B
	mov	es, ax
	mov	word [cs:watch_ip], .movs
	mov	word [cs:mid_hits], 0
	mov	dx, REPEAT
.rep1:	xor	si, si
	xor	di, di
	mov	cx, WORDS
.movs:	rep movsw
	cmp	word [cs:mid_hits], 2
	jae	.got1
	dec	dx
	jnz	.rep1
.got1:	mov	bx, [cs:mid_hits]
	xor	ax, ax
	mov	ds, ax
	or	cx, cx
	jnz	.bad2
	or	si, si			; both wrapped to 0
	jnz	.bad2
	or	di, di
	jnz	.bad2
	or	bx, bx
	jz	.bad3
	mov	ax, SEG_B		; check the copy without string instructions
	mov	ds, ax
	xor	bx, bx
	mov	ax, 7
	mov	cx, WORDS
.chk:	cmp	[bx], ax
	jne	.bad4
	add	ax, 3
	add	bx, 2
	loop	.chk
	xor	ax, ax
	mov	ds, ax
	PRINT	"rep movsw ok", 10

	mov	ax, SEG_A		; REPE CMPSW over equal blocks runs to the end
	mov	ds, ax
	mov	word [cs:watch_ip], .cmps
	mov	word [cs:mid_hits], 0
	mov	dx, REPEAT
.rep2:	xor	si, si
	xor	di, di
	mov	cx, WORDS
.cmps:	repe cmpsw
	jne	.bad5
	or	cx, cx
	jnz	.bad5
	cmp	word [cs:mid_hits], 2
	jae	.got2
	dec	dx
	jnz	.rep2
.got2:	mov	bx, [cs:mid_hits]
	or	bx, bx
	jz	.bad3
	mov	word [es:0x7000 * 2], 0xffff	; plant a difference at word 7000h
	xor	si, si
	xor	di, di
	mov	cx, WORDS
	repe cmpsw
	je	.bad6
	cmp	cx, WORDS - 0x7001
	jne	.bad6
	cmp	si, 0x7001 * 2
	jne	.bad6
	xor	ax, ax
	mov	ds, ax
	PRINT	"repe cmpsw ok", 10

	mov	word [watch_ip], .scas	; REPNE SCASW finds word 6000h's value: 6000h*3+7
	mov	word [mid_hits], 0
	mov	dx, REPEAT
.rep3:	xor	di, di
	mov	cx, WORDS
	mov	ax, (0x6000 * 3 + 7) & 0xffff
.scas:	repne scasw
	jne	.bad7
	cmp	di, 0x6001 * 2
	jne	.bad7
	cmp	cx, WORDS - 0x6001
	jne	.bad7
	cmp	word [mid_hits], 2
	jae	.got3
	dec	dx
	jnz	.rep3
.got3:	mov	bx, [mid_hits]
	or	bx, bx
	jz	.bad3
	PRINT	"repne scasw ok", 10

	cli				; the BIOS's timer back
	mov	al, 0x36
	out	0x43, al
	xor	al, al
	out	0x40, al
	out	0x40, al
	mov	ax, [old8]
	mov	[8 * 4], ax
	mov	ax, [old8 + 2]
	mov	[8 * 4 + 2], ax
	mov	al, [old_imr]
	out	0x21, al
	sti
	jmp	pass
.bad2:	FAIL	2
.bad3:	FAIL	3
.bad4:	FAIL	4
.bad5:	FAIL	5
.bad6:	FAIL	6
.bad7:	FAIL	7

REPEAT	equ	2000		; at most; QEMU's host-timed PIT may lag the CPU
old8	dw	0, 0
old_imr	db	0
watch_ip dw	0
mid_hits dw	0

; irq0: counts interrupts that stopped the watched REP instruction part-way: the saved IP
; is the instruction's (its REP prefix) and CX holds a partial count.
irq0:
	push	bp
	mov	bp, sp
	push	ax
	mov	ax, [bp + 2]
	cmp	ax, [cs:watch_ip]
	jne	.done
	jcxz	.done
	cmp	cx, WORDS
	jae	.done
	inc	word [cs:mid_hits]
.done:	mov	al, 0x20
	out	0x20, al
	pop	ax
	pop	bp
	iret

%include "tail.inc"

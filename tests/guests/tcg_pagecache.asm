; tcg_pagecache: the page cache of tcg-lite's native runs (accel/tcg-lite/tl_mem.c,
; tl_emit_mem): each run keeps the last page read and the last page written, and the
; stack's own (by offset in SS).  Pushes and pops that walk from one 4 KiB page into
; the next (the cache must miss and refill), also with SS's base not on a page and with
; SP wrapping from 0 to FFFEh, a
; push that straddles the boundary right after a cached one, loads at [si]..[si+4]
; across a page end, read-modify-writes on a page seen only by reads before, a store
; right after REP STOSW (its call clears the cache), a store into the page this code
; runs from (no write pointer: the slow path) and one into BIOS ROM after a cached
; read of it.  40 rounds (the blocks turn hot after 16); each result is checked against
; the same bytes read one at a time, and tests/tcg/run.sh compares the whole run,
; cycles included, with the interpreter's.
; expect-status: 1
; oracle: qemu bochs
%include "lib.inc"

DSEG	equ	0x2000

main:
	PRINT	"tcg_pagecache", 10
	mov	ax, DSEG			; bytes 0F00h..10FFh of DSEG: i * 5 + 1
	mov	es, ax
	mov	di, 0x0f00
	mov	cx, 0x200
	mov	al, 1
.fill:	stosb
	add	al, 5
	loop	.fill
	mov	word [round], 40
.round:
	mov	word [walk_ss], 0x1000		; page-aligned base
	mov	word [walk_sp], 0x1004
	call	stack_walk
	mov	word [walk_ss], 0x1001		; base 10010h: the page ends at SP 0FF0h
	mov	word [walk_sp], 0x0ff4
	call	stack_walk
	mov	word [walk_ss], 0x1234		; SP wraps: 0002h, 0000h, FFFEh, FFFCh
	mov	word [walk_sp], 0x0004
	call	stack_walk
	call	stack_straddle
	call	data_walk
	call	after_rep
	call	code_page
	call	rom_page
	dec	word [round]
	jnz	.round
	jmp	pass

; Four pushes from 1004h down across 1000h in SS=1000h, popped into other registers.
stack_walk:
	cli
	mov	[save_sp], sp
	mov	ss, [walk_ss]
	mov	sp, [walk_sp]
	mov	ax, 0x1111
	mov	bx, 0x2222
	mov	cx, 0x3333
	mov	dx, 0x4444
	push	ax
	push	bx
	push	cx
	push	dx
	pop	si
	pop	di
	pop	bp
	pop	dx
	xor	ax, ax
	mov	ss, ax
	mov	sp, [save_sp]
	sti
	cmp	si, 0x4444
	CHECK	e, 2
	cmp	di, 0x3333
	CHECK	e, 3
	cmp	bp, 0x2222
	CHECK	e, 4
	cmp	dx, 0x1111
	CHECK	e, 5
	ret

; From 1003h: the second push straddles 1000h, right after a cached one.
stack_straddle:
	cli
	mov	[save_sp], sp
	mov	ax, 0x1000
	mov	ss, ax
	mov	sp, 0x1003
	mov	ax, 0x5566
	mov	bx, 0x7788
	mov	cx, 0x99aa
	push	ax
	push	bx
	push	cx
	pop	dx
	pop	si
	pop	di
	xor	ax, ax
	mov	ss, ax
	mov	sp, [save_sp]
	sti
	cmp	dx, 0x99aa
	CHECK	e, 6
	cmp	si, 0x7788
	CHECK	e, 7
	cmp	di, 0x5566
	CHECK	e, 8
	ret

; [si]..[si+7] across DSEG:1000h, then read-modify-writes on the second page.
data_walk:
	push	ds
	mov	ax, DSEG
	mov	ds, ax
	mov	si, 0x0ffc
	mov	ax, [si]
	mov	bx, [si + 2]
	mov	cx, [si + 3]
	mov	dx, [si + 4]
	add	word [si + 6], 0x0101
	sub	word [si + 6], 0x0101
	xor	byte [si + 5], 0x5a
	xor	byte [si + 5], 0x5a
	mov	di, ax
	mov	al, [si + 3]
	mov	ah, [si + 4]
	cmp	cx, ax
	jne	.bad
	mov	al, [si + 4]
	mov	ah, [si + 5]
	cmp	dx, ax
	jne	.bad
	mov	al, [si]
	mov	ah, [si + 1]
	cmp	di, ax
	jne	.bad
	mov	al, [si + 2]
	mov	ah, [si + 3]
	cmp	bx, ax
	jne	.bad
	mov	al, [si + 6]			; i * 5 + 1 for i = 0FCh + 6 (mod 256)
	cmp	al, (0x102 * 5 + 1) & 0xff
	jne	.bad
	pop	ds
	ret
.bad:	pop	ds
	FAIL	9

; A store and a load in the page REP STOSW just wrote, in the same block.
after_rep:
	push	ds
	mov	ax, DSEG
	mov	ds, ax
	mov	es, ax
	mov	di, 0x0f80
	mov	cx, 4
	mov	ax, 0xbeef
	rep stosw
	mov	[di], ax
	mov	bx, [di - 2]
	mov	dx, [di]
	mov	byte [di + 2], 0
	pop	ds
	cmp	bx, 0xbeef
	CHECK	e, 10
	cmp	dx, 0xbeef
	CHECK	e, 11
	ret

; Data in the page this code runs from: read (cached), then written.
code_page:
	mov	ax, [scratch]
	inc	ax
	mov	[scratch], ax
	mov	bx, [scratch]
	cmp	ax, bx
	CHECK	e, 12
	ret

; BIOS ROM at F000:0010: a cached read, a store (dropped or not: the interpreter
; decides), a read back, the old word put back.
rom_page:
	cli
	push	ds
	mov	ax, 0xf000
	mov	ds, ax
	mov	ax, [0x0010]
	mov	bx, ax
	not	bx
	mov	[0x0010], bx
	mov	cx, [0x0010]
	mov	[0x0010], ax
	mov	dx, [0x0010]
	pop	ds
	sti
	cmp	dx, ax
	CHECK	e, 13
	ret

round	dw	0
save_sp	dw	0
walk_ss	dw	0
walk_sp	dw	0
scratch	dw	0

%include "tail.inc"

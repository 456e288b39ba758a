; net_ne2000: an NE2000 at 300h/IRQ 3 driven at register level. Reset through the
; reset port; the address PROM read byte-wide (each byte doubled, 57h signature);
; then, in internal loopback (TCR=02h) with a 10-page ring (46h-50h), eight broadcast
; frames of 100..1150 bytes are written by remote DMA, transmitted and received: each
; receive header must hold status 21h (intact, broadcast), the next page that CURR shows
; and the length plus 4; the data read back by one remote DMA read (which wraps at
; PSTOP) must equal what was sent, and the ring must wrap at least twice. Last, a frame
; with IMR=PRX|PTX must raise IRQ 3 through the PIC.
; tandem-args: --nic model=ne2k,mode=none
; Oracle: QEMU's ne2k_isa and Bochs's ne2k do not implement internal loopback (both send
; the frame out instead), so this guest runs on tandem only; the same ring, header and
; wrap checks between two cards are tests/net/ne2k_pair.asm, whose output matches QEMU.
; expect-status: 1
; expect-debugcon: net_ne2000.debugcon
%include "lib.inc"

NE	equ	0x300
R_CR	equ	NE + 0x00
R_PSTART equ	NE + 0x01
R_PSTOP	equ	NE + 0x02
R_BNRY	equ	NE + 0x03
R_TPSR	equ	NE + 0x04		; write; TSR on read
R_TBCR0	equ	NE + 0x05
R_TBCR1	equ	NE + 0x06
R_ISR	equ	NE + 0x07
R_RSAR0	equ	NE + 0x08
R_RSAR1	equ	NE + 0x09
R_RBCR0	equ	NE + 0x0a
R_RBCR1	equ	NE + 0x0b
R_RCR	equ	NE + 0x0c
R_TCR	equ	NE + 0x0d
R_DCR	equ	NE + 0x0e
R_IMR	equ	NE + 0x0f
R_CURR	equ	NE + 0x07		; page 1
R_DATA	equ	NE + 0x10
R_RESET	equ	NE + 0x1f

PSTART	equ	0x46
PSTOP	equ	0x50
NFRAMES	equ	8

%macro OUTB 2			; OUTB port, value
	mov	dx, %1
	mov	al, %2
	out	dx, al
%endmacro

%macro INB 1
	mov	dx, %1
	in	al, dx
%endmacro

main:
	PRINT	"net_ne2000", 10
	call	reset_card
	call	read_prom
	call	init_card
	mov	word [frameno], 0
.frame:
	call	loop_frame
	inc	word [frameno]
	cmp	word [frameno], NFRAMES
	jb	.frame
	mov	ax, [wraps]
	PRINT	"ring wraps "
	call	putdec
	call	nl
	cmp	word [wraps], 2
	CHECK	ae, 10
	call	irq_test
	PRINT	"irq 3 ok", 10
	jmp	pass

; ---- reset and PROM ----------------------------------------------------------

reset_card:
	INB	R_RESET
	out	dx, al
	mov	cx, 10000
.w:	INB	R_ISR
	test	al, 0x80
	jnz	.ok
	loop	.w
	FAIL	1
.ok:	OUTB	R_ISR, 0xff
	ret

; remote DMA: BX = card address, CX = count, AL = command (0Ah read, 12h write)
dma_setup:
	push	ax
	OUTB	R_RBCR0, cl
	OUTB	R_RBCR1, ch
	OUTB	R_RSAR0, bl
	OUTB	R_RSAR1, bh
	pop	ax
	mov	dx, R_CR
	out	dx, al
	ret

read_prom:
	OUTB	R_CR, 0x21		; page 0, stop, abort DMA
	OUTB	R_DCR, 0x48		; byte-wide, normal operation
	OUTB	R_IMR, 0
	OUTB	R_ISR, 0xff
	xor	bx, bx
	mov	cx, 32
	mov	al, 0x0a
	call	dma_setup
	mov	di, prom
	mov	cx, 32
	mov	dx, R_DATA
.r:	in	al, dx
	mov	[di], al
	inc	di
	loop	.r
	mov	si, prom		; every byte doubled
	mov	cx, 16
.d:	mov	al, [si]
	cmp	al, [si + 1]
	CHECK	e, 2
	add	si, 2
	loop	.d
	cmp	byte [prom + 28], 0x57	; "W": a 16-bit NE2000
	CHECK	e, 3
	PRINT	"mac "
	xor	si, si
.m:	mov	al, [prom + si]
	call	puthex8
	add	si, 2
	cmp	si, 12
	jae	.md
	mov	al, ':'
	call	putc
	jmp	.m
.md:	call	nl
	mov	si, 0			; compact the MAC
	mov	di, 0
.c:	mov	al, [prom + si]
	mov	[mac + di], al
	add	si, 2
	inc	di
	cmp	di, 6
	jb	.c
	ret

init_card:
	OUTB	R_CR, 0x21
	OUTB	R_DCR, 0x49		; word transfers
	OUTB	R_RBCR0, 0
	OUTB	R_RBCR1, 0
	OUTB	R_RCR, 0x04		; accept broadcast
	OUTB	R_TCR, 0x02		; internal loopback
	OUTB	R_PSTART, PSTART
	OUTB	R_PSTOP, PSTOP
	OUTB	R_BNRY, PSTART
	OUTB	R_ISR, 0xff
	OUTB	R_IMR, 0
	OUTB	R_CR, 0x61		; page 1
	mov	si, 0
	mov	dx, NE + 1
.p:	mov	al, [mac + si]
	out	dx, al
	inc	dx
	inc	si
	cmp	si, 6
	jb	.p
	mov	cx, 8			; MAR: no multicast
	xor	al, al
.mar:	out	dx, al
	inc	dx
	loop	.mar
	OUTB	R_CURR, PSTART + 1
	OUTB	R_CR, 0x22		; page 0, start
	ret

; ---- one frame through the loop ---------------------------------------------------

loop_frame:
	mov	ax, [frameno]		; length = 100 + 150 * n
	mov	bx, 150
	mul	bx
	add	ax, 100
	mov	[len], ax
	mov	di, txbuf		; broadcast from us, type 0800h, numbered payload
	mov	cx, 6
	mov	al, 0xff
.b:	mov	[di], al
	inc	di
	loop	.b
	mov	si, mac
	mov	cx, 6
.s:	mov	al, [si]
	mov	[di], al
	inc	si
	inc	di
	loop	.s
	mov	word [di], 0x0008
	add	di, 2
	mov	cx, [len]
	sub	cx, 14
	mov	al, [frameno]
	mov	ah, 0x5a
.pl:	mov	[di], al
	add	al, ah
	inc	al
	inc	di
	loop	.pl
	; remote write to 4000h, a word at a time
	mov	bx, 0x4000
	mov	cx, [len]
	inc	cx
	and	cx, 0xfffe
	mov	al, 0x12
	call	dma_setup
	mov	si, txbuf
	mov	cx, [len]
	inc	cx
	shr	cx, 1
	mov	dx, R_DATA
.w:	mov	ax, [si]
	out	dx, ax
	add	si, 2
	loop	.w
	call	wait_rdc
	; transmit
	OUTB	R_TPSR, 0x40
	mov	ax, [len]
	OUTB	R_TBCR0, al
	mov	ax, [len]
	OUTB	R_TBCR1, ah
	OUTB	R_CR, 0x26
	mov	cx, 10000
.tx:	INB	R_ISR
	test	al, 0x02
	jnz	.sent
	loop	.tx
	FAIL	4
.sent:	test	al, 0x01		; received through the loop
	CHECK	nz, 5
	INB	R_TPSR			; TSR: transmitted
	test	al, 0x01
	CHECK	nz, 5
	OUTB	R_ISR, 0xff
	; where the frame is: the page after BNRY
	INB	R_BNRY
	inc	al
	cmp	al, PSTOP
	jb	.pg
	mov	al, PSTART
.pg:	mov	[page], al
	mov	bh, al
	xor	bl, bl
	mov	cx, 4
	mov	al, 0x0a
	call	dma_setup
	mov	dx, R_DATA
	in	ax, dx
	mov	[hdr], ax
	in	ax, dx
	mov	[hdr + 2], ax
	call	wait_rdc
	PRINT	"frame "
	mov	ax, [frameno]
	call	putdec
	PRINT	" len "
	mov	ax, [len]
	call	putdec
	PRINT	" page "
	mov	al, [page]
	call	puthex8
	PRINT	" status "
	mov	al, [hdr]
	call	puthex8
	PRINT	" next "
	mov	al, [hdr + 1]
	call	puthex8
	PRINT	" count "
	mov	ax, [hdr + 2]
	call	putdec
	call	nl
	cmp	byte [hdr], 0x21
	CHECK	e, 6
	mov	ax, [len]
	add	ax, 4
	cmp	ax, [hdr + 2]
	CHECK	e, 7
	OUTB	R_CR, 0x62		; page 1: CURR
	INB	R_CURR
	mov	bl, al
	OUTB	R_CR, 0x22
	cmp	bl, [hdr + 1]
	CHECK	e, 8
	; the data, in one remote read from after the header (wraps at PSTOP)
	mov	bh, [page]
	mov	bl, 4
	mov	cx, [len]
	inc	cx
	and	cx, 0xfffe
	mov	al, 0x0a
	call	dma_setup
	mov	di, rxbuf
	mov	cx, [len]
	inc	cx
	shr	cx, 1
	mov	dx, R_DATA
.r:	in	ax, dx
	mov	[di], ax
	add	di, 2
	loop	.r
	call	wait_rdc
	mov	si, txbuf
	mov	di, rxbuf
	mov	cx, [len]
.cmp:	mov	al, [si]
	cmp	al, [di]
	CHECK	e, 9
	inc	si
	inc	di
	loop	.cmp
	; free the pages: BNRY = next - 1
	mov	al, [hdr + 1]
	cmp	al, [page]
	jae	.nw
	inc	word [wraps]
.nw:	dec	al
	cmp	al, PSTART
	jae	.bn
	mov	al, PSTOP - 1
.bn:	mov	dx, R_BNRY
	out	dx, al
	ret

wait_rdc:
	mov	cx, 10000
.w:	INB	R_ISR
	test	al, 0x40
	jnz	.ok
	loop	.w
	FAIL	11
.ok:	OUTB	R_ISR, 0x40
	ret

; ---- IRQ 3 -----------------------------------------------------------------------

irq_test:
	cli
	mov	word [0x0b * 4], irq3
	mov	word [0x0b * 4 + 2], 0
	in	al, 0x21
	mov	[old_imr], al
	and	al, 0xf7
	out	0x21, al
	mov	word [irqs], 0
	OUTB	R_IMR, 0x03		; PRX | PTX
	sti
	mov	word [frameno], 0
	call	loop_frame		; polls ISR, clears it: the IRQ came meanwhile
	mov	cx, 1000
.w:	cmp	word [irqs], 0
	jne	.ok
	loop	.w
	FAIL	12
.ok:	cli
	OUTB	R_IMR, 0
	mov	al, [old_imr]
	out	0x21, al
	sti
	ret

irq3:
	push	ax
	push	dx
	inc	word [cs:irqs]
	mov	al, 0x20		; EOI only: ISA IRQs are edges, so the line
	out	0x20, al		; may stay up until the test clears ISR
	pop	dx
	pop	ax
	iret

frameno	dw	0
len	dw	0
wraps	dw	0
irqs	dw	0
page	db	0
old_imr	db	0
hdr	times 4 db 0
mac	times 6 db 0
prom	times 32 db 0

%include "tail.inc"

txbuf	equ	0x1000
rxbuf	equ	0x1800

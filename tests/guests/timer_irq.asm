; timer_irq: the 8254 PIT and IRQ0 through the 8259A. Channel 0 is programmed to mode 2
; at 100 Hz (divisor 11932) with our own INT 08h handler; latched counts must lie in
; 1..11932 and mostly decrease; the read-back command returns channel 0's status byte;
; port 61h bit 4 (refresh) must toggle; channel 2 in mode 0 (gate = port 61h bit 0)
; keeps OUT2 (port 61h bit 5) low until the count of FFFFh (54.9 ms) runs out, and
; IRQ0 must tick 3..8 times at 100 Hz meanwhile (OUT2 is looked at after each tick).
; The BIOS's timer is restored at the end.
; expect-status: 1
; expect-debugcon: timer_irq.debugcon
; oracle: qemu bochs
%include "lib.inc"

DIVISOR	equ	11932

main:
	PRINT	"timer_irq", 10
	cli
	mov	ax, [8 * 4]		; keep the BIOS's IRQ0 handler
	mov	[old8], ax
	mov	ax, [8 * 4 + 2]
	mov	[old8 + 2], ax
	mov	word [8 * 4], irq0
	mov	word [8 * 4 + 2], 0
	mov	al, 0x34		; channel 0, lo/hi byte, mode 2, binary
	out	0x43, al
	mov	al, DIVISOR & 0xff
	out	0x40, al
	mov	al, DIVISOR >> 8
	out	0x40, al
	in	al, 0x21		; unmask IRQ0 only for the test
	mov	[old_imr], al
	mov	al, 0xfe
	out	0x21, al
	sti
	call	test_ticking
	PRINT	"irq0 ticks ok", 10
	call	test_latch
	PRINT	"latched counts ok", 10
	call	test_readback
	PRINT	"read-back status ok", 10
	call	test_refresh
	PRINT	"refresh toggle ok", 10
	call	test_channel2
	PRINT	"channel 2 mode 0 ok", 10
	cli				; restore the BIOS's 18.2 Hz timer and handler
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

old8	dw	0, 0
old_imr	db	0
ticks	dw	0

irq0:
	inc	word [cs:ticks]
	push	ax
	mov	al, 0x20		; non-specific EOI
	out	0x20, al
	pop	ax
	iret

; IRQ0 must arrive: wait for 5 ticks with HLT (bounded)
test_ticking:
	mov	word [ticks], 0
	mov	cx, 1000
.w:	hlt
	cmp	word [ticks], 5
	jae	.ok
	loop	.w
	FAIL	2
.ok:	ret

; latch channel 0 (counter latch command) and read lo, hi: AX
latch0:
	mov	al, 0x00
	out	0x43, al
	in	al, 0x40
	mov	ah, al
	in	al, 0x40
	xchg	al, ah
	ret

test_latch:
	mov	cx, 200
	xor	dx, dx			; DL: decreases seen, DH: increases (reloads)
	call	latch0
	mov	bx, ax
.l:	cmp	ax, DIVISOR
	ja	.bad
	call	latch0
	cmp	ax, DIVISOR
	ja	.bad
	cmp	ax, bx
	je	.same
	jb	.dec
	inc	dh
	jmp	.same
.dec:	inc	dl
.same:	mov	bx, ax
	loop	.l
	cmp	dl, 8			; counting down dominates (QEMU's clock is the
	jb	.bad2			; host's: many reads see the same count) ...
	cmp	dh, 3			; ... and 200 reads span at most a few reloads
	ja	.bad2
	cmp	dh, dl
	jae	.bad2
	ret
.bad:	call	puthex16
	call	nl
	FAIL	3
.bad2:	mov	al, dl
	xor	ah, ah
	call	putdec
	mov	al, ' '
	call	putc
	mov	al, dh
	call	putdec
	call	nl
	FAIL	4

test_readback:
	cli
	mov	al, 0xc2		; read-back: latch count and status of channel 0
	out	0x43, al
	in	al, 0x40		; status first
	mov	bl, al
	in	al, 0x40
	mov	ah, al
	in	al, 0x40
	xchg	al, ah
	sti
	and	bl, 0x3f		; RW = lo/hi, mode 2, binary
	cmp	bl, 0x34
	jne	.bad
	cmp	ax, DIVISOR
	ja	.bad
	ret
.bad:	FAIL	5

test_refresh:
	in	al, 0x61
	and	al, 0x10
	mov	bl, al
	mov	cx, 10000
	xor	dx, dx
.l:	in	al, 0x61
	and	al, 0x10
	cmp	al, bl
	je	.n
	mov	bl, al
	inc	dx
	cmp	dx, 8
	jae	.ok
.n:	loop	.l
	FAIL	6
.ok:	ret

test_channel2:
	in	al, 0x61
	and	al, 0xfc		; gate 2 low, speaker data off
	out	0x61, al
	mov	al, 0xb0		; channel 2, lo/hi, mode 0, binary
	out	0x43, al
	mov	al, 0xff
	out	0x42, al
	out	0x42, al
	in	al, 0x61		; mode 0: OUT2 low after the count is written
	test	al, 0x20
	jnz	.bad7
	mov	cx, 2000		; still low a while later
.d:	loop	.d
	in	al, 0x61
	test	al, 0x20
	jnz	.bad7
	cli
	mov	word [ticks], 0
	in	al, 0x61
	or	al, 0x01		; gate high: counting starts
	out	0x61, al
	sti
	mov	cx, 100			; OUT2 after each interrupt (bounded); HLT
.p:	hlt				; rather than a busy poll lets QEMU run its timers
	in	al, 0x61		; on time even on a loaded host
	test	al, 0x20
	jnz	.high
	loop	.p
	FAIL	8
.high:	mov	ax, [ticks]
	in	al, 0x61
	and	al, 0xfc
	out	0x61, al
	mov	ax, [ticks]
	cmp	ax, 3			; 54.9 ms at 100 Hz: about 5.5 ticks
	jb	.bad9
	cmp	ax, 8
	ja	.bad9
	ret
.bad7:	FAIL	7
.bad9:	call	putdec
	call	nl
	FAIL	9

%include "tail.inc"

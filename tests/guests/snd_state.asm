; snd_state: the save-state test of sound (savestate.sh saves it mid-run, resumes it in
; a new process, on the same engine and on the other one, and expects the same
; checksum and, bit for bit, the same WAV from the moment of the save on).
; While it computes state_checksum's sum (the same LCG words and passes, so the same
; "sum DC0142D6", with a 1 kHz IRQ0 of its own), everything that makes sound plays:
; the SB16 plays 16-bit stereo by auto-init DMA at 22050 Hz (resampled: the
; resampler's window and phase are part of the state) from a buffer with a sawtooth
; on the left and a square on the right; the OPL3 holds two notes, one on the left
; and one on the right, the left one's frequency changing at every SB interrupt; the
; PC speaker plays 660 Hz.  Then it all stops and the sum is printed.
; tandem-args: --sound sb16
; expect-status: 1
; expect-debugcon: snd_state.debugcon
; oracle: none (its sound is checked by savestate.sh against tandem's own run)
%include "lib.inc"

BUFSEG	equ	0x2000
WORDS	equ	16384
PASSES	equ	48
SBSEG	equ	0x1000			; the DMA buffer at 10000h (one 128 KiB page)
FRAMES	equ	512			; stereo frames per block, two blocks
ADLIB	equ	0x388

main:
	PRINT	"snd_state", 10
	call	dsp_reset
	CHECK	nc, 2
	call	make_buffer
	call	opl_notes
	in	al, 0x61		; the speaker: PIT channel 2, square wave
	or	al, 3
	out	0x61, al
	mov	al, 0xb6
	out	0x43, al
	mov	ax, 1193182 / 660
	out	0x42, al
	mov	al, ah
	out	0x42, al

	cli
	mov	word [0x0d * 4], irq5
	mov	word [0x0d * 4 + 2], 0
	mov	al, 0xde		; IRQ 0 and 5
	call	tick_start

	; DMA channel 5: single, auto-init, memory to device, 2 blocks of words.
	mov	al, 0x05
	out	0xd4, al
	mov	al, 0x59
	out	0xd6, al
	out	0xd8, al
	mov	ax, (SBSEG * 16) >> 1	; word address (A16 is its bit 15)
	out	0xc4, al
	mov	al, ah
	out	0xc4, al
	mov	ax, 2 * 2 * FRAMES - 1
	out	0xc6, al
	mov	al, ah
	out	0xc6, al
	mov	al, SBSEG >> 12
	out	0x8b, al
	mov	al, 0x01
	out	0xd4, al
	mov	al, 0x41		; 22050 Hz
	call	dsp_out
	mov	al, 22050 >> 8
	call	dsp_out
	mov	al, 22050 & 0xff
	call	dsp_out
	mov	al, 0xb6		; 16-bit, auto-init, FIFO
	call	dsp_out
	mov	al, 0x30		; stereo, signed
	call	dsp_out
	mov	ax, 2 * FRAMES - 1	; samples (both channels) per block
	call	dsp_out
	mov	al, ah
	call	dsp_out

	call	lcg_fill
	call	lcg_passes
	mov	[sum_s], bp
	mov	[sum_t], dx

	mov	al, 0xd9		; the SB stops after this block
	call	dsp_out
	in	al, 0x61		; the speaker off
	and	al, 0xfc
	out	0x61, al
	mov	ax, 0xb001		; both notes off (block 0, F-number high bits 1)
	call	opl_out
	mov	ax, 0xb101
	call	opl_out
	mov	bx, [irqs]		; the last block plays out
	inc	bx
.end:	cmp	[irqs], bx
	jb	.end

	call	tick_stop
	PRINT	10, "sum "
	mov	ax, [sum_s]
	call	puthex16
	mov	ax, [sum_t]
	call	puthex16
	call	nl
	cmp	word [irqs], 20		; the SB interrupted the loops
	CHECK	a, 1
	jmp	pass

irq0:	inc	word [cs:ticks]
	push	ax
	mov	al, 0x20
	out	0x20, al
	pop	ax
	iret

; The SB's interrupt: acknowledged at 22Fh; the left note moves up a little.
irq5:	push	ax
	push	dx
	mov	dx, SB + 0x0f
	in	al, dx
	inc	word [cs:irqs]
	mov	ax, [cs:irqs]
	and	al, 0x3f
	add	al, 0x80
	mov	ah, 0xa0
	call	opl_out
	mov	al, 0x20
	out	0x20, al
	pop	dx
	pop	ax
	iret

; opl_out: register AH (bank 0) = AL.
opl_out:
	push	dx
	push	ax
	mov	dx, ADLIB
	xchg	al, ah
	out	dx, al
	inc	dx
	xchg	al, ah
	out	dx, al
	pop	ax
	pop	dx
	ret

; opl_notes: OPL3 mode; channel 0 to the left, channel 1 to the right, both keyed.
opl_notes:
	mov	dx, ADLIB + 2		; register 105h = 1: OPL3
	mov	al, 0x05
	out	dx, al
	inc	dx
	mov	al, 1
	out	dx, al
	mov	si, notes
.n:	lodsw
	or	ax, ax
	jz	.d
	call	opl_out
	jmp	.n
.d:	ret

notes:	dw	0x2001, 0x2301, 0x2101, 0x2401		; multiple 1
	dw	0x4010, 0x4300, 0x4118, 0x4400		; levels
	dw	0x60f4, 0x63f4, 0x61f4, 0x64f4		; attack F, decay 4
	dw	0x8044, 0x8344, 0x8144, 0x8444		; sustain 4, release 4
	dw	0xc01e, 0xc12e				; left / right, feedback 7
	dw	0xa098, 0xb031, 0xa1e5, 0xb12d		; key on
	dw	0

; make_buffer: 2 * FRAMES stereo 16-bit frames at SBSEG:0, a sawtooth of 64 frames on
; the left, a square of 48 on the right.
make_buffer:
	push	es
	mov	ax, SBSEG
	mov	es, ax
	xor	di, di
	xor	bx, bx
.f:	mov	ax, bx
	and	ax, 63
	mov	cl, 9
	shl	ax, cl
	sub	ax, 0x4000
	stosw
	mov	ax, bx
	xor	dx, dx
	mov	cx, 48
	div	cx
	mov	ax, 0x2000
	cmp	dx, 24
	jb	.r
	neg	ax
.r:	stosw
	inc	bx
	cmp	bx, 2 * FRAMES
	jb	.f
	pop	es
	ret

ticks	dw	0
sum_s	dw	0
sum_t	dw	0

%include "tick1k.inc"
%include "lcgsum.inc"
%include "sb.inc"
%include "tail.inc"

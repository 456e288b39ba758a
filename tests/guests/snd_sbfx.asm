; snd_sbfx: Sound Blaster 16 at 48 kHz (41h, so the capture needs no resampling):
; single-cycle ADPCM with a reference byte in 4-bit (75h), 2.6-bit (77h) and 2-bit (17h)
; codes, each ending in an IRQ 5; then 8-bit single-cycle PCM (14h) of the same ramp at
; three voice volumes (mixer 32h/33h: F8h = 0 dB, C0h = -14 dB, 80h = -30 dB) with the
; master at 0 dB.  The captured WAV is compared bit for bit (tandem's ADPCM decoder and
; integer gains; see docs/sound-speed.md).
; tandem-args: --sound sb16
; expect-debugcon: snd_sbfx.debugcon
; expect-wav-sha256: snd_sbfx.wavsum
; oracle: none (QEMU has no SB ADPCM; the DSP parts are in snd_sb16)
%include "lib.inc"

BUF_SEG	equ	0x1000
LEN	equ	512

main:
	PRINT	"snd_sbfx", 10
	call	dsp_reset
	CHECK	nc, 1
	call	sb_irq_on
	mov	ax, 0x30f8
	call	mix_out
	mov	ax, 0x31f8
	call	mix_out
	push	es			; a ramp with a few jumps, LEN bytes
	mov	ax, BUF_SEG
	mov	es, ax
	xor	di, di
	mov	cx, LEN
	mov	al, 0x80
.f:	stosb
	add	al, 7
	test	cl, 0x3f
	jnz	.n
	xor	al, 0x55
.n:	loop	.f
	pop	es
	mov	al, 0x41
	call	dsp_out
	mov	al, 0xbb
	call	dsp_out
	mov	al, 0x80
	call	dsp_out
	mov	al, 0xd1
	call	dsp_out

	mov	ax, 0x32f8
	call	mix_out
	mov	ax, 0x33f8
	call	mix_out
	mov	al, 0x75		; 4-bit ADPCM, reference
	call	play
	CHECK	nc, 2
	mov	al, 0x77		; 2.6-bit
	call	play
	CHECK	nc, 3
	mov	al, 0x17		; 2-bit
	call	play
	CHECK	nc, 4
	PRINT	"adpcm ok", 10
	mov	al, 0x14
	call	play
	CHECK	nc, 5
	mov	ax, 0x32c0
	call	mix_out
	mov	ax, 0x33c0
	call	mix_out
	mov	al, 0x14
	call	play
	CHECK	nc, 6
	mov	ax, 0x3280
	call	mix_out
	mov	ax, 0x3380
	call	mix_out
	mov	al, 0x14
	call	play
	CHECK	nc, 7
	mov	ah, 0x04		; the legacy voice register shows 80h/80h
	call	mix_in
	cmp	al, 0x88
	CHECK	e, 8
	PRINT	"volumes ok", 10
	jmp	pass

; play: DSP command AL over the LEN bytes at BUF_SEG:0 (DMA channel 1, single
; cycle); waits for its IRQ.  CF set on time out.
play:	push	ax
	call	pause			; sounds apart: pauses do not enter the hash
	mov	al, 0x05
	out	0x0a, al
	mov	al, 0x49		; single, read, channel 1
	out	0x0b, al
	out	0x0c, al
	xor	al, al
	out	0x02, al
	out	0x02, al
	mov	ax, LEN - 1
	out	0x03, al
	mov	al, ah
	out	0x03, al
	mov	al, BUF_SEG >> 12
	out	0x83, al
	mov	al, 0x01
	out	0x0a, al
	mov	bx, [irqs]
	inc	bx
	pop	ax
	call	dsp_out
	mov	ax, LEN - 1
	call	dsp_out
	mov	al, ah
	call	dsp_out
	jmp	wait_irqs

%include "sb.inc"
%include "tail.inc"

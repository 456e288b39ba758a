; snd_stereo: stereo on the SB16 at 48 kHz (no resampling, unity gains: the WAV is
; bit exact).  Plays, each after a pause: 8-bit unsigned stereo by auto-init DMA on
; channel 1 (C6h mode 20h), a triangle on the left and a square of +-20h on the right;
; 16-bit signed stereo on channel 5 (B6h mode 30h), a sawtooth on the left and a
; square of -+2000h on the right; 8-bit mono with the voice volume at 0 dB on the left
; and off on the right (mixer 32h F8h, 33h 00h: the card's balance); an OPL3 note on
; the left only (C0h bit 4) and another on the right only (C1h bit 5).  The captured
; stereo WAV is compared bit for bit (docs/sound-speed.md says how its channels were
; checked sample by sample; snd_stereo_check.py checks each part).
; tandem-args: --sound sb16
; expect-debugcon: snd_stereo.debugcon
; expect-wav-sha256: snd_stereo.wavsum
; expect-wav-check: snd_stereo_check.py
; oracle: none (QEMU's and Bochs's SB16 mix to mono or do not play stereo DMA)
%include "lib.inc"

SBSEG	equ	0x1000			; 8-bit buffer at 10000h, 16-bit at 12000h
FR	equ	256			; stereo frames per block, two blocks
ADLIB	equ	0x388

main:
	PRINT	"snd_stereo", 10
	call	dsp_reset
	CHECK	nc, 1
	mov	ax, 0x30f8		; master and voice: 0 dB
	call	mix_out
	mov	ax, 0x31f8
	call	mix_out
	mov	ax, 0x32f8
	call	mix_out
	mov	ax, 0x33f8
	call	mix_out
	call	make_buffers
	call	sb_irq_on
	mov	al, 0x41		; 48000 Hz
	call	dsp_out
	mov	al, 0xbb
	call	dsp_out
	mov	al, 0x80
	call	dsp_out

	; 8-bit stereo: channel 1, 2 blocks of FR frames of 2 bytes.
	mov	ax, 4 * FR - 1
	call	dma1
	mov	byte [ack16], 0
	mov	word [irqs], 0
	mov	al, 0xc6
	call	dsp_out
	mov	al, 0x20		; stereo, unsigned
	call	dsp_out
	mov	ax, 2 * FR - 1		; samples of both channels per block
	call	dsp_out
	mov	al, ah
	call	dsp_out
	mov	bx, 4
	call	wait_irqs
	CHECK	nc, 2
	mov	al, 0xda
	call	dsp_out
	mov	bx, 5
	call	wait_irqs
	CHECK	nc, 3
	PRINT	"8-bit stereo ok", 10
	call	pause

	; 16-bit stereo: channel 5, 2 blocks of FR frames of 2 words.
	mov	al, 0x05
	out	0xd4, al
	mov	al, 0x59
	out	0xd6, al
	out	0xd8, al
	mov	ax, (SBSEG * 16 + 0x2000) >> 1
	out	0xc4, al
	mov	al, ah
	out	0xc4, al
	mov	ax, 4 * FR - 1
	out	0xc6, al
	mov	al, ah
	out	0xc6, al
	mov	al, SBSEG >> 12
	out	0x8b, al
	mov	al, 0x01
	out	0xd4, al
	mov	byte [ack16], 1
	mov	word [irqs], 0
	mov	al, 0xb6
	call	dsp_out
	mov	al, 0x30		; stereo, signed
	call	dsp_out
	mov	ax, 2 * FR - 1
	call	dsp_out
	mov	al, ah
	call	dsp_out
	mov	bx, 4
	call	wait_irqs
	CHECK	nc, 4
	mov	al, 0xd9
	call	dsp_out
	mov	bx, 5
	call	wait_irqs
	CHECK	nc, 5
	PRINT	"16-bit stereo ok", 10
	call	pause

	; 8-bit mono, voice on the left only: the first 2 * FR bytes of the 8-bit
	; buffer (left and right samples in turn, as a mono wave).
	mov	ax, 0x3300
	call	mix_out
	mov	ax, 2 * FR - 1
	call	dma1
	mov	byte [ack16], 0
	mov	word [irqs], 0
	mov	al, 0xc6
	call	dsp_out
	mov	al, 0x00		; mono, unsigned
	call	dsp_out
	mov	ax, FR - 1
	call	dsp_out
	mov	al, ah
	call	dsp_out
	mov	bx, 2
	call	wait_irqs
	CHECK	nc, 6
	mov	al, 0xda
	call	dsp_out
	mov	bx, 3
	call	wait_irqs
	CHECK	nc, 7
	mov	ax, 0x33f8
	call	mix_out
	PRINT	"balance ok", 10
	call	pause

	; OPL3: one note on the left, a pause, one on the right.
	mov	dx, ADLIB + 2
	mov	al, 0x05
	out	dx, al
	inc	dx
	mov	al, 1
	out	dx, al
	mov	si, notes
	call	opl_list
	call	pause
	call	opl_list
	call	pause
	call	opl_list
	PRINT	"fm ok", 10
	jmp	pass

; dma1: channel 1, auto-init, memory to device, AX + 1 bytes at SBSEG:0.
dma1:	push	ax
	mov	al, 0x05
	out	0x0a, al
	mov	al, 0x59
	out	0x0b, al
	out	0x0c, al
	xor	al, al
	out	0x02, al
	out	0x02, al
	pop	ax
	out	0x03, al
	mov	al, ah
	out	0x03, al
	mov	al, SBSEG >> 12
	out	0x83, al
	mov	al, 0x01
	out	0x0a, al
	ret

; opl_list: register/value words from SI up to a zero word.
opl_list:
	lodsw
	or	ax, ax
	jz	.d
	push	ax
	mov	dx, ADLIB
	xchg	al, ah
	out	dx, al
	inc	dx
	xchg	al, ah
	out	dx, al
	pop	ax
	jmp	opl_list
.d:	ret

notes:	dw	0x2001, 0x2301, 0x4010, 0x4300, 0x60f4, 0x63f4, 0x804f, 0x834f
	dw	0xc01e, 0xa098, 0xb031, 0			; left: key on
	dw	0xb011, 0x2101, 0x2401, 0x4110, 0x4400, 0x61f4, 0x64f4
	dw	0x814f, 0x844f, 0xc12e, 0xa1e5, 0xb12d, 0	; right: key on
	dw	0xb10d, 0

; make_buffers: at SBSEG:0, 2 * FR 8-bit frames: a triangle on the left (period 128
; frames), 80h +- 20h on the right (period 32); at SBSEG:2000h, 2 * FR 16-bit frames:
; a sawtooth on the left (period 64), -+2000h on the right (period 48).
make_buffers:
	push	es
	mov	ax, SBSEG
	mov	es, ax
	xor	di, di
	xor	bx, bx
.b:	mov	al, bl
	and	al, 0x7f
	test	al, 0x40
	jz	.up
	xor	al, 0x7f
.up:	shl	al, 1
	shl	al, 1
	stosb
	mov	al, 0xa0
	test	bl, 0x10
	jz	.r8
	mov	al, 0x60
.r8:	stosb
	inc	bx
	cmp	bx, 2 * FR
	jb	.b
	mov	di, 0x2000
	xor	bx, bx
.w:	mov	ax, bx
	and	ax, 63
	mov	cl, 9
	shl	ax, cl
	sub	ax, 0x4000
	stosw
	mov	ax, bx
	xor	dx, dx
	mov	cx, 48
	div	cx
	mov	ax, -0x2000
	cmp	dx, 24
	jb	.r
	neg	ax
.r:	stosw
	inc	bx
	cmp	bx, 2 * FR
	jb	.w
	pop	es
	ret

%include "sb.inc"
%include "tail.inc"

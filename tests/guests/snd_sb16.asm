; snd_sb16: Sound Blaster 16 DSP at 220h, IRQ 5, DMA 1 and 5. Resets the DSP (AAh),
; reads the version (4.05) and the E0h identification byte, the copyright string, the
; E4h/E8h test register and the mixer's IRQ/DMA select registers (written 02h, 22h);
; sets master and voice to full scale; then plays a 48 kHz 8-bit triangle wave by
; auto-init DMA on channel 1 (C6h, blocks of 1024 samples) and a 16-bit one on channel
; 5 (B6h), taking 4 interrupts of each, acknowledged through 22Eh/22Fh after checking
; mixer register 82h (bit 0: 8-bit, bit 1: 16-bit).  The captured WAV is compared bit
; for bit: 48 kHz needs no resampling, and full-scale volumes are unity gain.
; tandem-args: --sound sb16 --rtc 0
; expect-debugcon: snd_sb16.debugcon
; expect-wav-sha256: snd_sb16.wavsum
; oracle: qemu (-device sb16) bochs (sb16: enabled=1)
%include "lib.inc"

SB	equ	0x220
BUF_SEG	equ	0x1000			; physical 10000h: inside one 64 KiB page
HALF	equ	1024			; samples per block

main:
	PRINT	"snd_sb16", 10
	call	dsp_reset
	CHECK	nc, 1
	mov	al, 0xe1
	call	dsp_out
	call	dsp_in
	call	puthex8
	mov	al, '.'
	call	putc
	call	dsp_in
	call	puthex8
	call	nl
	mov	al, 0xe0		; identification: the complement
	call	dsp_out
	mov	al, 0x5a
	call	dsp_out
	call	dsp_in
	cmp	al, 0xa5
	CHECK	e, 2
	mov	al, 0xe3		; copyright, up to its NUL
	call	dsp_out
.cr:	call	dsp_in
	or	al, al
	jz	.crd
	call	putc
	jmp	.cr
.crd:	call	nl
	mov	al, 0xe4
	call	dsp_out
	mov	al, 0x3c
	call	dsp_out
	mov	al, 0xe8
	call	dsp_out
	call	dsp_in
	cmp	al, 0x3c
	CHECK	e, 3
	mov	ax, 0x8002		; IRQ 5 and DMA 1 + 5, as the jumpers say (Bochs's
	call	mix_out			; card starts without a 16-bit channel)
	mov	ax, 0x8122
	call	mix_out
	mov	ah, 0x80
	call	mix_in
	and	al, 0x0f
	cmp	al, 0x02		; IRQ 5
	CHECK	e, 4
	mov	ah, 0x81
	call	mix_in
	cmp	al, 0x22		; DMA 1 and 5
	CHECK	e, 5
	mov	ax, 0x30f8		; master, voice: level 31 (0 dB)
	call	mix_out
	mov	ax, 0x31f8
	call	mix_out
	mov	ax, 0x32f8
	call	mix_out
	mov	ax, 0x33f8
	call	mix_out
	PRINT	"dsp and mixer ok", 10

	call	make_waves
	cli
	mov	word [0x0d * 4], irq5
	mov	word [0x0d * 4 + 2], 0
	in	al, 0x21
	and	al, 0xdf		; unmask IRQ 5
	out	0x21, al
	sti

	; 8-bit: DMA channel 1, single mode, auto-init, memory to device.
	mov	al, 0x05
	out	0x0a, al		; mask channel 1
	mov	al, 0x59
	out	0x0b, al
	out	0x0c, al		; clear the flip-flop
	xor	al, al
	out	0x02, al		; address 0000h
	out	0x02, al
	mov	ax, 2 * HALF - 1
	out	0x03, al
	mov	al, ah
	out	0x03, al
	mov	al, BUF_SEG >> 12
	out	0x83, al		; page
	mov	al, 0x01
	out	0x0a, al		; unmask
	mov	al, 0xd1
	call	dsp_out
	mov	al, 0x41		; 48000 Hz
	call	dsp_out
	mov	al, 0xbb
	call	dsp_out
	mov	al, 0x80
	call	dsp_out
	mov	byte [want], 1
	mov	word [irqs], 0
	mov	al, 0xc6		; 8-bit, auto-init, FIFO
	call	dsp_out
	xor	al, al			; mono, unsigned
	call	dsp_out
	mov	ax, HALF - 1
	call	dsp_out
	mov	al, ah
	call	dsp_out
	call	wait4
	CHECK	nc, 7
	mov	al, 0xda		; leave auto-init after this block
	call	dsp_out
	call	wait1
	CHECK	nc, 8
	PRINT	"8-bit auto-init ok", 10
	call	pause			; a clear silence between the two parts

	; 16-bit: DMA channel 5 (controller 2), word address and count.
	mov	al, 0x05
	out	0xd4, al
	mov	al, 0x59
	out	0xd6, al
	out	0xd8, al
	mov	ax, 0x12000 >> 1	; word address: A16 is its bit 15
	out	0xc4, al
	mov	al, ah
	out	0xc4, al
	mov	ax, 2 * HALF - 1
	out	0xc6, al
	mov	al, ah
	out	0xc6, al
	mov	al, BUF_SEG >> 12
	out	0x8b, al
	mov	al, 0x01
	out	0xd4, al
	mov	byte [want], 2
	mov	word [irqs], 0
	mov	al, 0xb6		; 16-bit, auto-init, FIFO
	call	dsp_out
	mov	al, 0x10		; mono, signed
	call	dsp_out
	mov	ax, HALF - 1
	call	dsp_out
	mov	al, ah
	call	dsp_out
	call	wait4
	CHECK	nc, 9
	mov	al, 0xd9
	call	dsp_out
	call	wait1
	CHECK	nc, 10
	PRINT	"16-bit auto-init ok", 10
	jmp	pass

; wait4 / wait1: until [irqs] reaches 4 / 5; CF set on time out (about 1 s).
wait4:	mov	bx, 4
	jmp	waitn
wait1:	mov	bx, 5
waitn:	mov	ax, 0x40
	mov	es, ax
	mov	dx, [es:0x6c]
.w:	cmp	[irqs], bx
	jae	.ok
	cmp	byte [bad], 0
	jne	.to
	mov	ax, [es:0x6c]
	sub	ax, dx
	cmp	ax, 20
	jb	.w
.to:	stc
	ret
.ok:	clc
	ret

; pause: two BIOS timer tick edges (55 to 110 ms).
pause:	push	es
	mov	ax, 0x40
	mov	es, ax
	mov	cx, 2
.t:	mov	dx, [es:0x6c]
.w:	cmp	dx, [es:0x6c]
	je	.w
	loop	.t
	pop	es
	ret

irq5:	push	ax
	push	dx
	mov	dx, SB + 4
	mov	al, 0x82
	out	dx, al
	inc	dx
	in	al, dx
	and	al, 3
	cmp	al, [cs:want]
	je	.k
	mov	byte [cs:bad], 1
.k:	mov	dx, SB + 0x0e		; acknowledge the 8-bit interrupt
	cmp	byte [cs:want], 1
	je	.a
	inc	dx			; 22Fh: the 16-bit one
.a:	in	al, dx
	inc	word [cs:irqs]
	mov	al, 0x20
	out	0x20, al
	pop	dx
	pop	ax
	iret

; make_waves: 2048 bytes of an 8-bit triangle at BUF_SEG:0 and 2048 16-bit
; samples of another at BUF_SEG:2000h.
make_waves:
	push	es
	mov	ax, BUF_SEG
	mov	es, ax
	xor	di, di
	xor	bx, bx
.b:	mov	al, bl
	test	bl, 0x80
	jz	.up
	not	al
.up:	shl	al, 1
	stosb
	inc	bx
	cmp	bx, 2 * HALF
	jb	.b
	mov	di, 0x2000
	xor	bx, bx
.w:	mov	ax, bx
	and	ax, 0x3f
	mov	cl, 9
	shl	ax, cl
	sub	ax, 0x4000
	stosw
	inc	bx
	cmp	bx, 2 * HALF
	jb	.w
	pop	es
	ret

; dsp_reset: CF clear when the DSP answered AAh.
dsp_reset:
	mov	dx, SB + 6
	mov	al, 1
	out	dx, al
	mov	cx, 100
.d:	in	al, dx
	loop	.d
	xor	al, al
	out	dx, al
	mov	cx, 1000
	mov	dx, SB + 0x0e
.p:	in	al, dx
	test	al, 0x80
	jnz	.r
	loop	.p
	stc
	ret
.r:	mov	dx, SB + 0x0a
	in	al, dx
	cmp	al, 0xaa
	je	.ok
	stc
	ret
.ok:	clc
	ret

dsp_out:
	push	dx
	push	ax
	mov	dx, SB + 0x0c
.w:	in	al, dx
	test	al, 0x80
	jnz	.w
	pop	ax
	out	dx, al
	pop	dx
	ret

dsp_in:
	push	dx
	mov	dx, SB + 0x0e
.w:	in	al, dx
	test	al, 0x80
	jz	.w
	mov	dx, SB + 0x0a
	in	al, dx
	pop	dx
	ret

; mix_in: AL = mixer register AH.  mix_out: register AH = AL.
mix_in:	push	dx
	mov	dx, SB + 4
	xchg	al, ah
	out	dx, al
	inc	dx
	in	al, dx
	pop	dx
	ret
mix_out: push	dx
	push	ax
	mov	dx, SB + 4
	xchg	al, ah
	out	dx, al
	inc	dx
	xchg	al, ah
	out	dx, al
	pop	ax
	pop	dx
	ret

irqs	dw	0
want	db	0
bad	db	0

%include "tail.inc"

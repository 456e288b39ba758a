; snd_flood: hostile sound programming must not hurt the emulator.  64 Ki pseudo-random
; writes and reads over the Sound Blaster (220h-22Fh), the MPU-401 (330h-331h) and the
; OPL (388h-38Bh); then an auto-init DSP transfer from DMA page FFh (FF0000h, beyond
; the 16 MiB of RAM) at the highest rate, for a few timer ticks, and 16-bit DMA from
; the top of the 16 MiB ISA space.  Afterwards the DSP must still reset (AAh) and
; identify itself.
; tandem-args: --sound sb16 --audio-capture /dev/null --midi-capture /dev/null
; expect-debugcon: snd_flood.debugcon
; oracle: none (behaviour on garbage is tandem's own)
%include "lib.inc"

main:
	PRINT	"snd_flood", 10
	cli				; our random writes may raise IRQs
	in	al, 0x21
	or	al, 0x20
	out	0x21, al
	sti
	mov	bx, 0x1234		; LCG state
	xor	cx, cx			; 65536 rounds
.r:	mov	ax, bx
	mov	dx, 25173
	mul	dx
	add	ax, 13849
	mov	bx, ax
	mov	dl, ah
	and	dx, 0x0f
	test	al, 0x40
	jz	.sb
	test	al, 0x20
	jz	.mpu
	and	dl, 3
	add	dx, 0x388
	jmp	.io
.mpu:	and	dl, 1
	add	dx, 0x330
	jmp	.io
.sb:	add	dx, 0x220
.io:	test	al, 0x80
	jz	.in
	mov	al, bh
	out	dx, al
	loop	.r
	jmp	.done
.in:	in	al, dx
	loop	.r
.done:	PRINT	"flood survived", 10

	call	dsp_reset
	CHECK	nc, 1
	mov	al, 0x05		; channel 1 from FF0000h, auto-init
	out	0x0a, al
	mov	al, 0x59
	out	0x0b, al
	out	0x0c, al
	mov	al, 0xff
	out	0x02, al
	out	0x02, al
	out	0x03, al
	out	0x03, al
	out	0x83, al
	mov	al, 0x01
	out	0x0a, al
	mov	al, 0x05		; channel 5 from FFFFFEh
	out	0xd4, al
	mov	al, 0x59
	out	0xd6, al
	out	0xd8, al
	mov	al, 0xff
	out	0xc4, al
	out	0xc4, al
	out	0xc6, al
	out	0xc6, al
	out	0x8b, al
	mov	al, 0x01
	out	0xd4, al
	mov	al, 0x41		; 48000 Hz
	call	dsp_out
	mov	al, 0xbb
	call	dsp_out
	mov	al, 0x80
	call	dsp_out
	mov	al, 0x48
	call	dsp_out
	mov	al, 0xff
	call	dsp_out
	call	dsp_out
	mov	al, 0x1c
	call	dsp_out
	call	pause
	mov	al, 0xb6		; and 16-bit at the same time
	call	dsp_out
	mov	al, 0x30
	call	dsp_out
	mov	al, 0xff
	call	dsp_out
	call	dsp_out
	call	pause
	call	dsp_reset
	CHECK	nc, 2
	mov	al, 0xe1
	call	dsp_out
	call	dsp_in
	cmp	al, 4
	CHECK	e, 3
	call	dsp_in
	cmp	al, 5
	CHECK	e, 4
	PRINT	"dsp still answers", 10
	jmp	pass

%include "sb.inc"
%include "tail.inc"

; state_checksum: a long computation for the save-state test (savestate.sh saves it
; mid-run, resumes it in a new process and expects the same output as one run).
; Fills 16384 words at 2000:0000 with the LCG x = x * 25173 + 13849 (x0 = 1), then 48
; passes of  s = rol(s, 1) ^ w[i]; s += 2i; t += s  over them (about 6 million
; instructions) with a 1 kHz IRQ0 ticking meanwhile (its own handler, so the PIT, the
; PIC and interrupt delivery are part of what is saved). Prints a dot per pass and
; "sum SSSSTTTT". The expected sum in state_checksum.debugcon comes from this Python
; model, not from an emulator:
;   x=1; w=[]
;   for i in range(16384): x=(x*25173+13849)&0xffff; w.append(x)
;   s=t=0
;   for p in range(48):
;       for i in range(16384): s=((s<<1|s>>15)&0xffff)^w[i]; s=(s+2*i)&0xffff; t=(t+s)&0xffff
; expect-status: 1
; expect-debugcon: state_checksum.debugcon
; oracle: qemu bochs
%include "lib.inc"

BUFSEG	equ	0x2000
WORDS	equ	16384
PASSES	equ	48

main:
	PRINT	"state_checksum", 10
	cli
	mov	ax, [8 * 4]
	mov	[old8], ax
	mov	ax, [8 * 4 + 2]
	mov	[old8 + 2], ax
	mov	word [8 * 4], irq0
	mov	word [8 * 4 + 2], 0
	mov	al, 0x34		; channel 0, lo/hi, mode 2: 1193 -> 1 kHz
	out	0x43, al
	mov	al, 1193 & 0xff
	out	0x40, al
	mov	al, 1193 >> 8
	out	0x40, al
	in	al, 0x21
	mov	[old_imr], al
	mov	al, 0xfe
	out	0x21, al
	sti

	cld
	mov	ax, BUFSEG
	mov	es, ax
	xor	di, di
	mov	ax, 1
	mov	bx, 25173
	mov	cx, WORDS
.fill:	mul	bx
	add	ax, 13849
	stosw
	loop	.fill

	xor	bp, bp			; s
	xor	dx, dx			; t
	mov	word [npass], 0
.pass:	xor	si, si
	mov	cx, WORDS
.w:	rol	bp, 1
	xor	bp, [es:si]
	add	bp, si
	add	dx, bp
	add	si, 2
	loop	.w
	mov	al, '.'
	call	putc
	inc	word [npass]
	cmp	word [npass], PASSES
	jb	.pass

	cli
	mov	al, 0x36		; back to the BIOS's 18.2 Hz
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
	PRINT	10, "sum "
	mov	ax, bp
	call	puthex16
	mov	ax, dx
	call	puthex16
	call	nl
	cmp	word [cs:ticks], 0	; the timer interrupted the loops
	CHECK	ne, 1
	jmp	pass

irq0:
	inc	word [cs:ticks]
	push	ax
	mov	al, 0x20
	out	0x20, al
	pop	ax
	iret

ticks	dw	0
npass	dw	0
old8	dd	0
old_imr	db	0

%include "tail.inc"

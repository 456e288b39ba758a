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
	mov	al, 0xfe		; IRQ0 only
	call	tick_start

	call	lcg_fill
	call	lcg_passes
	call	tick_stop
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

%include "tick1k.inc"
%include "lcgsum.inc"

%include "tail.inc"

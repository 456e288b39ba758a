; fpu_clocks_xt: x87 clock counts on an 8088 with an 8087 (cpu/x87/timing.c), timed in
; PIT ticks (channel 2, mode 2, gated by port 61h bit 0; 4 CPU clocks a tick at
; 4.77 MHz).  128 FWAIT+FDIV ST,ST(1) against 128 FWAIT+FADD ST,ST(1): the 8087
; datasheet gives 193-203 and 70-100 clocks (198 and 85 used), the 8088's own work on
; the ESC and WAIT adds some 20, so FDIV/FADD must lie between 1.8 and 2.6.  A flat
; x87 count gives 1.0.  The 8088's bus model (x86i_biu) counts these instructions:
; the 8087's clocks come on top of it.
; tandem-args: --machine xt --cpu 8088 --fpu 8087
; oracle: none (a statement about tandem's clock model, not about a PC)
%include "lib.inc"

PASSES	equ	8
UNROLL	equ	16

main:
	PRINT	"fpu_clocks_xt", 10
	cli				; IRQ0 would add its handler's time
	in	al, 0x61
	and	al, 0xfc		; gate off, speaker off
	out	0x61, al
	mov	al, 0xb4		; channel 2, lo/hi, mode 2
	out	0x43, al
	xor	al, al			; count 65536
	out	0x42, al
	out	0x42, al
	fninit
	fld1
	fld1
	mov	bx, time_fadd
	call	measure
	mov	[t_add], ax
	mov	bx, time_fdiv
	call	measure
	mov	[t_div], ax
	sti
	PRINT	"fadd ticks/128: "
	mov	ax, [t_add]
	call	putdec
	call	nl
	PRINT	"fdiv ticks/128: "
	mov	ax, [t_div]
	call	putdec
	call	nl
	cmp	word [t_add], 128 * 85 / 4	; at least the 8087's own clocks
	CHECK	ae, 1
	mov	ax, [t_add]
	mov	cx, 18
	mul	cx
	mov	si, ax
	mov	di, dx			; DI:SI = 18 x FADD
	mov	ax, [t_div]
	mov	cx, 10
	mul	cx			; DX:AX = 10 x FDIV
	cmp	dx, di
	CHECK	ae, 2
	ja	.lo_ok
	cmp	ax, si
	CHECK	ae, 2			; FDIV >= 1.8 x FADD
.lo_ok:
	mov	ax, [t_add]
	mov	cx, 26
	mul	cx
	mov	si, ax
	mov	di, dx			; DI:SI = 26 x FADD
	mov	ax, [t_div]
	mov	cx, 10
	mul	cx
	cmp	dx, di
	CHECK	be, 3
	jb	.hi_ok
	cmp	ax, si
	CHECK	be, 3			; FDIV <= 2.6 x FADD
.hi_ok:
	jmp	pass

; AX = PIT ticks the routine at BX takes (gate on, run, latch).
measure:
	in	al, 0x61
	and	al, 0xfe
	out	0x61, al		; gate low...
	or	al, 1
	out	0x61, al		; ...and high: the count reloads
	call	bx
	mov	al, 0x80		; latch channel 2
	out	0x43, al
	in	al, 0x42
	mov	ah, al
	in	al, 0x42
	xchg	al, ah
	neg	ax			; 65536 - count
	ret

time_fadd:
	mov	cx, PASSES
.l:
%rep UNROLL
	fwait
	fadd	st0, st1
%endrep
	loop	.l
	fwait
	ret

time_fdiv:
	mov	cx, PASSES
.l:
%rep UNROLL
	fwait
	fdiv	st0, st1
%endrep
	loop	.l
	fwait
	ret

t_add	dw	0
t_div	dw	0

%include "tail.inc"

; fpu_clocks: x87 clock counts on a Pentium (cpu/x87/timing.c).  RDTSC times 1024
; dependent FDIV ST,ST(1) against 1024 dependent FADD ST,ST(1) (32 unrolled, 32 passes);
; the Pentium's latencies are 39 (FDIV at the default 64-bit precision) and 3 (FADD),
; so with the loop's overhead the ratio must lie between 10 and 16.  A flat x87 clock
; count gives 1, so the guest fails without per-instruction counts.  FADD must also
; cost at least 3 clocks and FDIV at most 60 each (TSC = core clocks).
; tandem-args: --cpu pentium
; oracle: none (a statement about tandem's clock model, not about a PC)
%include "lib.inc"
	cpu	586

PASSES	equ	32
UNROLL	equ	32

main:
	PRINT	"fpu_clocks", 10
	fninit
	fld1				; ST1 = 1: the values stay finite and normal
	fld1
	call	time_fadd
	mov	[t_add], eax
	call	time_fdiv
	mov	[t_div], eax
	PRINT	"fadd clocks/1024: "
	mov	ax, [t_add]
	call	putdec
	call	nl
	PRINT	"fdiv clocks/1024: "
	mov	ax, [t_div]
	call	putdec
	call	nl
	mov	eax, [t_add]
	cmp	eax, 3 * PASSES * UNROLL
	CHECK	ae, 1
	mov	eax, [t_div]
	cmp	eax, 60 * PASSES * UNROLL
	CHECK	be, 2
	mov	eax, [t_add]
	imul	eax, eax, 10
	cmp	[t_div], eax
	CHECK	ae, 3			; FDIV at least 10 x FADD
	mov	eax, [t_add]
	imul	eax, eax, 16
	cmp	[t_div], eax
	CHECK	be, 4			; and at most 16 x
	jmp	pass

; EAX = TSC clocks of the FADD loop.
time_fadd:
	rdtsc
	mov	ebx, eax
	mov	cx, PASSES
.l:
%rep UNROLL
	fadd	st0, st1
%endrep
	dec	cx
	jnz	.l
	fwait
	rdtsc
	sub	eax, ebx
	ret

time_fdiv:
	rdtsc
	mov	ebx, eax
	mov	cx, PASSES
.l:
%rep UNROLL
	fdiv	st0, st1
%endrep
	dec	cx
	jnz	.l
	fwait
	rdtsc
	sub	eax, ebx
	ret

t_add	dd	0
t_div	dd	0

%include "tail.inc"

; fpu_mf: an unmasked x87 exception with CR0.NE set on an 80486 is reported as #MF
; (vector 16) at the next waiting instruction, not at the one that caused it: FDIVP by
; zero with ZE unmasked returns normally, the FWAIT after it faults (the pushed return
; address is the FWAIT's, the status word holds ZE and ES), and the handler's FNCLEX
; lets the restarted FWAIT complete.  A non-waiting FNSTSW with the error pending does
; not fault.  (A waiting FLD1 faults too on Bochs and tandem, but QEMU 7.2 checks only at
; FWAIT: that case is in tests/unit/test_x86i_fpu.c.)
; tandem-args: --cpu 80486
; expect-status: 1
; expect-debugcon: fpu_mf.debugcon
; oracle: qemu bochs
%include "lib.inc"
	cpu	486

main:
	PRINT	"fpu_mf", 10
	cli
	mov	word [16 * 4], mf_handler
	mov	word [16 * 4 + 2], 0
	mov	eax, cr0
	or	al, 0x20		; NE
	and	al, ~0x0e		; MP EM TS clear
	mov	cr0, eax
	fninit
	fldcw	[cw_ze]
	fld1
	fldz
	fdivp	st1, st0
	cmp	word [mf_count], 0
	CHECK	e, 1			; the divide itself does not fault
	fnstsw	ax			; no wait: no fault
	test	ax, 0x0084
	CHECK	nz, 2
	cmp	word [mf_count], 0
	CHECK	e, 3
wait1:	fwait
	cmp	word [mf_count], 1
	CHECK	e, 4
	cmp	word [mf_ip], wait1
	CHECK	e, 5
	mov	ax, [mf_sw]
	and	ax, 0x00bf
	cmp	ax, 0x0084		; ZE and ES, nothing else
	CHECK	e, 6
	PRINT	"fwait #MF ok", 10
	jmp	pass

mf_handler:
	push	bp
	mov	bp, sp
	push	ax
	mov	ax, [bp + 2]
	mov	[mf_ip], ax
	fnstsw	[mf_sw]
	fnclex
	inc	word [mf_count]
	pop	ax
	pop	bp
	iret

cw_ze	dw	0x037b
mf_count dw	0
mf_ip	dw	0
mf_sw	dw	0

%include "tail.inc"

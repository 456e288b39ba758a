; fpu_nmi_xt: the PC/XT wires the 8087's INT output to the 8088's NMI through the NMI
; mask register (port A0h, bit 7 set = enabled), not to an IRQ.  With the control word's
; IEM (bit 7) and ZM clear, a zero divide asserts INT:
;   1. mask clear (as POST leaves it): no NMI;
;   2. the mask opened while INT is still high: one NMI (the gate feeds an edge-triggered
;      input), whose handler (INT 2) sees ZE and IR in the status word and does FNCLEX;
;   3. mask set, a new zero divide: one more NMI;
;   4. mask clear, an error cleared by FNCLEX before the mask opens: no NMI;
;   5. our BIOS's own NMI handler (F000:E2C3, IRET only: it does not check parity as
;      the XT BIOS does) takes the next one and the guest goes on.
; tandem-args: --machine xt --cpu 8088 --fpu 8087
; oracle: none (QEMU and Bochs model AT-class boards: FERR# goes to IRQ13 there)
%include "lib.inc"

main:
	PRINT	"fpu_nmi_xt", 10
	mov	ax, [2 * 4]		; the BIOS's NMI vector, for step 5
	mov	[bios_nmi], ax
	mov	ax, [2 * 4 + 2]
	mov	[bios_nmi + 2], ax
	cli
	mov	word [2 * 4], nmi_handler
	mov	word [2 * 4 + 2], 0
	sti
	fninit
	fldcw	[cw_ze]
	; 1: mask clear
	call	zero_divide
	call	delay
	cmp	word [nmi_count], 0
	CHECK	e, 1
	fnstsw	[sw]
	mov	ax, [sw]
	and	ax, 0x00bf
	cmp	ax, 0x0084		; ZE and IR pending, nothing else
	CHECK	e, 2
	PRINT	"masked: no nmi", 10
	; 2: opening the mask with INT high
	mov	al, 0x80
	out	0xa0, al
	call	delay
	cmp	word [nmi_count], 1
	CHECK	e, 3
	mov	ax, [nmi_sw]
	and	ax, 0x00bf
	cmp	ax, 0x0084
	CHECK	e, 4
	PRINT	"mask opened: nmi", 10
	; 3: a new error with the mask set
	call	zero_divide
	call	delay
	cmp	word [nmi_count], 2
	CHECK	e, 5
	PRINT	"enabled: nmi", 10
	; 4: cleared before the mask opens
	xor	al, al
	out	0xa0, al
	call	zero_divide
	call	delay
	fnclex
	mov	al, 0x80
	out	0xa0, al
	call	delay
	cmp	word [nmi_count], 2
	CHECK	e, 6
	PRINT	"cleared: no nmi", 10
	; 5: the BIOS's handler
	cli
	mov	ax, [bios_nmi]
	mov	[2 * 4], ax
	mov	ax, [bios_nmi + 2]
	mov	[2 * 4 + 2], ax
	sti
	call	zero_divide
	call	delay
	cmp	word [nmi_count], 2
	CHECK	e, 7
	fnstsw	[sw]
	test	byte [sw], 0x04		; the BIOS left the error alone
	CHECK	nz, 8
	fnclex
	xor	al, al
	out	0xa0, al
	PRINT	"bios nmi: iret", 10
	jmp	pass

zero_divide:
	fld1
	fldz
	fdivp	st1, st0
	fwait
	fstp	st0
	ret

; The NMI may come a few instructions late on a real machine.
delay:
	mov	cx, 100
.l:	loop	.l
	ret

nmi_handler:
	push	ax
	fnstsw	[nmi_sw]
	fnclex
	inc	word [nmi_count]
	pop	ax
	iret

cw_ze	dw	0x037b			; all masked but ZM; IEM clear (interrupts on)
sw	dw	0
nmi_sw	dw	0
nmi_count dw	0
bios_nmi dd	0

%include "tail.inc"

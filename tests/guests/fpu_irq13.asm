; fpu_irq13: the PC/AT's legacy x87 error path on an 80386 with an 80387 (CR0.NE does
; not exist): an unmasked zero divide asserts FERR#, which the board latches onto IRQ13
; (slave PIC input 5, vector 75h after the BIOS); no #MF.  The handler reads the status
; word, clears the error with FNCLEX, writes port F0h to clear the latch and sends EOIs.
; Twice, so the latch must be clear and set again by the second error.
; tandem-args: --cpu 80386 --fpu 387
; expect-status: 1
; expect-debugcon: fpu_irq13.debugcon
; oracle: bochs
; (QEMU 7.2 aborts on this guest: raising FERR#'s IRQ13 from the TCG thread fails the
; assertion qemu_mutex_iothread_locked() in tcg_handle_interrupt.)
%include "lib.inc"
	cpu	386

main:
	PRINT	"fpu_irq13", 10
	cli
	mov	word [0x75 * 4], irq13_handler
	mov	word [0x75 * 4 + 2], 0
	mov	word [16 * 4], mf_handler
	mov	word [16 * 4 + 2], 0
	in	al, 0xa1
	and	al, ~0x20		; IRQ13
	out	0xa1, al
	in	al, 0x21
	and	al, ~0x04		; cascade
	out	0x21, al
	fninit
	fldcw	[cw_ze]
	sti
	mov	si, 1
.again:	fld1
	fldz
	fdivp	st1, st0
	fwait
	mov	cx, 100			; the interrupt may come a few instructions late
.w:	cmp	[irq_count], si
	je	.got
	loop	.w
	mov	ax, si
	add	al, 10
	jmp	fail
.got:	mov	ax, [irq_sw]
	and	ax, 0x00bf
	cmp	ax, 0x0084		; ZE and ES
	CHECK	e, 20
	PRINT	"irq13 ok", 10
	inc	si
	cmp	si, 3
	jb	.again
	cmp	word [irq_count], 2
	CHECK	e, 21
	jmp	pass

irq13_handler:
	push	ax
	fnstsw	[irq_sw]
	fnclex
	xor	al, al
	out	0xf0, al		; clear the coprocessor busy/error latch
	mov	al, 0x20
	out	0xa0, al
	out	0x20, al
	inc	word [irq_count]
	pop	ax
	iret

mf_handler:
	FAIL	30

cw_ze	dw	0x037b
irq_count dw	0
irq_sw	dw	0

%include "tail.inc"

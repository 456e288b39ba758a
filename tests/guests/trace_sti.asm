; trace_sti: an interrupt that waits behind STI is taken after the next instruction,
; also where that instruction is the start of a loop the interpreter's trace cache
; (cpu/x86-interp/x86i_trace.c) runs as one trace.  With IF clear and IRQ0 pending the
; loop is entered at L: INC CX; CMP; JNE; JMP back to M: STI, which lies just before
; L.  The trace built from L ends with the STI; had it wrapped around to L by IP alone
; it would have kept the IF it started with and run the loop on past the interrupt.
; The handler records CX: 2 (one pass with IF clear, then STI, whose shadow covers
; the second INC, then IRQ0 comes).
; expect-status: 1
; oracle: qemu bochs
%include "lib.inc"

main:
	PRINT	"trace_sti", 10
	cli
	mov	word [8 * 4], irq0		; INT 8 (IRQ0) -> irq0
	mov	word [8 * 4 + 2], 0
	mov	al, 0x34			; PIT channel 0, mode 2, count 1024
	out	0x43, al
	xor	al, al
	out	0x40, al
	mov	al, 4
	out	0x40, al
	in	al, 0x21			; IRQ0 unmasked
	and	al, 0xfe
	out	0x21, al
.wait:	mov	al, 0x0a			; OCW3: read the IRR
	out	0x20, al
	in	al, 0x20
	test	al, 1
	jz	.wait				; until IRQ0 is pending
	xor	cx, cx
	mov	byte [flag], 0
	mov	ax, L				; an indirect jump: a trace ends here,
	jmp	ax				; the next one starts at L

M:	sti
L:	inc	cx
	cmp	byte [flag], 0
	jne	done
	jmp	M

done:
	cli
	cmp	word [irq_cx], 2
	je	.ok
	PRINT	"IRQ0 taken at CX="
	mov	ax, [irq_cx]
	call	putdec
	call	nl
	FAIL	1
.ok:	jmp	pass

irq0:
	mov	[irq_cx], cx
	mov	byte [flag], 1
	push	ax
	mov	al, 0x20			; EOI
	out	0x20, al
	pop	ax
	iret

flag	db	0
irq_cx	dw	0

%include "tail.inc"

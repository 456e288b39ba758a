; pm_triple: the DOS-extender way back to real mode on an AT. The guest stores a
; resume address at 0040:0067, sets CMOS shutdown code 0Ah and triple-faults (an IDT
; with limit 0 makes INT 3 fault, then double-fault, then shut down). The board resets
; the CPU, the BIOS sees code 0Ah at POST and jumps to the resume address without
; re-initialising anything; the guest checks its stack and data survived.
; tandem-args: --cpu 80286
; expect-debugcon: pm_triple.debugcon
; oracle: bochs (agrees when its debugger, which stops at the reset, is continued with a
; second `c`; oracle.sh runs QEMU with -no-reboot, so QEMU stops at the shutdown)
%include "lib.inc"
	cpu	286

main:
	PRINT	"pm_triple: shutdown code 0Ah resume", 10
	mov	word [marker], 0x1234
	cli
	; resume vector at 0040:0067 (offset, segment)
	mov	word [0x467], resume
	mov	word [0x469], 0
	mov	[saved_sp], sp
	mov	al, 0x8f		; NMI off, index 0Fh
	out	0x70, al
	mov	al, 0x0a
	out	0x71, al
	lidt	[null_idt]
	int	3			; #GP past the IDT limit -> #DF -> shutdown
	FAIL	1			; never reached

resume:
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, [saved_sp]
	lidt	[real_idt]
	mov	al, 0x8f		; clear the shutdown code as a BIOS user would
	out	0x70, al
	xor	al, al
	out	0x71, al
	sti
	cmp	word [marker], 0x1234
	CHECK	e, 3
	PRINT	"resumed in real mode with memory intact", 10
	jmp	pass

align 4
null_idt:
	dw	0
	dd	0
real_idt:
	dw	0x3ff
	dd	0
marker:
	dw	0
saved_sp:
	dw	0

%include "tail.inc"

; pm_task32: 32-bit task switches. CALL to a 32-bit TSS (the new task sees NT set, the
; back link and its own TR; IRETD returns with every register of the caller
; restored), JMP to a TSS and JMP back (no NT, busy bits move with the task), and
; INT through a task gate. Busy bits come from LAR, saved state from the TSS image.
; tandem-args: --cpu 80386
; expect-status: 1
; expect-debugcon: pm_task32.debugcon
; oracle: qemu bochs
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	386

STACK32		equ	0x90000
STACK_T1	equ	0x80000

main:
	PRINT	"pm_task32", 10
	cli
	mov	eax, tss0
	mov	[gdt_tss0 + 2], ax
	shr	eax, 16
	mov	[gdt_tss0 + 4], al
	mov	eax, tss1
	mov	[gdt_tss1 + 2], ax
	shr	eax, 16
	mov	[gdt_tss1 + 4], al
	PM32_ENTER	STACK32
	mov	fs, ax
	mov	gs, ax
	mov	ax, 0x18
	ltr	ax
	; task 1's initial state
	mov	dword [tss1 + 0x20], task1	; EIP
	mov	dword [tss1 + 0x24], 2		; EFLAGS
	mov	dword [tss1 + 0x38], STACK_T1	; ESP
	mov	word [tss1 + 0x48], 0x10	; ES
	mov	word [tss1 + 0x4c], 0x08	; CS
	mov	word [tss1 + 0x50], 0x10	; SS
	mov	word [tss1 + 0x54], 0x10	; DS
	mov	word [tss1 + 0x58], 0x10	; FS
	mov	word [tss1 + 0x5c], 0x10	; GS
	mov	word [tss1 + 0x66], 0x68	; no I/O bitmap

	mov	esi, 0x5151
	mov	edi, 0x7171
	mov	ebp, 0x3131
	call	0x20:0
	mov	eax, esi
	call	hex32				; preserved
	mov	eax, edi
	call	hex32
	mov	eax, ebp
	call	hex32
	mov	eax, [t1_log]			; what task 1 saw: NT
	call	hex32
	mov	eax, [t1_log + 4]		; back link
	call	hex32
	mov	eax, [t1_log + 8]		; its TR
	call	hex32
	mov	eax, [tss1 + 0x20]		; task 1's saved EIP: after its IRETD
	sub	eax, task1
	call	hex32
	mov	ax, 0x20
	lar	eax, ax
	shr	eax, 8
	and	eax, 0x0f			; 9: available
	call	hex32
	mov	ax, 0x18
	lar	eax, ax
	shr	eax, 8
	and	eax, 0x0f			; 11: busy
	call	hex32
	call	nl32

	jmp	0x20:0				; JMP: task 1 jumps back here
back:	mov	eax, [t1_log]
	call	hex32				; NT clear this time
	mov	eax, [t1_count]
	call	hex32
	mov	ax, 0x20
	lar	eax, ax
	shr	eax, 8
	and	eax, 0x0f			; available again
	call	hex32
	str	ax
	movzx	eax, ax
	call	hex32
	pushfd
	pop	eax
	and	eax, 0x4000			; NT clear in task 0
	call	hex32
	int	0x40				; task gate
	mov	eax, [t1_count]
	call	hex32
	mov	eax, [t1_log]
	call	hex32				; NT set again (INT nests)
	call	nl32
	jmp	pass32

; Task 1: logs NT, the back link and TR; returns by IRETD when nested, else
; JMPs back to task 0.
task1:
	pushfd
	pop	eax
	and	eax, 0x4000
	mov	[t1_log], eax
	movzx	eax, word [tss1]
	mov	[t1_log + 4], eax
	str	ax
	movzx	eax, ax
	mov	[t1_log + 8], eax
	inc	dword [t1_count]
	mov	esi, 0xdead			; clobbers task 0's registers
	mov	edi, 0xdead
	mov	ebp, 0xdead
	test	dword [t1_log], 0x4000
	jz	.jmp
	iretd
	jmp	task1
.jmp:	jmp	0x18:0
	jmp	task1

%include "pm32_exit.inc"

	align	4
t1_log		dd	0, 0, 0
t1_count	dd	0

	PM32_GDT
gdt_tss0:	dw	0x67, 0
		db	0, 0x89, 0, 0		; 18 TSS 0
gdt_tss1:	dw	0x67, 0
		db	0, 0x89, 0, 0		; 20 TSS 1
	PM32_GDT_END
	align	8
idt:
%assign v 0
%rep 0x41
%if v == 0x40
		dw	0, 0x20, 0x8500, 0	; task gate to TSS 1
%else
		igate	unexpected
%endif
%assign v v + 1
%endrep
idt_end:
idt_ptr		dw	idt_end - idt - 1
		dd	idt
	align	16
tss0		times	0x68 db 0
tss1		times	0x68 db 0

%include "tail.inc"

; pm_debug: debug registers in 32-bit protected mode. DR0 and DR2 as instruction
; breakpoints enabled in DR7: #DB is a fault at the instruction (saved EIP = its
; address) with DR6 naming the breakpoint; the handler sets RF in the saved EFLAGS so
; the instruction then runs. A breakpoint DR7 leaves disabled never fires. Single
; stepping with TF traps after one instruction with DR6.BS set. DR3 as a data
; breakpoint on a dword: a write-only one ignores reads and traps after a byte write
; inside the dword (saved EIP = the next instruction), a read/write one traps on reads.
; tandem-args: --cpu 80386
; expect-status: 1
; expect-debugcon: pm_debug.debugcon
; oracle: qemu bochs
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	386

STACK32		equ	0x90000

main:
	PRINT	"pm_debug", 10
	cli
	PM32_ENTER	STACK32
	xor	eax, eax
	mov	dr6, eax
	mov	eax, bp0
	mov	dr0, eax
	mov	eax, bp1
	mov	dr1, eax			; DR1 stays disabled
	mov	eax, bp2
	mov	dr2, eax
	mov	eax, (1 << 0) | (1 << 4)	; L0, L2; R/W and LEN 0: execute
	mov	dr7, eax
	mov	dword [count], 0
	mov	ebx, 1
bp0:	add	ebx, 1
bp1:	add	ebx, 10
bp2:	add	ebx, 100
	mov	eax, ebx
	call	hex32				; 112: every instruction ran once
	mov	eax, [count]
	call	hex32				; two breakpoints hit
	mov	eax, [log]
	call	hex32
	mov	eax, [log + 4]
	call	hex32
	mov	eax, [log + 8]
	call	hex32
	mov	eax, [log + 12]
	call	hex32
	call	nl32
	xor	eax, eax
	mov	dr7, eax
	mov	dr6, eax
	; single step: TF set by POPFD traps after the next instruction
	mov	dword [count], 0
	pushfd
	or	dword [esp], 0x100
	popfd
step1:	inc	ebx
step2:	inc	ebx
	mov	eax, [count]
	call	hex32
	mov	eax, [log]
	call	hex32
	mov	eax, [log + 4]
	and	eax, 0x400f
	call	hex32
	call	nl32
	; data breakpoints: DR3 on a dword, writes only, then reads and writes
	xor	eax, eax
	mov	dr6, eax
	mov	dword [count], 0
	mov	eax, watched
	mov	dr3, eax
	mov	eax, (1 << 6) | (0xd << 28)	; L3; R/W 01 (write), LEN 11 (4)
	mov	dr7, eax
	mov	eax, [watched]			; a read: no trap
	mov	byte [watched + 2], 7		; a write inside the dword: trap
dw1:	mov	ebx, [watched]
	mov	eax, (1 << 6) | (0xf << 28)	; R/W 11: reads too
	mov	dr7, eax
	mov	ebx, [watched]
dw2:	xor	eax, eax
	mov	dr7, eax
	mov	eax, [count]
	call	hex32
	mov	eax, [log]
	sub	eax, dw1
	call	hex32				; the trap saved the next EIP
	mov	eax, [log + 4]
	call	hex32
	mov	eax, [log + 8]
	sub	eax, dw2
	call	hex32
	mov	eax, [log + 12]
	call	hex32
	mov	eax, ebx
	call	hex32
	call	nl32
	jmp	pass32

; #DB: logs the saved EIP and DR6, clears DR6, sets RF, clears TF.
db_handler:
	push	eax
	push	ebx
	mov	ebx, [count]
	cmp	ebx, 2
	jae	.full
	mov	eax, [esp + 8]			; saved EIP
	mov	[log + ebx * 8], eax
	mov	eax, dr6
	and	eax, 0x400f
	mov	[log + ebx * 8 + 4], eax
.full:	inc	dword [count]
	xor	eax, eax
	mov	dr6, eax
	or	dword [esp + 16], 0x10000	; RF
	and	dword [esp + 16], ~0x100	; TF
	pop	ebx
	pop	eax
	iretd

%include "pm32_exit.inc"

	align	4
count	dd	0
log	dd	0, 0, 0, 0
watched	dd	0x11223344

	PM32_GDT
	PM32_GDT_END
	PM32_IDT	32, 1, db_handler

%include "tail.inc"

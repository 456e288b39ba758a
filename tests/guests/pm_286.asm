; pm_286: 80286 protected mode. LGDT/LIDT and LMSW enter it, a far JMP loads CS; then
; exceptions with their error codes and saved CS:IP (selector beyond the GDT,
; not-present segment, system descriptor in DS, #UD, #DE; data limit and write checks
; are left to the unit tests: QEMU's TCG does not make them), the descriptor probes
; LAR/LSL/VERR/VERW and ARPL, a trip to ring 3 by IRET, CLI and an INT through a
; DPL 0 gate faulting there, a call gate to ring 0 with one parameter copied and RETF
; back (which nulls a DPL 0 data segment register), INT through a DPL 3 trap gate
; with the stack switch from the TSS, and task switches by CALL to a TSS and INT
; through a task gate (NT, back link, busy bits, CR0.TS, CLTS). Only 286 features:
; every descriptor has bytes 6-7 zero, so the 386+ (QEMU, Bochs) behave the same.
; tandem-args: --cpu 80286
; expect-status: 1
; expect-debugcon: pm_286.debugcon
; oracle: qemu bochs
%include "lib.inc"
	cpu	286

SEL_CODE	equ	0x08
SEL_DATA	equ	0x10
SEL_RO		equ	0x18
SEL_SMALL	equ	0x20
SEL_CODE3	equ	0x28
SEL_DATA3	equ	0x30
SEL_TSS0	equ	0x38
SEL_TSS1	equ	0x40
SEL_GATE	equ	0x48
SEL_NP		equ	0x50
SEL_FRESH	equ	0x58
GDT_LIMIT	equ	0x5f
RING0_SP	equ	0x5800
RING3_SP	equ	0x5000
TASK1_SP	equ	0x5400

; EXPECT vec, err, label: the next fault must be vec with error code err (-1: none)
; at label; execution resumes at the local label .r after it.
%macro EXPECT 3
	mov	word [exp_vec], %1
	mov	word [exp_err], %2
	mov	word [exp_ip], %3
	mov	word [resume], %%r
	mov	word [got], 0
	jmp	%3
%%r:
	cmp	word [got], 1
	je	%%ok
	mov	al, [exp_vec]
	add	al, 60
	jmp	pm_fail
%%ok:
%endmacro

main:
	PRINT	"pm_286", 10
	cli
	call	build_tables
	lgdt	[gdt_ptr]
	lidt	[idt_ptr]
	smsw	ax
	or	ax, 1
	lmsw	ax
	jmp	SEL_CODE:pm_entry
pm_entry:
	mov	ax, SEL_DATA
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, STACK_TOP
	smsw	ax
	test	al, 1
	jnz	.pe
	mov	al, 1
	jmp	pm_fail
.pe:	mov	ax, cs
	cmp	ax, SEL_CODE
	je	.cs
	mov	al, 2
	jmp	pm_fail
.cs:	PRINT	"protected mode ok", 10

	; --- exceptions with error codes --------------------------------------
	mov	ax, SEL_RO
	mov	es, ax
	mov	al, [es:0x100]			; reading is fine
	mov	ax, SEL_DATA
	mov	es, ax
	mov	ax, 0xf8
	EXPECT	13, 0xf8, f_gdtlim
	mov	ax, SEL_NP
	EXPECT	11, SEL_NP, f_np
	mov	ax, SEL_TSS0
	EXPECT	13, SEL_TSS0, f_sys
	mov	ax, SEL_SMALL
	mov	es, ax
	mov	al, [es:0x0f]			; last byte inside the limit
	mov	ax, SEL_DATA
	mov	es, ax
	EXPECT	6, -1, f_ud
	xor	ax, ax
	xor	cx, cx
	EXPECT	0, -1, f_de
	PRINT	"exceptions ok", 10

	; --- descriptor probes ------------------------------------------------
	mov	ax, SEL_FRESH
	lar	bx, ax
	jz	.l1
	mov	al, 3
	jmp	pm_fail
.l1:	cmp	bx, 0x9000			; present DPL 0 read-only data
	je	.l2
	mov	al, 4
	jmp	pm_fail
.l2:	lsl	bx, ax
	cmp	bx, 0x1234
	je	.l3
	mov	al, 5
	jmp	pm_fail
.l3:	xor	ax, ax
	lar	bx, ax				; null: ZF clear
	jnz	.l4
	mov	al, 6
	jmp	pm_fail
.l4:	mov	ax, SEL_RO
	verw	ax
	jnz	.l5
	mov	al, 7
	jmp	pm_fail
.l5:	verr	ax
	jz	.l6
	mov	al, 8
	jmp	pm_fail
.l6:	mov	ax, SEL_CODE
	verr	ax				; readable code
	jz	.l7
	mov	al, 9
	jmp	pm_fail
.l7:	mov	ax, SEL_DATA
	verw	ax
	jz	.l8
	mov	al, 10
	jmp	pm_fail
.l8:	mov	ax, SEL_CODE3
	mov	bx, 3
	arpl	ax, bx
	jz	.l9
	mov	al, 11
	jmp	pm_fail
.l9:	cmp	ax, SEL_CODE3 | 3
	je	.l10
	mov	al, 12
	jmp	pm_fail
.l10:	arpl	ax, bx				; already 3: ZF clear
	jnz	.l11
	mov	al, 13
	jmp	pm_fail
.l11:	PRINT	"lar lsl verr verw arpl ok", 10

	; --- ring 3 -------------------------------------------------------------
	mov	ax, SEL_TSS0
	ltr	ax
	str	bx
	cmp	bx, SEL_TSS0
	je	.t1
	mov	al, 14
	jmp	pm_fail
.t1:	mov	[saved_sp0], sp
	push	SEL_DATA3 | 3			; IRET to ring 3
	push	RING3_SP
	push	0x0002				; IF clear, IOPL 0
	push	SEL_CODE3 | 3
	push	ring3
	iret
back0:						; from ring 3 through INT 40h
	mov	ax, SEL_DATA
	mov	ss, ax
	mov	sp, [saved_sp0]
	mov	ds, ax
	mov	es, ax
	PRINT	"ring 3 ok", 10

	; --- task switches ------------------------------------------------------
	call	SEL_TSS1:0
	cmp	word [task_runs], 1
	je	.k1
	mov	al, 15
	jmp	pm_fail
.k1:	smsw	ax
	test	al, 8				; TS set by the switch
	jnz	.k2
	mov	al, 16
	jmp	pm_fail
.k2:	clts
	smsw	ax
	test	al, 8
	jz	.k3
	mov	al, 17
	jmp	pm_fail
.k3:	mov	ax, SEL_TSS1
	lar	bx, ax
	and	bh, 0x0f
	cmp	bh, 1				; not busy after its IRET
	je	.k4
	mov	al, 18
	jmp	pm_fail
.k4:	mov	ax, SEL_TSS0
	lar	bx, ax
	and	bh, 0x0f
	cmp	bh, 3				; the current task is busy
	je	.k5
	mov	al, 19
	jmp	pm_fail
.k5:	int	0x41				; task gate
	cmp	word [task_runs], 2
	je	.k6
	mov	al, 20
	jmp	pm_fail
.k6:	clts
	PRINT	"task switch ok", 10
	jmp	pm_pass

; --- ring 3 code ----------------------------------------------------------------
ring3:
	mov	ax, cs
	and	ax, 3
	cmp	ax, 3
	jne	.bad
	mov	ax, ss
	cmp	ax, SEL_DATA3 | 3
	jne	.bad
	mov	ax, SEL_DATA3 | 3
	mov	ds, ax
	mov	word [exp_vec], 13		; CLI with IOPL 0
	mov	word [exp_err], 0
	mov	word [exp_ip], .cli
	mov	word [resume], .r1
	mov	word [got], 0
.cli:	cli
.r1:	cmp	word [got], 1
	jne	.bad
	mov	word [exp_vec], 13		; INT through a DPL 0 gate
	mov	word [exp_err], 0x41 * 8 + 2
	mov	word [exp_ip], .int
	mov	word [resume], .r2
	mov	word [got], 0
.int:	int	0x41
.r2:	cmp	word [got], 1
	jne	.bad
	mov	ax, SEL_DATA3 | 3
	mov	es, ax
	push	0x1234				; one parameter for the gate
	call	SEL_GATE | 3:0
	cmp	sp, RING3_SP
	jne	.bad
	mov	ax, es				; RETF nulled the DPL 0 ES
	cmp	ax, 0
	jne	.bad
	cmp	word [gate_ok], 1
	jne	.bad
	int	0x40				; to ring 0 for good
.bad:	int	0x42				; reaches the "unexpected" handler

; Ring 0 through the call gate: one parameter copied to the ring 0 stack.
gate_target:
	mov	bp, sp
	mov	ax, cs
	cmp	ax, SEL_CODE
	jne	.bad
	mov	ax, ss
	cmp	ax, SEL_DATA
	jne	.bad
	cmp	sp, RING0_SP - 10
	jne	.bad
	cmp	word [bp + 4], 0x1234		; parameter
	jne	.bad
	cmp	word [bp + 6], RING3_SP - 2	; caller's SP, SS
	jne	.bad
	cmp	word [bp + 8], SEL_DATA3 | 3
	jne	.bad
	cmp	word [bp + 2], SEL_CODE3 | 3	; caller's CS
	jne	.bad
	mov	word [gate_ok], 1
	mov	ax, SEL_DATA
	mov	es, ax
	retf	2
.bad:	mov	al, 30
	jmp	pm_fail

; INT 40h from ring 3: a DPL 3 trap gate, ring 0 stack from the TSS.
int40:
	mov	bp, sp
	mov	ax, ss
	cmp	ax, SEL_DATA
	jne	.bad
	cmp	sp, RING0_SP - 10
	jne	.bad
	cmp	word [bp + 2], SEL_CODE3 | 3
	jne	.bad
	cmp	word [bp + 8], SEL_DATA3 | 3
	jne	.bad
	jmp	back0
.bad:	mov	al, 31
	jmp	pm_fail

; --- task 1 ---------------------------------------------------------------------
task1:
	pushf
	pop	ax
	test	ax, 0x4000			; NT
	jz	.bad
	str	ax
	cmp	ax, SEL_TSS1
	jne	.bad
	cmp	word [tss1], SEL_TSS0		; back link
	jne	.bad
	inc	word [task_runs]
	iret
	jmp	task1				; the next entry starts here
.bad:	mov	al, 32
	jmp	pm_fail

; --- exception handlers -----------------------------------------------------------
exc0:	push	-1
	push	0
	jmp	exc_common
exc6:	push	-1
	push	6
	jmp	exc_common
exc11:	push	11
	jmp	exc_common
exc13:	push	13
	jmp	exc_common
unexpected:
	mov	al, 40
	jmp	pm_fail

; Stack: vector, error code, IP, CS, FLAGS [, SP, SS].
exc_common:
	push	bp
	mov	bp, sp
	push	ds
	push	ax
	mov	ax, SEL_DATA
	mov	ds, ax
	mov	ax, [bp + 2]
	cmp	ax, [exp_vec]
	jne	.bad
	mov	ax, [bp + 4]
	cmp	ax, [exp_err]
	jne	.bad
	mov	ax, [bp + 6]
	cmp	ax, [exp_ip]
	jne	.bad
	mov	ax, [bp + 8]
	and	ax, 0xfffc
	cmp	ax, SEL_CODE
	je	.cs
	cmp	ax, SEL_CODE3
	jne	.bad
.cs:	mov	word [got], 1
	mov	ax, [resume]
	mov	[bp + 6], ax
	pop	ax
	pop	ds
	pop	bp
	add	sp, 4
	iret
.bad:	mov	al, [bp + 2]
	add	al, 80
	jmp	pm_fail

; --- faulting instructions (each resumes through exc_common) ----------------------
f_gdtlim:
	mov	ds, ax
f_np:	mov	ds, ax
f_sys:	mov	ds, ax
f_ud:	db	0x0f, 0xff
f_de:	div	cl

; pm_fail: AL = failure number; reports with protected-mode segments.
pm_fail:
	cli
	mov	bx, SEL_DATA
	mov	ss, bx
	mov	sp, STACK_TOP
	mov	ds, bx
	mov	es, bx
	mov	bl, al
	mov	si, msg_fail
	call	puts
	xor	ah, ah
	call	putdec
	call	nl
	mov	al, bl
	jmp	exit

pm_pass:
	mov	si, msg_pass
	call	puts
	xor	al, al
	jmp	exit

; --- tables ---------------------------------------------------------------------
; desc SELECTOR, BASE, LIMIT, ACCESS: a 286 descriptor in the GDT.
%macro desc 4
	mov	di, gdt + %1
	mov	word [di], %3
	mov	word [di + 2], %2
	mov	byte [di + 4], 0
	mov	byte [di + 5], %4
	mov	word [di + 6], 0
%endmacro

; gate VECTOR, OFFSET, SELECTOR, ACCESS: an IDT entry.
%macro gate 4
	mov	di, idt + %1 * 8
	mov	word [di], %2
	mov	word [di + 2], %3
	mov	byte [di + 4], 0
	mov	byte [di + 5], %4
	mov	word [di + 6], 0
%endmacro

build_tables:
	xor	ax, ax
	mov	di, gdt
	mov	cx, (GDT_LIMIT + 1) / 2
	rep	stosw
	desc	SEL_CODE, 0, 0xffff, 0x9a
	desc	SEL_DATA, 0, 0xffff, 0x92
	desc	SEL_RO, 0, 0xffff, 0x90
	desc	SEL_SMALL, 0x1000, 0x000f, 0x92
	desc	SEL_CODE3, 0, 0xffff, 0xfa
	desc	SEL_DATA3, 0, 0xffff, 0xf2
	desc	SEL_TSS0, tss0, 0x2b, 0x81
	desc	SEL_TSS1, tss1, 0x2b, 0x81
	desc	SEL_NP, 0, 0xffff, 0x12
	desc	SEL_FRESH, 0, 0x1234, 0x90
	; call gate: offset, selector, word count 1, DPL 3
	mov	di, gdt + SEL_GATE
	mov	word [di], gate_target
	mov	word [di + 2], SEL_CODE
	mov	byte [di + 4], 1
	mov	byte [di + 5], 0xe4
	mov	word [di + 6], 0
	; IDT: everything unexpected, then the handlers the test uses
	mov	bx, 0
.idt:	mov	di, bx
	shl	di, 3
	add	di, idt
	mov	word [di], unexpected
	mov	word [di + 2], SEL_CODE
	mov	word [di + 4], 0x8600
	mov	word [di + 6], 0
	inc	bx
	cmp	bx, 0x43
	jb	.idt
	gate	0, exc0, SEL_CODE, 0x86
	gate	6, exc6, SEL_CODE, 0x86
	gate	11, exc11, SEL_CODE, 0x86
	gate	13, exc13, SEL_CODE, 0x86
	gate	0x40, int40, SEL_CODE, 0xe7
	gate	0x41, 0, SEL_TSS1, 0x85
	; TSS 0: the ring 0 stack; TSS 1: task1's initial state
	xor	ax, ax
	mov	di, tss0
	mov	cx, 22 * 2
	rep	stosw
	mov	word [tss0 + 2], RING0_SP
	mov	word [tss0 + 4], SEL_DATA
	mov	word [tss1 + 14], task1
	mov	word [tss1 + 16], 0x0002
	mov	word [tss1 + 26], TASK1_SP
	mov	word [tss1 + 34], SEL_DATA
	mov	word [tss1 + 36], SEL_CODE
	mov	word [tss1 + 38], SEL_DATA
	mov	word [tss1 + 40], SEL_DATA
	ret

gdt_ptr		dw	GDT_LIMIT
		dw	gdt, 0
idt_ptr		dw	0x43 * 8 - 1
		dw	idt, 0
exp_vec		dw	0
exp_err		dw	0
exp_ip		dw	0
resume		dw	0
got		dw	0
gate_ok		dw	0
task_runs	dw	0
saved_sp0	dw	0
	align	16
gdt		times	GDT_LIMIT + 1 db 0
	align	16
idt		times	0x43 * 8 db 0
tss0		times	44 db 0
tss1		times	44 db 0

%include "tail.inc"

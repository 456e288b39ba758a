; bios_shutdown: the CMOS shutdown byte (0Fh) after a CPU reset through the keyboard
; controller (command FEh), as DOS extenders use it on a 286: code 0Ah resumes at the
; far pointer in 0040:0067, code 05h does the same after an EOI, code 0Bh loads SS:SP
; from 0040:0067 and IRETs, code 0Ch loads it and RETFs. Each must come back without
; running POST again (a marker at 2000:0000 catches a second boot) and leave 0Fh zero.
; expect-status: 1
; oracle: bochs (the oracle runs QEMU with -no-reboot, so the reset ends QEMU)
; oracle-compare: status
%include "lib.inc"

MARK_SEG	equ	0x2000

main:
	PRINT	"bios_shutdown", 10
	mov	ax, MARK_SEG
	mov	es, ax
	cmp	word [es:0], 'X1'
	jne	.first
	mov	word [es:0], 0
	FAIL	1			; booted twice: POST ran after the reset
.first:
	mov	word [es:0], 'X1'
	push	ds
	pop	es
	; 0Ah: far jump through 0040:0067
	mov	ax, resume_0a
	mov	bl, 0x0a
	call	reset_to
resume_0a:
	call	restore
	PRINT	"0Ah ok", 10
	mov	ax, resume_05
	mov	bl, 0x05
	call	reset_to
resume_05:
	call	restore
	PRINT	"05h ok", 10
	; 0Bh: SS:SP from 0040:0067, then IRET to a frame we leave there
	cli
	mov	sp, STACK_TOP - 0x100
	pushf
	push	cs
	mov	ax, resume_0b
	push	ax
	mov	al, 0x0b
	call	reset_stack
resume_0b:
	call	restore
	PRINT	"0Bh ok", 10
	cli
	mov	sp, STACK_TOP - 0x100
	push	cs
	mov	ax, resume_0c
	push	ax
	mov	al, 0x0c
	call	reset_stack
resume_0c:
	call	restore
	PRINT	"0Ch ok", 10
	mov	ax, MARK_SEG
	mov	es, ax
	mov	word [es:0], 0
	jmp	pass

; Shutdown code BL, resume at 0000:AX.
reset_to:
	cli
	push	ds
	mov	dx, 0x40
	mov	ds, dx
	mov	[0x67], ax
	mov	word [0x69], 0
	pop	ds
	mov	al, bl
	jmp	do_reset

; Shutdown code AL, SS:SP (the current stack) saved in 0040:0067.
reset_stack:
	add	sp, 2			; drop our own return address
	push	ds
	mov	dx, 0x40
	mov	ds, dx
	mov	dx, sp
	add	dx, 2			; SP after the pop below
	mov	[0x67], dx
	mov	[0x69], ss
	pop	ds
do_reset:
	mov	ah, al
	mov	al, 0x0f
	out	0x70, al
	mov	al, ah
	out	0x71, al
.w:	in	al, 0x64		; keyboard controller ready
	test	al, 2
	jnz	.w
	mov	al, 0xfe		; pulse the reset line
	out	0x64, al
.h:	hlt
	jmp	.h

; After a resume: our segments and stack, interrupts on; CMOS 0Fh must be 0.
restore:
	pop	bx			; return address (on whatever stack we came with)
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, STACK_TOP
	cld
	mov	al, 0x0f
	out	0x70, al
	in	al, 0x71
	or	al, al
	jnz	.bad
	sti
	jmp	bx
.bad:	FAIL	2

%include "tail.inc"

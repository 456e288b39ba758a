; pm_386: 80386 protected mode with 32-bit code. A far JMP into a flat 32-bit code
; segment, then: 32-bit ALU with carries, MUL/IMUL/DIV/IDIV on EDX:EAX, CWDE/CDQ,
; MOVZX/MOVSX, SETcc, SIB addressing, SHLD/SHRD, BT/BTS/BTR/BTC with register and
; immediate offsets (memory bit strings beyond the dword too), BSF/BSR, PUSHAD/POPAD,
; PUSHFD, ENTER/LEAVE, string instructions with ECX/ESI/EDI, LOOP and JECXZ. Then
; paging: an identity-mapped first 4 MiB through a page directory and one page
; table; the accessed and dirty bits as the CPU sets them; a read of an unmapped
; page faults #PF with error code 0 and CR2; a user-mode-style read-only page is
; still writable by the supervisor while CR0.WP is clear. Results are printed in hex
; so QEMU and Bochs fix the expected bytes.
; tandem-args: --cpu 80386
; expect-status: 1
; expect-debugcon: pm_386.debugcon
; oracle: qemu bochs
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	386

PD		equ	0x20000
PT		equ	0x21000
STACK32		equ	0x90000

main:
	PRINT	"pm_386", 10
	cli
	PM32_ENTER	STACK32
	mov	fs, ax
	mov	gs, ax
	mov	esi, m_pm
	call	puts32

	; --- ALU ----------------------------------------------------------------
	mov	eax, 0xffffffff
	add	eax, 1
	setc	bl
	setz	bh
	movzx	ecx, bx
	mov	eax, ecx
	call	hex32				; 00000101
	mov	eax, 0x89abcdef
	mov	ebx, 0x12345678
	mul	ebx
	push	eax
	mov	eax, edx
	call	hex32
	pop	eax
	call	hex32
	mov	eax, -7
	mov	ecx, 3
	cdq
	idiv	ecx
	push	edx
	call	hex32				; quotient
	pop	eax
	call	hex32				; remainder
	mov	eax, 0x80
	movsx	ecx, al
	mov	eax, ecx
	call	hex32
	mov	ax, 0x8000
	cwde
	call	hex32
	mov	ebx, 0x1234
	imul	eax, ebx, -3
	call	hex32
	imul	ebx, ebx
	mov	eax, ebx
	call	hex32
	call	nl32

	; SIB and LEA
	mov	dword [table + 12], 0xfeedface
	mov	ebx, table
	mov	ecx, 2
	mov	eax, [ebx + ecx * 4 + 4]
	call	hex32
	lea	eax, [ebx + ecx * 8 + 0x100]
	sub	eax, table
	call	hex32
	; double shifts
	mov	eax, 0x12345678
	mov	edx, 0x9abcdef0
	shld	eax, edx, 8
	call	hex32
	mov	cl, 12
	shrd	eax, edx, cl
	call	hex32
	; bit instructions
	mov	dword [bits_], 0
	mov	dword [bits_ + 4], 0
	mov	eax, 37
	bts	[bits_], eax			; beyond the first dword
	bts	dword [bits_], 3
	mov	eax, [bits_ + 4]
	call	hex32
	mov	eax, [bits_]
	call	hex32
	mov	eax, 37
	btr	[bits_], eax
	setc	al
	movzx	eax, al
	call	hex32
	mov	eax, 0x00f00100
	bsf	ecx, eax
	bsr	edx, eax
	mov	eax, ecx
	call	hex32
	mov	eax, edx
	call	hex32
	btc	eax, 0
	call	hex32
	call	nl32

	; --- stack, strings, loops ----------------------------------------------
	mov	eax, 0x11111111
	mov	ecx, 0x22222222
	mov	edx, 0x33333333
	mov	ebx, 0x44444444
	mov	ebp, 0x66666666
	mov	esi, 0x77777777
	mov	edi, 0x88888888
	mov	[save_esp], esp
	pushad
	mov	eax, [esp + 12]			; the ESP before PUSHAD
	sub	eax, [save_esp]
	mov	[tmp], eax
	xor	eax, eax
	popad
	cmp	ebp, 0x66666666
	jne	fail32
	cmp	eax, 0x11111111
	jne	fail32
	mov	eax, [tmp]
	call	hex32				; 00000000
	mov	eax, [save_esp]
	sub	eax, esp
	call	hex32				; 00000000
	pushfd
	pop	eax
	and	eax, 0x00000ed5
	call	hex32
	enter	16, 0
	mov	eax, esp
	sub	eax, ebp
	leave
	call	hex32
	; rep movsd, rep stosb, repne scasb, cmpsd
	mov	esi, src
	mov	edi, dst
	mov	ecx, 4
	cld
	rep	movsd
	mov	eax, ecx
	call	hex32
	mov	eax, [dst + 12]
	call	hex32
	mov	edi, dst
	mov	al, 'x'
	mov	ecx, 5
	rep	stosb
	mov	edi, dst
	mov	ecx, 16
	mov	al, 'D'
	repne	scasb
	mov	eax, edi
	sub	eax, dst
	call	hex32
	mov	esi, src
	mov	edi, src
	mov	ecx, 4
	repe	cmpsd
	mov	eax, ecx
	call	hex32
	mov	ecx, 10
	xor	eax, eax
.lp:	add	eax, ecx
	loop	.lp
	call	hex32				; 55 = 37h
	xor	ecx, ecx
	jecxz	.jz
	mov	eax, 0xbad
	jmp	.jd
.jz:	mov	eax, 0x600d
.jd:	call	hex32
	call	nl32

	; --- paging -----------------------------------------------------------------
	mov	edi, PD
	xor	eax, eax
	mov	ecx, 1024
	rep	stosd
	mov	dword [PD], PT | 3		; present, writable, supervisor
	PM32_IDENTITY_PT	PT
	and	dword [PT + 0x30 * 4], ~2	; 30000h read-only
	and	dword [PT + 0x31 * 4], ~0x60	; 31000h: A and D clear
	mov	eax, PD
	mov	cr3, eax
	mov	eax, cr0
	or	eax, 0x80000000
	mov	cr0, eax
	jmp	.pg
.pg:	mov	eax, [PT + 0x31 * 4]
	and	eax, 0x67
	call	hex32				; before: P RW
	mov	eax, [0x31000]
	mov	eax, [PT + 0x31 * 4]
	and	eax, 0x67
	call	hex32				; after a read: A
	mov	byte [0x31000], 1
	mov	eax, [PT + 0x31 * 4]
	and	eax, 0x67
	call	hex32				; after a write: A D
	mov	eax, [PD]
	and	eax, 0x67
	call	hex32				; the PDE got A
	mov	byte [0x30000], 0x5a		; read-only, but WP is clear
	movzx	eax, byte [0x30000]
	call	hex32
	; #PF: not present
	mov	dword [exp_vec], 14
	mov	dword [exp_err], 0
	mov	dword [exp_eip], .pf
	mov	dword [resume], .pfr
	mov	dword [got], 0
.pf:	mov	eax, [0x400000]
.pfr:	mov	eax, [got]
	call	hex32
	mov	eax, cr2
	call	hex32
	; #PF: write to a not-present page gives error code 2
	mov	dword [exp_err], 2
	mov	dword [exp_eip], .pf2
	mov	dword [resume], .pf2r
	mov	dword [got], 0
.pf2:	mov	dword [0x500010], 1
.pf2r:	mov	eax, [got]
	call	hex32
	mov	eax, cr2
	call	hex32
	call	nl32
	jmp	pass32

; Exception handlers: 32-bit interrupt gates.  Stack: [err] EIP CS EFLAGS.
exc14:	push	14
	jmp	exc_err
exc13:	push	13
	jmp	exc_err

%include "pm32_exit.inc"
%include "pm32_expect.inc"

m_pm	db	"32-bit protected mode", 10, 0
	align	4
save_esp	dd	0
tmp		dd	0
bits_		dd	0, 0
table		dd	0, 0, 0, 0, 0
src		db	"ABCDEFGHIJKLMNOP"
dst		times 16 db 0

	PM32_GDT
	PM32_GDT_END
	PM32_IDT	32, 13, exc13, 14, exc14

%include "tail.inc"

; smc_pm: self-modifying code under paging, for the block engine (tcg-lite), whose
; cached blocks are keyed by physical address and dropped by stores into their pages.
; (1) A routine in another page is run (so it is cached), then its immediate is
; rewritten through a second linear address (an alias PTE) of the same physical page.
; (2) A routine stores, through the alias, into the immediate of its own next
; instruction, with a new value each of 100 calls (sum 1..100 = 5050).
; (3) A misaligned dword store straddles two pages: its two upper bytes patch the first
; instruction of a cached routine at the start of the second page.
; (4) REP MOVSB inside a routine rewrites the instruction right after it.
; (5) The alias is moved to another physical page (INVLPG) and written: the cached
; routine behind its old mapping must not change.
; (6) A 16-bit store whose first byte lands in a data line and whose second byte
; patches an opcode in the next 64-byte line of the same page.
; tandem-args: --cpu pentium2
; expect-status: 1
; expect-debugcon: smc_pm.debugcon
; oracle: qemu bochs
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	686

PD		equ	0x20000
PT0		equ	0x21000		; 0-4 MiB identity
PT1		equ	0x22000		; 4 MiB: the alias
CODE		equ	0x50000		; routine pages (physical = linear)
ALIAS		equ	0x400000	; -> CODE through PT1[0]
STACK32		equ	0x90000

main:
	PRINT	"smc_pm", 10
	cli
	PM32_ENTER	STACK32
	cld
	mov	edi, PD
	xor	eax, eax
	mov	ecx, 3 * 1024
	rep	stosd			; PD, PT0, PT1
	mov	dword [PD], PT0 | 3
	mov	dword [PD + 4], PT1 | 3
	PM32_IDENTITY_PT	PT0
	mov	dword [PT1], CODE | 3
	mov	eax, PD
	mov	cr3, eax
	mov	eax, cr0
	or	eax, 0x80000000
	mov	cr0, eax
	jmp	.pg
.pg:
	; --- (1) rewrite a cached routine through an alias -------------------------------
	mov	esi, r1
	mov	edi, CODE
	mov	ecx, r1_end - r1
	rep	movsb
	call	CODE
	call	CODE
	cmp	eax, 0x11111111
	jne	bad1
	mov	dword [ALIAS + 1], 0x22222222
	call	CODE
	cmp	eax, 0x22222222
	jne	bad1
	call	print_ok

	; --- (2) a store into the next instruction, through the alias ----------------------
	mov	esi, r2
	mov	edi, CODE + R2_AT
	mov	ecx, r2_end - r2
	rep	movsb
	xor	edx, edx
	mov	ecx, 100
.l2:	call	CODE + R2_AT
	add	edx, eax
	loop	.l2
	mov	eax, edx
	call	hex32
	cmp	edx, 5050
	jne	bad2
	call	print_ok

	; --- (3) a dword store across a page end into cached code -------------------------
	mov	esi, r3
	mov	edi, CODE + 0x1000
	mov	ecx, r3_end - r3
	rep	movsb
	call	CODE + 0x1000
	call	CODE + 0x1000
	cmp	eax, 0x55555555
	jne	bad3
	mov	dword [CODE + 0xffe], 0x66b80000	; B8 stays, imm byte 0 := 66h
	call	CODE + 0x1000
	call	hex32
	cmp	eax, 0x55555566
	jne	bad3
	call	print_ok

	; --- (4) REP MOVSB over the instruction after it -----------------------------------
	mov	ebx, 2
.l4:	mov	esi, r4
	mov	edi, CODE + 0x2000
	mov	ecx, r4_end - r4
	rep	movsb			; fresh copy: the patched one is cached
	call	CODE + 0x2000
	cmp	eax, 0x88888888
	jne	bad4
	dec	ebx
	jnz	.l4
	call	print_ok

	; --- (5) the alias moved elsewhere: the old physical page keeps its code -------------
	mov	dword [PT1], (CODE + 0x3000) | 3
	invlpg	[ALIAS]
	mov	dword [ALIAS + 1], 0x99999999
	call	CODE
	cmp	eax, 0x22222222
	jne	bad5
	mov	eax, [CODE + 0x3001]
	cmp	eax, 0x99999999
	jne	bad5
	call	print_ok

	; --- (6) a word store across a 64-byte line into an opcode ------------------------
	mov	esi, r6
	mov	edi, CODE + 0x4040
	mov	ecx, r6_end - r6
	rep	movsb
	mov	eax, 5
	call	CODE + 0x4040
	call	CODE + 0x4040
	cmp	eax, 3
	jne	bad6
	mov	word [CODE + 0x403f], 0x40aa	; data byte, then INC EAX over DEC EAX
	call	CODE + 0x4040
	cmp	eax, 4
	jne	bad6
	cmp	byte [CODE + 0x403f], 0xaa
	jne	bad6
	call	print_ok

	jmp	pass32

bad1:	mov	bl, 1
	jmp	fail_n
bad2:	mov	bl, 2
	jmp	fail_n
bad3:	mov	bl, 3
	jmp	fail_n
bad4:	mov	bl, 4
	jmp	fail_n
bad5:	mov	bl, 5
	jmp	fail_n
bad6:	mov	bl, 6
; fail_n: BL = the failed case: report "FAIL n" and exit with n.
fail_n:
	mov	esi, m_fail
	call	puts32
	movzx	eax, bl
	call	hex32
	call	nl32
	mov	al, bl
	jmp	exit32

print_ok:
	push	esi
	mov	esi, m_ok
	call	puts32
	pop	esi
	ret

%include "pm32_exit.inc"

; The routines, copied to CODE... before they run.
r1:	mov	eax, 0x11111111
	ret
r1_end:

R2_AT	equ	0x100
r2:	mov	[ALIAS + R2_AT + (r2n - r2) + 1], ecx
r2n:	mov	eax, 0
	ret
r2_end:

r3:	mov	eax, 0x55555555
	ret
r3_end:

R4_AT	equ	0x2000
r4:	mov	esi, r4_new
	mov	edi, CODE + R4_AT + (r4t - r4)
	mov	ecx, 5
	rep	movsb
r4t:	mov	eax, 0x77777777
	ret
r4_end:
r4_new:	mov	eax, 0x88888888

r6:	dec	eax			; at 4040h, the first byte of a 64-byte line
	ret
r6_end:

m_ok	db	"ok", 10, 0
m_fail	db	"FAIL ", 0

	PM32_GDT
	PM32_GDT_END
	PM32_IDT	32

%include "tail.inc"

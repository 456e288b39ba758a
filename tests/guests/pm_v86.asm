; pm_v86: a virtual-8086 monitor round trip. A 32-bit protected-mode monitor with a
; 32-bit TSS (ring 0 stack, I/O permission bitmap allowing only port E9h) enters V86
; mode by IRETD with VM set. The V86 task computes with real-mode segments and
; prints through port E9h directly (the bitmap lets it); CLI, INT 30h, OUT 80h (port
; denied by the bitmap), PUSHF and HLT trap to the monitor as #GP(0) with IOPL 0. The
; monitor checks the saved V86 state (VM in EFLAGS, CS:IP at the instruction, the
; segment registers pushed on its stack), steps over each and counts them; HLT ends.
; tandem-args: --cpu 80386
; expect-status: 1
; expect-debugcon: pm_v86.debugcon
; oracle: qemu bochs
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	386

STACK0		equ	0x80000
V86_SEG		equ	0x0000		; the V86 task runs in the low 64K (this image)
V86_SP		equ	0x5000

main:
	PRINT	"pm_v86", 10
	cli
	; TSS descriptor base
	mov	eax, tss
	mov	[gdt_tss + 2], ax
	shr	eax, 16
	mov	[gdt_tss + 4], al
	PM32_ENTER	STACK0
	mov	dword [tss + 4], STACK0		; ESP0
	mov	word [tss + 8], 0x10		; SS0
	mov	word [tss + 0x66], iomap - tss
	mov	ax, 0x18
	ltr	ax
	; IRETD into V86: GS FS DS ES SS ESP EFLAGS CS EIP
	push	dword V86_SEG
	push	dword V86_SEG
	push	dword V86_SEG
	push	dword V86_SEG
	push	dword V86_SEG
	push	dword V86_SP
	push	dword 0x00020002		; VM, IOPL 0, IF clear
	push	dword V86_SEG
	push	dword v86_code
	iretd

; #GP from V86: [err] EIP CS EFLAGS ESP SS ES DS FS GS
gp_handler:
	push	ebp
	mov	ebp, esp
	push	eax
	push	ebx
	mov	ax, 0x10
	mov	ds, ax
	cmp	dword [ebp + 4], 0		; error code
	jne	.bad
	test	dword [ebp + 16], 0x20000	; VM in the saved EFLAGS
	jz	.bad
	mov	eax, [ebp + 24]			; saved SS
	cmp	eax, V86_SEG
	jne	.bad
	movzx	ebx, word [ebp + 12]		; CS
	shl	ebx, 4
	add	ebx, [ebp + 8]			; + IP
	mov	al, [ebx]
	cmp	al, 0xfa			; CLI
	je	.cli
	cmp	al, 0xcd			; INT n
	je	.int
	cmp	al, 0xe6			; OUT imm8, AL
	je	.out
	cmp	al, 0x9c			; PUSHF
	je	.pushf
	cmp	al, 0xf4			; HLT: the end
	je	.hlt
.bad:	mov	esi, m_bad
	call	puts32
	jmp	fail32
.cli:	inc	dword [n_cli]
	mov	ebx, 1
	jmp	.skip
.int:	inc	dword [n_int]
	movzx	eax, byte [ebx + 1]
	mov	[int_vec], eax
	mov	ebx, 2
	jmp	.skip
.out:	inc	dword [n_out]
	movzx	eax, byte [ebx + 1]
	mov	[out_port], eax
	mov	ebx, 2
	jmp	.skip
.pushf:	inc	dword [n_pushf]
	mov	ebx, 1
.skip:	add	[ebp + 8], ebx
	pop	ebx
	pop	eax
	pop	ebp
	add	esp, 4				; error code
	iretd
.hlt:	; back in the monitor for good: report
	mov	esi, m_back
	call	puts32
	mov	eax, [n_cli]
	call	hex32
	mov	eax, [n_int]
	call	hex32
	mov	eax, [int_vec]
	call	hex32
	mov	eax, [n_out]
	call	hex32
	mov	eax, [out_port]
	call	hex32
	mov	eax, [n_pushf]
	call	hex32
	mov	eax, [v86_result]
	call	hex32
	mov	al, 10
	out	DEBUGCON, al
	jmp	pass32

%include "pm32_exit.inc"

; --- the V86 task (16-bit code) ---------------------------------------------------
	bits	16
v86_code:
	mov	ax, 0x0100			; real-mode style segment arithmetic
	mov	es, ax
	mov	word [es:0x0010], 0x1234	; = linear 1010h
	mov	ax, [0x1010]
	add	ax, 0x1111
	mov	[v86_result], ax
	mov	al, 'v'				; allowed by the bitmap
	out	DEBUGCON, al
	mov	al, 10
	out	DEBUGCON, al
	cli
	int	0x30
	mov	al, 0x55
	out	0x80, al			; denied by the bitmap
	pushf
	hlt

	bits	32
m_back	db	"monitor: ", 0
m_bad	db	"bad #GP", 10, 0
	align	4
n_cli		dd	0
n_int		dd	0
int_vec		dd	0
n_out		dd	0
out_port	dd	0
n_pushf		dd	0
v86_result	dd	0

	PM32_GDT
gdt_tss:	dw	tss_end - tss - 1	; 18: 32-bit TSS
		dw	0
		db	0, 0x89, 0, 0
	PM32_GDT_END
	PM32_IDT	32, 13, gp_handler

	align	4
tss:		times	0x68 db 0
iomap:		times	(0xe9 / 8) db 0xff
		db	~(1 << (0xe9 & 7)) & 0xff	; port E9h allowed
		times	(0x10000 / 8) - (0xe9 / 8) - 1 db 0xff
		db	0xff
tss_end:

%include "tail.inc"

; pm_p2: what the 80486, Pentium, Pentium MMX and Pentium II added, in 32-bit
; protected mode: BSWAP, XADD, CMPXCHG, CMPXCHG8B (both outcomes), CMOVcc, RDTSC
; counting up, CPUID's TSC/CX8/CMOV/MMX/FXSR bits, SYSENTER/SYSEXIT to ring 3 and
; back through the MSRs, MMX arithmetic (wrapping, saturating, multiply, multiply-
; add, pack/unpack, compares, shifts, logic), FXSAVE/FXRSTOR of an MM register,
; CR0.WP making a read-only page fault a supervisor write (#PF error 3), a 4 MiB page
; with CR4.PSE, and PAE paging with 2 MiB pages. Results are printed in hex.
; tandem-args: --cpu pentium2
; expect-status: 1
; expect-debugcon: pm_p2.debugcon
; oracle: qemu bochs
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	686

PD		equ	0x20000
PT		equ	0x21000
PDPT		equ	0x22000
PAE_PD		equ	0x23000
STACK32		equ	0x90000
STACK3		equ	0x70000

main:
	PRINT	"pm_p2", 10
	cli
	PM32_ENTER	STACK32

	; --- 486 / Pentium integer ----------------------------------------------
	mov	eax, 0x12345678
	bswap	eax
	call	hex32
	mov	eax, 5
	mov	dword [var], 7
	xadd	[var], eax
	call	hex32				; old value 7
	mov	eax, [var]
	call	hex32				; 12
	mov	eax, 12
	mov	ecx, 99
	cmpxchg	[var], ecx			; equal: stores 99
	setz	al
	movzx	eax, al
	call	hex32
	mov	eax, [var]
	call	hex32
	mov	eax, 1
	cmpxchg	[var], ecx			; not equal: EAX = 99
	call	hex32
	mov	dword [q], 0x11111111
	mov	dword [q + 4], 0x22222222
	mov	eax, 0x11111111
	mov	edx, 0x22222222
	mov	ebx, 0xaaaaaaaa
	mov	ecx, 0xbbbbbbbb
	cmpxchg8b [q]
	setz	al
	movzx	eax, al
	call	hex32
	mov	eax, [q + 4]
	call	hex32
	xor	eax, eax
	xor	edx, edx
	cmpxchg8b [q]				; not equal: EDX:EAX = memory
	mov	eax, edx
	call	hex32
	xor	eax, eax
	mov	ecx, 0x777
	cmp	eax, 0
	cmovz	eax, ecx
	cmovnz	eax, [q]
	call	hex32
	rdtsc
	mov	ebx, eax
	mov	esi, edx
	mov	ecx, 1000
.spin:	loop	.spin
	rdtsc
	sub	eax, ebx
	sbb	edx, esi
	setns	al
	movzx	eax, al
	call	hex32				; 1: counted up
	mov	eax, 1
	cpuid
	mov	eax, edx
	and	eax, (1 << 4) | (1 << 8) | (1 << 15) | (1 << 23) | (1 << 24)
	call	hex32
	call	nl32

	; --- SYSENTER / SYSEXIT ---------------------------------------------------
	mov	ecx, 0x174
	xor	edx, edx
	mov	eax, 0x08
	wrmsr
	mov	ecx, 0x175
	mov	eax, STACK32 - 0x100
	wrmsr
	mov	ecx, 0x176
	mov	eax, sys_entry
	wrmsr
	mov	ecx, STACK3
	mov	edx, ring3
	sysexit
ring3:
	mov	eax, cs
	mov	[cs3], eax
	mov	eax, ss
	mov	[ss3], eax
	sysenter
sys_entry:
	mov	eax, [cs3]
	call	hex32				; 1b
	mov	eax, [ss3]
	call	hex32				; 23
	mov	eax, cs
	call	hex32				; 08
	mov	eax, esp
	call	hex32
	call	nl32
	mov	esp, STACK32

	; --- MMX ----------------------------------------------------------------------
	movq	mm0, [mx_a]
	movq	mm1, [mx_b]
	movq	mm2, mm0
	paddb	mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	paddsw	mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	paddusb	mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	psubusw	mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	pmullw	mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	pmulhw	mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	pmaddwd	mm2, mm1
	call	show_mm2
	call	nl32
	movq	mm2, mm0
	punpcklbw mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	punpckhwd mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	packsswb mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	packuswb mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	pcmpeqb	mm2, mm1
	call	show_mm2
	movq	mm2, mm0
	pcmpgtw	mm2, mm1
	call	show_mm2
	call	nl32
	movq	mm2, mm0
	psllq	mm2, 12
	call	show_mm2
	movq	mm2, mm0
	psrlw	mm2, 3
	call	show_mm2
	movq	mm2, mm0
	psraw	mm2, 3
	call	show_mm2
	movq	mm2, mm0
	mov	eax, 4
	movd	mm3, eax
	psrad	mm2, mm3
	call	show_mm2
	movq	mm2, mm0
	pxor	mm2, mm1
	pandn	mm2, mm1
	call	show_mm2
	movd	eax, mm1
	call	hex32
	; FXSAVE / FXRSTOR round trip of MM0
	fxsave	[fxarea]
	pxor	mm0, mm0
	fxrstor	[fxarea]
	movq	mm2, mm0
	call	show_mm2
	emms
	call	nl32

	; --- paging: WP and a 4 MiB page ----------------------------------------------
	mov	edi, PD
	xor	eax, eax
	mov	ecx, 1024
	rep	stosd
	mov	dword [PD], PT | 3
	mov	dword [PD + 4], 0x00000083	; 4 MiB page at 400000h -> 0
	PM32_IDENTITY_PT	PT
	and	dword [PT + 0x30 * 4], ~2	; 30000h read-only
	mov	eax, cr4
	or	eax, 0x10			; PSE
	mov	cr4, eax
	mov	eax, PD
	mov	cr3, eax
	mov	eax, cr0
	or	eax, 0x80010000			; PG, WP
	mov	cr0, eax
	jmp	.pg
.pg:	mov	dword [exp_vec], 14
	mov	dword [exp_err], 3
	mov	dword [exp_eip], .wp
	mov	dword [resume], .wpr
	mov	dword [got], 0
.wp:	mov	byte [0x30000], 1
.wpr:	mov	eax, [got]
	call	hex32
	mov	eax, cr2
	call	hex32
	mov	dword [0x31000], 0x5a5a1234
	mov	eax, [0x431000]			; same bytes through the 4 MiB page
	call	hex32
	mov	eax, [PD + 4]
	and	eax, 0xe7
	call	hex32				; A (and PS, RW, P)
	call	nl32

	; --- PAE: 2 MiB pages ---------------------------------------------------------
	mov	eax, cr0
	and	eax, 0x7fffffff
	mov	cr0, eax
	mov	edi, PDPT
	xor	eax, eax
	mov	ecx, 0x2000 / 4
	rep	stosd				; PDPT and the page directory after it
	mov	dword [PDPT], PAE_PD | 1
	mov	dword [PAE_PD], 0x00000083	; 0-2 MiB
	mov	dword [PAE_PD + 8], 0x00200083	; 2-4 MiB
	mov	dword [PAE_PD + 16], 0x00000083	; 4-6 MiB -> 0 again
	mov	eax, cr4
	or	eax, 0x20			; PAE
	mov	cr4, eax
	mov	eax, PDPT
	mov	cr3, eax
	mov	eax, cr0
	or	eax, 0x80000000
	mov	cr0, eax
	jmp	.pae
.pae:	mov	eax, [0x431000]
	call	hex32
	mov	eax, [PAE_PD + 16]
	and	eax, 0xe7
	call	hex32
	call	nl32

	jmp	pass32

show_mm2:
	movq	[mmtmp], mm2
	push	eax
	mov	eax, [mmtmp + 4]
	call	hex32
	mov	eax, [mmtmp]
	call	hex32
	pop	eax
	ret

exc14:	push	14
	jmp	exc_err

%include "pm32_exit.inc"
%include "pm32_expect.inc"

	align	8
mx_a	dq	0x7f80017ff0017fff
mx_b	dq	0x0180ff0210008001
mmtmp	dq	0
q	dq	0
var	dd	0
cs3	dd	0
ss3	dd	0

	PM32_GDT
		dq	0x00cffa000000ffff	; 18: flat code, ring 3
		dq	0x00cff2000000ffff	; 20: flat data, ring 3
	PM32_GDT_END
	PM32_IDT	32, 14, exc14
	align	16
fxarea		times 512 db 0

%include "tail.inc"

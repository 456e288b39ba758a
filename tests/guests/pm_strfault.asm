; pm_strfault: with paging on, REP string instructions that page-fault part-way are restartable on
; the 386 and later: the #PF arrives with ECX, ESI and EDI describing only the
; iterations that completed (the faulting element not yet counted), the handler
; maps the page and IRETs, and the instruction finishes the job.  Covered: REP
; MOVSD whose destination runs into a not-present page (a write fault, error 2),
; REP MOVSB whose source does (a read fault, error 0), REP STOSW and REPE CMPSD
; with the second operand in the missing page, and REP LODSD.  A CPU that counted
; the faulting iteration before the fault (as an 80286 does) loses an element.
; Prints per case: ECX ESI EDI CR2 error code at the fault, then the result check.
; tandem-args: --cpu 80486
; expect-status: 1
; expect-debugcon: pm_strfault.debugcon
; oracle: qemu bochs
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	686

PD		equ	0x20000
PT		equ	0x21000
STACK32		equ	0x90000
HOLE		equ	0x50000		; the page that starts out not present
SRC		equ	0x40000

main:
	PRINT	"pm_strfault", 10
	cli
	PM32_ENTER	STACK32
	cld
	; identity-map the first 4 MiB with 4 KiB pages
	PM32_IDENTITY_PT	PT
	mov	edi, PD
	xor	eax, eax
	mov	ecx, 1024
	rep	stosd
	mov	dword [PD], PT | 3
	mov	eax, PD
	mov	cr3, eax
	mov	eax, cr0
	or	eax, 0x80000000
	mov	cr0, eax
	jmp	.pg
.pg:
	; source pattern: bytes 0, 1, 2, ... across SRC .. SRC+0FFFh
	mov	edi, SRC
	xor	eax, eax
	mov	ecx, 0x1000
.fill:	stosb
	inc	al
	loop	.fill

	; 1: REP MOVSD, destination 8 bytes before the hole, 8 dwords
	call	unmap
	mov	esi, SRC + 0x100
	mov	edi, HOLE - 8
	mov	ecx, 8
	rep	movsd
	call	show_fault
	mov	esi, SRC + 0x100
	mov	edi, HOLE - 8
	mov	ecx, 32
	repe	cmpsb
	setz	al
	call	show_ok

	; 2: REP MOVSB, source 3 bytes before the hole (the hole is filled first)
	call	fill_hole
	call	unmap
	mov	esi, HOLE - 3
	mov	edi, SRC + 0x800
	mov	ecx, 10
	rep	movsb
	call	show_fault
	mov	eax, [SRC + 0x800]
	call	hex32
	mov	eax, [SRC + 0x804]
	call	hex32
	call	nl32

	; 3: REP STOSW into the hole from 6 bytes before it
	call	unmap
	mov	edi, HOLE - 6
	mov	ax, 0xbeef
	mov	ecx, 7
	rep	stosw
	call	show_fault
	mov	eax, [HOLE - 4]
	call	hex32
	mov	eax, [HOLE + 4]
	call	hex32
	call	nl32

	; 4: REPE CMPSD, ES:EDI operand in the hole, equal throughout
	call	fill_hole
	mov	esi, HOLE - 8
	mov	edi, SRC + 0x900
	mov	ecx, 6
	rep	movsd				; copy of the 24 bytes, no fault
	call	unmap
	mov	esi, SRC + 0x900
	mov	edi, HOLE - 8
	mov	ecx, 6
	repe	cmpsd
	pushfd
	call	show_fault
	popfd
	setz	al
	call	show_ok

	; 5: REP LODSD through the hole
	call	unmap
	mov	esi, HOLE - 4
	mov	ecx, 3
	rep	lodsd
	push	eax
	call	show_fault
	pop	eax
	call	hex32
	call	nl32

	jmp	pass32

; unmap: make HOLE not present and forget the last fault
unmap:
	and	dword [PT + (HOLE >> 12) * 4], ~1
	invlpg	[HOLE]
	mov	dword [faults], 0
	ret

; fill_hole: HOLE present, its bytes 0x80, 0x81, ...
fill_hole:
	or	dword [PT + (HOLE >> 12) * 4], 1
	invlpg	[HOLE]
	push	edi
	push	ecx
	mov	edi, HOLE
	mov	al, 0x80
	mov	ecx, 64
.f:	stosb
	inc	al
	loop	.f
	pop	ecx
	pop	edi
	ret

show_fault:
	mov	eax, [faults]
	call	hex32
	mov	eax, [f_ecx]
	call	hex32
	mov	eax, [f_esi]
	call	hex32
	mov	eax, [f_edi]
	call	hex32
	mov	eax, [f_cr2]
	call	hex32
	mov	eax, [f_err]
	call	hex32
	ret

show_ok:
	movzx	eax, al
	call	hex32
	call	nl32
	ret

exc14:	mov	[f_ecx], ecx
	mov	[f_esi], esi
	mov	[f_edi], edi
	push	eax
	mov	eax, cr2
	mov	[f_cr2], eax
	mov	eax, [esp + 4]
	mov	[f_err], eax
	inc	dword [faults]
	cmp	dword [faults], 1
	jne	fail32				; a second fault on the same page
	or	dword [PT + (HOLE >> 12) * 4], 1
	invlpg	[HOLE]
	pop	eax
	add	esp, 4
	iretd

%include "pm32_exit.inc"

	align	4
faults	dd	0
f_ecx	dd	0
f_esi	dd	0
f_edi	dd	0
f_cr2	dd	0
f_err	dd	0

	PM32_GDT
	PM32_GDT_END
	PM32_IDT	32, 14, exc14

%include "tail.inc"

; apic_tables: the firmware describes the APICs. The ACPI RSDP (EBDA or E0000h-FFFFFh),
; the RSDT and its MADT with valid checksums; the MADT's local APIC address FEE00000h,
; PCAT_COMPAT, one enabled processor local APIC (ID 0), the I/O APIC at FEC00000h with
; GSI base 0, and the override of ISA IRQ 0 onto GSI 2. The MP floating pointer (EBDA,
; last KiB of base memory or F0000h-FFFFFh) with its checksum, the PCMP configuration
; table with its checksum: one processor entry, the BSP; the I/O APIC at FEC00000h; an
; ISA bus; ISA IRQ 0 on the I/O APIC's INTIN 2.
; tandem-args: --cpu pentium2
; expect-status: 1
; expect-debugcon: apic_tables.debugcon
; oracle: qemu
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	686

STACK32		equ	0x90000

main:
	PRINT	"apic_tables", 10
	cli
	PM32_ENTER	STACK32

	; --- ACPI --------------------------------------------------------------
	movzx	esi, word [0x40e]
	shl	esi, 4
	mov	ecx, 1024
	call	find_rsdp
	jnc	.rsdp
	mov	esi, 0xe0000
	mov	ecx, 0x20000
	call	find_rsdp
	jc	fail_at
.rsdp:	mov	ebx, [esi + 16]			; the RSDT
	cmp	dword [ebx], 'RSDT'
	jne	fail_at
	mov	esi, ebx
	mov	ecx, [ebx + 4]
	call	sum
	jnz	fail_at
	mov	ecx, [ebx + 4]
	sub	ecx, 36
	shr	ecx, 2
	lea	edi, [ebx + 36]
.ent:	mov	esi, [edi]
	cmp	dword [esi], 'APIC'
	je	.madt
	add	edi, 4
	loop	.ent
	jmp	fail_at
.madt:	mov	ebx, esi
	mov	ecx, [ebx + 4]
	call	sum
	setz	al
	movzx	eax, al
	call	hex32				; 1: MADT checksum
	mov	eax, [ebx + 36]
	call	hex32				; fee00000
	mov	eax, [ebx + 40]
	and	eax, 1
	call	hex32				; 1: PCAT_COMPAT
	; walk the entries
	lea	esi, [ebx + 44]
	mov	edx, ebx
	add	edx, [ebx + 4]
	xor	ecx, ecx			; enabled processors
.walk:	cmp	esi, edx
	jae	.walked
	cmp	byte [esi], 0
	jne	.io
	test	byte [esi + 4], 1
	jz	.next
	inc	ecx
	cmp	ecx, 1
	jne	.next
	movzx	eax, byte [esi + 3]
	mov	[first_id], eax
	jmp	.next
.io:	cmp	byte [esi], 1
	jne	.ovr
	mov	eax, [esi + 4]
	mov	[ioapic_addr], eax
	mov	eax, [esi + 8]
	mov	[ioapic_gsi], eax
	jmp	.next
.ovr:	cmp	byte [esi], 2
	jne	.next
	cmp	byte [esi + 3], 0
	jne	.next
	mov	eax, [esi + 4]
	mov	[irq0_gsi], eax
.next:	movzx	eax, byte [esi + 1]
	or	eax, eax
	jz	fail_at
	add	esi, eax
	jmp	.walk
.walked:
	mov	eax, ecx
	call	hex32				; 1 processor
	mov	eax, [first_id]
	call	hex32				; 0
	mov	eax, [ioapic_addr]
	call	hex32				; fec00000
	mov	eax, [ioapic_gsi]
	call	hex32				; 0
	mov	eax, [irq0_gsi]
	call	hex32				; 2
	call	nl32

	; --- MP ----------------------------------------------------------------
	movzx	esi, word [0x40e]
	shl	esi, 4
	mov	ecx, 1024
	call	find_mp
	jnc	.mp
	movzx	esi, word [0x413]
	dec	esi
	shl	esi, 10
	mov	ecx, 1024
	call	find_mp
	jnc	.mp
	mov	esi, 0xf0000
	mov	ecx, 0x10000
	call	find_mp
	jc	fail_at
.mp:	mov	eax, 1
	call	hex32				; 1: found, checksum right
	mov	ebx, [esi + 4]			; the configuration table
	cmp	dword [ebx], 'PCMP'
	jne	fail_at
	mov	esi, ebx
	movzx	ecx, word [ebx + 4]
	call	sum
	setz	al
	movzx	eax, al
	call	hex32				; 1: its checksum
	movzx	ecx, word [ebx + 34]		; entries
	lea	esi, [ebx + 44]
	xor	edx, edx			; processors
	mov	dword [isa_bus], -1
.e:	movzx	eax, byte [esi]
	cmp	al, 0
	jne	.bus
	inc	edx
	cmp	edx, 1
	jne	.e20
	movzx	eax, byte [esi + 3]
	and	eax, 3
	mov	[bsp_flags], eax
.e20:	add	esi, 20
	jmp	.en
.bus:	cmp	al, 1
	jne	.ioa
	cmp	dword [esi + 2], 'ISA '
	jne	.e8
	movzx	eax, byte [esi + 1]
	mov	[isa_bus], eax
	jmp	.e8
.ioa:	cmp	al, 2
	jne	.int
	mov	eax, [esi + 4]
	mov	[mp_ioapic], eax
	jmp	.e8
.int:	cmp	al, 3
	jne	.e8
	cmp	byte [esi + 1], 0		; INT
	jne	.e8
	movzx	eax, byte [esi + 4]
	cmp	eax, [isa_bus]
	jne	.e8
	cmp	byte [esi + 5], 0		; IRQ 0
	jne	.e8
	movzx	eax, byte [esi + 7]
	mov	[mp_irq0], eax
.e8:	add	esi, 8
.en:	loop	.e
	mov	eax, edx
	call	hex32				; 1 processor
	mov	eax, [bsp_flags]
	call	hex32				; 3: enabled, BSP
	mov	eax, [mp_ioapic]
	call	hex32				; fec00000
	mov	eax, [mp_irq0]
	call	hex32				; 2
	call	nl32
	jmp	pass32

fail_at:
	jmp	fail32

; sum: ZF set when ECX bytes at ESI sum to 0 (ESI advanced)
sum:
	xor	al, al
.l:	add	al, [esi]
	inc	esi
	loop	.l
	or	al, al
	ret

; find_rsdp: ESI start, ECX length -> ESI at "RSD PTR " with a good checksum, CF clear
find_rsdp:
	mov	ebp, esi
	add	ebp, ecx
.l:	cmp	dword [esi], 'RSD '
	jne	.n
	cmp	dword [esi + 4], 'PTR '
	jne	.n
	push	esi
	mov	ecx, 20
	call	sum
	pop	esi
	jz	.ok
.n:	add	esi, 16
	cmp	esi, ebp
	jb	.l
	stc
	ret
.ok:	clc
	ret

; find_mp: the same for "_MP_" (16 bytes summed)
find_mp:
	mov	ebp, esi
	add	ebp, ecx
.l:	cmp	dword [esi], '_MP_'
	jne	.n
	push	esi
	mov	ecx, 16
	call	sum
	pop	esi
	jz	.ok
.n:	add	esi, 16
	cmp	esi, ebp
	jb	.l
	stc
	ret
.ok:	clc
	ret

%include "pm32_exit.inc"

	align	4
first_id	dd	-1
ioapic_addr	dd	0
ioapic_gsi	dd	-1
irq0_gsi	dd	-1
isa_bus		dd	-1
bsp_flags	dd	0
mp_ioapic	dd	0
mp_irq0		dd	-1

	PM32_GDT
	PM32_GDT_END
	PM32_IDT 32

%include "tail.inc"

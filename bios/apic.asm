; tandem BIOS: the APIC tables of an at board whose CPU has a local APIC (CPUID.1 EDX
; bit 9): the Intel MP 1.4 floating pointer and configuration table, and the ACPI MADT,
; for CMOS 5Fh + 1 CPUs (the board's count, as QEMU keeps it there).  Built at POST
; while smbios_init has the F segment in writable shadow DRAM, into the zeroed areas
; below (a signature-less area is no table to anyone who scans); the MADT then joins
; the RSDT in the EBDA (acpi.asm leaves room for a second entry).  hw/apic_tables.c
; builds the same tables for SeaBIOS and direct boot: keep the two in step.

APIC_IOAPIC_ID	equ 8
APIC_MAX_CPUS	equ 8
APIC_CMOS_CPUS	equ 5Fh		; CPUs - 1

	align 16
mp_fp:		times 16 db 0
mp_ct:		times 44 + APIC_MAX_CPUS * 20 db 0
mp_rest:	times mp_rest_end - mp_rest_tpl db 0
	align 4
madt:		times 44 + APIC_MAX_CPUS * 8 + madt_tail_end - madt_tail_tpl db 0

; The configuration table's entries after the processors.
mp_rest_tpl:
	db 1, 0, "PCI   "			; bus 0
	db 1, 1, "ISA   "			; bus 1
	db 2, APIC_IOAPIC_ID, 11h, 1
	dd 0FEC00000h				; the I/O APIC
	db 3, 3
	dw 0
	db 1, 0, APIC_IOAPIC_ID, 0		; ExtINT (the 8259A) on INTIN 0
%assign irq 0
%rep 16
%if irq != 2
	db 3, 0
	dw 0
%if irq == 0
	db 1, irq, APIC_IOAPIC_ID, 2		; IRQ 0 on INTIN 2
%else
	db 1, irq, APIC_IOAPIC_ID, irq
%endif
%endif
%assign irq irq + 1
%endrep
	db 4, 3
	dw 0
	db 1, 0, 0FFh, 0			; LINT0: ExtINT
	db 4, 1
	dw 0
	db 1, 0, 0FFh, 1			; LINT1: NMI
mp_rest_end:
MP_REST_COUNT	equ 2 + 1 + 1 + 15 + 2

madt_tail_tpl:
	db 1, 12, APIC_IOAPIC_ID, 0
	dd 0FEC00000h, 0			; I/O APIC, GSI base 0
	db 2, 10, 0, 0
	dd 2
	dw 0					; ISA IRQ 0 -> GSI 2
madt_tail_end:

; POST, from smbios_init (DS = BDA, the F segment writable, 386): build the
; tables if the CPU has an APIC.
	cpu 686
apic_tables:
	pushad
	push es
	pushfd				; CPUID exists if EFLAGS.ID toggles
	pop eax
	mov ecx, eax
	xor eax, 200000h
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	xor eax, ecx
	test eax, 200000h
	jz .out
	xor eax, eax
	cpuid
	or eax, eax
	jz .out
	mov eax, 1
	cpuid
	test edx, 200h
	jz .out
	mov esi, eax			; ESI signature, EDX features
	mov al, APIC_CMOS_CPUS
	call cmos_read
	inc al
	cmp al, APIC_MAX_CPUS
	jbe .n
	mov al, APIC_MAX_CPUS
.n:
	movzx bp, al			; BP = CPUs
	mov ax, BIOS_SEG
	mov es, ax

	; MP configuration table: the processors, then the template
	mov di, mp_ct + 44
	xor bx, bx
.cpu:
	mov byte [es:di], 0
	mov [es:di + 1], bl		; APIC ID = index
	mov byte [es:di + 2], 11h
	mov al, 1			; enabled
	or bx, bx
	jnz .ap
	or al, 2			; the BSP
.ap:
	mov [es:di + 3], al
	mov [es:di + 4], esi
	mov [es:di + 8], edx
	add di, 20
	inc bx
	cmp bx, bp
	jb .cpu
	push ds
	push es
	pop ds
	mov si, mp_rest_tpl
	mov cx, mp_rest_end - mp_rest_tpl
	cld
	rep movsb
	pop ds
	mov word [es:mp_ct], 'PC'
	mov word [es:mp_ct + 2], 'MP'
	mov ax, di
	sub ax, mp_ct
	mov [es:mp_ct + 4], ax		; base table length
	mov byte [es:mp_ct + 6], 4	; spec 1.4
	mov dword [es:mp_ct + 8], 'TAND'
	mov dword [es:mp_ct + 12], 'EM  '
	mov dword [es:mp_ct + 16], 'TAND'
	mov dword [es:mp_ct + 20], 'EM P'
	mov dword [es:mp_ct + 24], 'C   '
	lea ax, [bp + MP_REST_COUNT]
	mov [es:mp_ct + 34], ax
	mov dword [es:mp_ct + 36], 0FEE00000h
	mov cx, di
	sub cx, mp_ct
	mov di, mp_ct
	mov si, 7
	call acpi_sum
	; the floating pointer
	mov word [es:mp_fp], '_M'
	mov word [es:mp_fp + 2], 'P_'
	mov dword [es:mp_fp + 4], 0F0000h + mp_ct
	mov byte [es:mp_fp + 8], 1
	mov byte [es:mp_fp + 9], 4
	mov di, mp_fp
	mov cx, 16
	mov si, 10
	call acpi_sum

	; MADT: header, a processor local APIC per CPU, the template
	mov di, madt + 44
	xor bx, bx
.lapic:
	mov byte [es:di], 0
	mov byte [es:di + 1], 8
	mov [es:di + 2], bl		; ACPI processor ID
	mov [es:di + 3], bl		; APIC ID
	mov dword [es:di + 4], 1	; enabled
	add di, 8
	inc bx
	cmp bx, bp
	jb .lapic
	push ds
	push es
	pop ds
	mov si, madt_tail_tpl
	mov cx, madt_tail_end - madt_tail_tpl
	rep movsb
	mov si, acpi_rsdt_tpl + 8	; revision 1, OEM and creator fields
	mov di, madt + 8
	mov cx, 36 - 8
	rep movsb
	pop ds
	mov word [es:madt], 'AP'
	mov word [es:madt + 2], 'IC'
	lea ax, [bp + 0]
	shl ax, 3
	add ax, 44 + madt_tail_end - madt_tail_tpl
	mov [es:madt + 4], ax
	mov dword [es:madt + 36], 0FEE00000h
	mov dword [es:madt + 40], 1	; PCAT_COMPAT
	mov cx, ax
	mov di, madt
	mov si, 9
	call acpi_sum

	; the RSDT's second entry
	mov es, [BDA_EBDASEG]
	cmp dword [es:ACPI_RSDT], 'RSDT'
	jne .out
	mov dword [es:ACPI_RSDT + 4], 44
	mov dword [es:ACPI_RSDT + 40], 0F0000h + madt
	mov di, ACPI_RSDT
	mov cx, 44
	mov si, 9
	call acpi_sum
.out:
	pop es
	popad
	ret
	cpu 8086

; tandem BIOS: minimal ACPI 1.0 tables for an AT, built at POST in the EBDA
; (reserved in the E820 map; the RSDP in the EBDA's first KiB is where the
; spec lets an OS look): RSDP -> RSDT -> FADT -> FACS, DSDT.  The FADT
; points at the PM1a block hw/apm_port.c decodes at 600h.  The DSDT stays
; in this ROM (F0000h-FFFFFh is reserved in the E820 map): bios/dsdt.asl
; compiled by tools/dsdt.sh, with \_S5 (SLP_TYP 5) so an OS can power the
; machine off and the PCI root bridge with its _CRS windows and _PRT
; interrupt routing, so an ACPI OS finds the PCI devices.  With a local APIC
; the RSDT gets the MADT as a second entry (apic.asm).  hw/acpi_fw_cfg.c builds the same tables (and embeds the same
; DSDT) for SeaBIOS: keep the two in step.

ACPI_RSDP	equ 1B0h	; offsets in the EBDA
ACPI_RSDT	equ 1D0h
ACPI_FADT	equ 200h
ACPI_FACS	equ 280h	; 64-byte aligned (the EBDA is 1 KiB aligned)

%macro ACPI_HDR 3		; signature, length, revision
	db %1
	dd %2
	db %3, 0		; revision, checksum
	db "TANDEM"
	db "TANDEMPC"
	dd 1
	db "TNDM"
	dd 1
%endmacro

acpi_tpl:			; laid out at ACPI_RSDP in the EBDA
	db "RSD PTR "
	db 0			; checksum
	db "TANDEM", 0		; OEM, revision 0 (ACPI 1.0)
	dd 0			; RSDT address (patched)
	times ACPI_RSDT - ACPI_RSDP - ($ - acpi_tpl) db 0
acpi_rsdt_tpl:
	ACPI_HDR "RSDT", 40, 1
	dd 0			; the FADT (patched)
	times ACPI_FADT - ACPI_RSDP - ($ - acpi_tpl) db 0
acpi_fadt_tpl:
	ACPI_HDR "FACP", 116, 1
	dd 0			; 36 FACS (patched)
	dd 0F0000h + acpi_dsdt_aml	; 40 DSDT, in this ROM
	db 0, 0			; 44 interrupt model, reserved
	dw 9			; 46 SCI (never raised)
	dd 0			; 48 SMI_CMD: always in ACPI mode
	db 0, 0, 0, 0		; 52 ACPI_ENABLE, ACPI_DISABLE, S4BIOS_REQ, reserved
	dd ACPI_PM1_EVT		; 56 PM1a_EVT_BLK
	dd 0			; 60 PM1b_EVT_BLK
	dd ACPI_PM1_CNT		; 64 PM1a_CNT_BLK
	dd 0			; 68 PM1b_CNT_BLK
	dd 0			; 72 PM2_CNT_BLK
	dd ACPI_PM_TMR		; 76 PM_TMR_BLK
	dd 0, 0			; 80 GPE0_BLK, GPE1_BLK
	db 4, 2, 0, 4		; 88 PM1_EVT_LEN, PM1_CNT_LEN, PM2_CNT_LEN, PM_TMR_LEN
	db 0, 0, 0, 0		; 92 GPE0/1 lengths, GPE1 base, reserved
	dw 101, 1001		; 96 C2/C3 latencies: not supported
	dw 0, 0			; 100 flush size, stride
	db 0, 0, 0, 0, 32h	; 104 duty offset/width, alarms, RTC century
	db 0, 0, 0		; 109 reserved
	dd 35h			; 112 WBINVD, C1, power/sleep buttons not fixed
	times ACPI_FACS - ACPI_RSDP - ($ - acpi_tpl) db 0
acpi_facs_tpl:
	db "FACS"
	dd 64
	times 56 db 0
ACPI_TPL_LEN	equ $ - acpi_tpl

	align 16
%include "dsdt.inc"

; POST (DS = BDA), at with CMOS: copy the tables, patch their addresses,
; sum them.
acpi_build:
	test byte [BDA_MACHINE], MACH_CMOS
	jz .done
	push ds
	push es
	mov es, [BDA_EBDASEG]
	mov ax, es
	call seg_lin
	mov bx, ax
	mov bp, dx		; BP:BX = EBDA linear address
	push cs
	pop ds
	mov si, acpi_tpl
	mov di, ACPI_RSDP
	mov cx, ACPI_TPL_LEN
.copy:
	lodsb
	stosb
	loop .copy
	mov di, ACPI_RSDP + 16
	mov ax, ACPI_RSDT
	call .patch
	mov di, ACPI_RSDT + 36
	mov ax, ACPI_FADT
	call .patch
	mov di, ACPI_FADT + 36
	mov ax, ACPI_FACS
	call .patch
	mov di, ACPI_RSDP
	mov cx, 20
	mov si, 8
	call acpi_sum
	mov di, ACPI_RSDT
	mov cx, 40
	mov si, 9
	call acpi_sum
	mov di, ACPI_FADT
	mov cx, 116
	call acpi_sum
	pop es
	pop ds
.done:
	ret
.patch:				; dword at ES:DI = EBDA linear + AX
	add ax, bx
	mov [es:di], ax
	mov ax, bp
	adc ax, 0
	mov [es:di + 2], ax
	ret

; Make the CX bytes at ES:DI sum to zero through the byte at ES:DI+SI.
acpi_sum:
	push bx
	mov bx, di
	add bx, si
	mov byte [es:bx], 0
	xor al, al
	push di
	push cx
.s:
	add al, [es:di]
	inc di
	loop .s
	pop cx
	pop di
	neg al
	mov [es:bx], al
	pop bx
	ret

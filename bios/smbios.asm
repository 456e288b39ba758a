; tandem BIOS: SMBIOS 2.4 tables (types 0, 1, 4, 16, 17, 19, 32, 127).  They
; sit in this ROM image at assembly time; POST on a 386 with an i440FX
; copies F0000h-FFFFFh into the chipset's shadow DRAM (PAM0: read ROM,
; write DRAM; then DRAM read/write), fills in the CPU and memory fields and
; the entry point checksums, and write-protects the segment again.  Without
; that (no PCI, no 386) the entry point keeps a zero checksum, so nobody
; takes the half-filled tables for real.

I440FX_PAM0	equ 59h

%macro SMB_STR 1
	db %1, 0
%endmacro

	align 16
smbios_entry:
	db "_SM_"
	db 0			; checksum (POST)
	db 1Fh			; length
	db 2, 4			; version 2.4
	dw smb_max		; largest structure
	db 0
	times 5 db 0
	db "_DMI_"
	db 0			; intermediate checksum (POST)
	dw smb_end - smb_table
	dd 0F0000h + smb_table
	dw 8			; structures
	db 24h			; BCD revision

smb_table:
smb_t0:				; BIOS
	db 0, 18h
	dw 0000h
	db 1, 2			; vendor, version
	dw BIOS_SEG
	db 3			; release date
	db 0			; ROM size: 64 KiB
	; ISA, PCI, APM, shadowing, CD boot, selectable boot, EDD, the INT 13h
	; floppy types, INT 09h, 14h, 17h, 10h
	dq 000000007BC99490h
	db 01h, 00h		; ACPI supported
	db 0, 1, 0FFh, 0FFh	; BIOS 0.1, no embedded controller
	SMB_STR "tandem"
	SMB_STR BIOS_VERSION
	SMB_STR "11/26/2026"
	db 0
smb_t1:				; system
	db 1, 1Bh
	dw 0001h
	db 1, 2, 3, 4		; manufacturer, product, version, serial
	times 16 db 0		; UUID: unknown
	db 06h			; woken by the power switch
	db 0, 0			; SKU, family: none
	SMB_STR "tandem"
	SMB_STR "tandem PC"
	SMB_STR BIOS_VERSION
	SMB_STR "0"
	db 0
smb_t4:				; processor
	db 4, 23h
	dw 0004h
	db 1			; socket
	db 03h			; central processor
smb_cpu_family:
	db 02h			; unknown until POST
	db 2			; manufacturer
	dq 0			; ID
	db 0			; version: none
	db 0			; voltage
	dw 0			; external clock
	dw 0, 0			; maximum and current speed: unknown
	db 41h			; populated, enabled
	db 02h			; upgrade: unknown
	dw 0FFFFh, 0FFFFh, 0FFFFh	; no caches described
	db 0, 0, 0		; serial, asset tag, part number
	SMB_STR "CPU 0"
	SMB_STR "tandem"
	db 0
smb_t16:			; physical memory array
	db 16, 0Fh
	dw 0010h
	db 03h, 03h, 03h	; system board, system memory, no ECC
smb_array_kb:
	dd 0			; maximum capacity in KiB (POST)
	dw 0FFFEh		; no error information
	dw 1			; one device
	dw 0
smb_t17:			; memory device
	db 17, 1Bh
	dw 0011h
	dw 0010h		; the array
	dw 0FFFEh
	dw 64, 64		; total and data width
smb_dev_mb:
	dw 0			; size in MiB (POST)
	db 09h			; DIMM
	db 0
	db 1, 2			; locator, bank
	db 07h			; RAM
	dw 0002h		; type detail: unknown
	dw 0			; speed: unknown
	db 0, 0, 0, 0		; manufacturer, serial, asset tag, part number
	SMB_STR "DIMM 0"
	SMB_STR "BANK 0"
	db 0
smb_t19:			; memory array mapped address
	db 19, 0Fh
	dw 0013h
	dd 0			; from 0
smb_map_end:
	dd 0			; to (KiB, inclusive; POST)
	dw 0010h
	db 1
	dw 0
smb_t32:			; system boot information
	db 32, 0Bh
	dw 0020h
	times 6 db 0
	db 0			; no errors
	dw 0
smb_t127:
	db 127, 4
	dw 007Fh
	dw 0
smb_end:
smb_max equ smb_t4 - smb_t1	; type 1 with its strings is the longest

; POST (DS = BDA): shadow the segment, fill in, protect.  386 + PCI only.
smbios_init:
	test byte [BDA_MACHINE], MACH_386
	jz .none
	push es
	mov es, [BDA_EBDASEG]
	cmp byte [es:EBDA_PCI], 1
	pop es
	jne .none
	cpu 386
	push eax
	push bx
	push di
	xor bx, bx		; 00:00.0 must be the i440FX
	xor di, di
	call pci_read32
	cmp eax, 12378086h
	jne .out
	mov di, I440FX_PAM0
	call pci_read8
	and al, 0Fh
	or al, 20h		; read ROM, write DRAM
	call pci_write8
	push ds
	push es
	push cx
	push si
	mov cx, BIOS_SEG
	mov ds, cx
	mov es, cx
	xor si, si
	xor di, di
	mov cx, 8000h
	cld
	rep movsw		; the ROM into the shadow DRAM
	pop si
	pop cx
	pop es
	pop ds
	mov di, I440FX_PAM0
	call pci_read8
	or al, 30h		; DRAM read/write: now the tables can change
	call pci_write8
	call smbios_fill
	call apic_tables	; MP tables and MADT (apic.asm), while writable
	mov di, I440FX_PAM0
	call pci_read8
	and al, 0Fh
	or al, 10h		; DRAM read only
	call pci_write8
.out:
	pop di
	pop bx
	pop eax
	cpu 8086
.none:
	ret

; The dynamic fields and checksums (the segment is writable DRAM).
smbios_fill:
	push ax
	push bx
	push cx
	push dx
	push si
	push es
	mov ax, BIOS_SEG
	mov es, ax
	; CPU family: Intel386 05h, else 80286 04h
	mov al, 05h
	test byte [BDA_MACHINE], MACH_386
	jnz .fam
	mov al, 04h
.fam:
	mov [es:smb_cpu_family], al
	; memory KiB = 1024 + extended (CMOS 34h/35h above 16 MiB, else 17h/18h)
	mov al, 35h
	call cmos_read
	mov ah, al
	mov al, 34h
	call cmos_read
	or ax, ax
	jz .kb
	mov dx, ax		; blocks * 64 = KiB: DX:AX = blocks << 6
	mov cl, 10
	shr dx, cl
	mov cl, 6
	shl ax, cl
	add ax, 4000h		; + 16 MiB
	adc dx, 0
	jmp .have
.kb:
	mov al, 18h
	call cmos_read
	mov ah, al
	mov al, 17h
	call cmos_read
	xor dx, dx
	add ax, 1024
	adc dx, 0
.have:
	mov [es:smb_array_kb], ax
	mov [es:smb_array_kb + 2], dx
	push ax
	push dx
	sub ax, 1
	sbb dx, 0
	mov [es:smb_map_end], ax
	mov [es:smb_map_end + 2], dx
	pop dx
	pop ax
	mov cx, 10		; MiB = KiB >> 10
.mb:
	shr dx, 1
	rcr ax, 1
	loop .mb
	mov [es:smb_dev_mb], ax
	; intermediate checksum over 10h-1Eh, then the whole entry point
	mov byte [es:smbios_entry + 15h], 0
	mov si, smbios_entry + 10h
	mov cx, 0Fh
	call .sum
	mov [es:smbios_entry + 15h], al
	mov byte [es:smbios_entry + 4], 0
	mov si, smbios_entry
	mov cx, 1Fh
	call .sum
	mov [es:smbios_entry + 4], al
	pop es
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret
.sum:				; AL = the byte that makes ES:SI..+CX sum to 0
	xor al, al
.s:
	add al, [es:si]
	inc si
	loop .s
	neg al
	ret

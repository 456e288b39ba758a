; tandem BIOS: the 64 KiB system ROM at F0000h-FFFFFh.
; Build: nasm -f bin -I bios/ -o bios/bios.bin bios/bios.asm
; Assemble-time switches: -DNO_OPTROMS (skip the option ROM scan),
; -DMODEL_BYTE_XT (model byte FEh at FFFFEh instead of FCh).

	cpu 8086
	bits 16
	org 0

%define BIOS_VERSION "0.1"
MODEL_AT	equ 0FCh
MODEL_XT	equ 0FEh

%include "defs.inc"

; Places where IBM's BIOS had entry points and tables; some old programs
; jump or point straight at them.
%macro FIXED 1
%if ($ - $$) > %1
%error "code overruns the fixed location %1"
%endif
	times %1 - ($ - $$) db 0FFh
%endmacro

rom_start:
	db "tandem BIOS ", BIOS_VERSION, 0

%include "util.asm"
%include "post.asm"
%include "int10.asm"
%include "int10g.asm"
%include "vbe.asm"
%include "font.asm"
%include "int09.asm"
%include "kbdtab.asm"
%include "int16.asm"
%include "int13.asm"
%include "fdc.asm"
%include "ata.asm"
%include "cdrom.asm"
%include "timer.asm"
%include "int15.asm"
%include "pcibios.asm"
%include "acpi.asm"
%include "smbios.asm"
%include "apic.asm"
%include "serial.asm"
%include "boot.asm"
%ifdef TEST_INCLUDE
%include TEST_INCLUDE
%endif

code_end:

	FIXED 0E05Bh
	jmp post
	FIXED 0E2C3h
	; NMI: returns at once.  The XT BIOS checks the parity bits (port 62h)
	; and halts on a parity error; we have no parity errors, and an XT
	; 8087's error NMI (hw/fpu_irq.h) is left pending for a program that
	; hooks INT 2 (the 8087's INT stays high, so no NMI storm follows).
	iret
	FIXED 0E6F2h
	jmp int19
	FIXED 0E729h
	dw 1047, 768, 384, 192, 96, 48, 24, 12	; baud rate divisors
	FIXED 0E739h
	jmp int14
	FIXED 0E82Eh
	jmp int16
	FIXED 0E987h
	jmp int09
	FIXED 0EC59h
	jmp int13
	FIXED 0EFC7h
fd_table_144:			; INT 1Eh default: 1.44M
	db 0DFh, 02h, 25h, 02h, 18, 1Bh, 0FFh, 6Ch, 0F6h, 0Fh, 08h
	FIXED 0EFD2h
	jmp int17
	FIXED 0F065h
	jmp int10
	FIXED 0F0A4h
video_params:			; INT 1Dh: 6845 parameters (CGA/MDA programs)
	db 38h, 28h, 2Dh, 0Ah, 1Fh, 06h, 19h, 1Ch, 02h, 07h, 06h, 07h, 0, 0, 0, 0
	db 71h, 50h, 5Ah, 0Ah, 1Fh, 06h, 19h, 1Ch, 02h, 07h, 06h, 07h, 0, 0, 0, 0
	db 38h, 28h, 2Dh, 0Ah, 7Fh, 06h, 64h, 70h, 02h, 01h, 06h, 07h, 0, 0, 0, 0
	db 61h, 50h, 52h, 0Fh, 19h, 06h, 19h, 19h, 02h, 0Dh, 0Bh, 0Ch, 0, 0, 0, 0
	dw 0800h, 1000h, 4000h, 4000h
	db 40, 40, 80, 80, 40, 40, 80, 80
	db 2Ch, 28h, 2Dh, 29h, 2Ah, 2Eh, 1Eh, 29h
	FIXED 0F841h
	jmp int12
	FIXED 0F84Dh
	jmp int11
	FIXED 0F859h
	jmp int15
	FIXED 0FE6Eh
	jmp int1a
	FIXED 0FEA5h
	jmp int08
	FIXED 0FF53h
	iret
	FIXED 0FF54h
	iret			; INT 05h print screen: nothing to print to

	FIXED 0FFF0h
	jmp BIOS_SEG:post	; reset vector
	db "11/26/26"		; BIOS date at FFFF5h
	db 0
%ifdef MODEL_BYTE_XT
	db MODEL_XT
%else
	db MODEL_AT
%endif
	db 0

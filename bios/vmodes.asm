; tandem BIOS: the video modes INT 10h AH=00h can set, with the standard
; VGA register values of each.

; Mode records, 10 bytes, for modes 00h-13h (class 0: not supported).
VM_CLASS	equ 0
VM_COLS		equ 1		; text columns
VM_ROWS		equ 2		; text rows - 1
VM_CHARH	equ 3		; character cell height
VM_MODEREG	equ 4		; CGA mode-control value for BDA 0465h
VM_DAC		equ 5
VM_PAGESZ	equ 6
VM_REGS		equ 8

%macro VMODE 8	; class, cols, rows-1, height, modereg, dac, page size, regs
	db %1, %2, %3, %4, %5, %6
	dw %7, %8
%endmacro

vmode_info:
	VMODE VC_TEXT, 40, 24, 16, 2Ch, DAC_EGA, 0800h, vregs_40	; 00
	VMODE VC_TEXT, 40, 24, 16, 28h, DAC_EGA, 0800h, vregs_40	; 01
	VMODE VC_TEXT, 80, 24, 16, 2Dh, DAC_EGA, 1000h, vregs_80	; 02
	VMODE VC_TEXT, 80, 24, 16, 29h, DAC_EGA, 1000h, vregs_80	; 03
	VMODE VC_CGA4, 40, 24, 8, 2Ah, DAC_CGA, 4000h, vregs_04	; 04
	VMODE VC_CGA4, 40, 24, 8, 2Eh, DAC_CGA, 4000h, vregs_04	; 05
	VMODE VC_CGA2, 80, 24, 8, 1Eh, DAC_CGA, 4000h, vregs_06	; 06
	VMODE VC_TEXT, 80, 24, 16, 29h, DAC_MONO, 1000h, vregs_mono	; 07
%rep 5
	VMODE 0, 0, 0, 0, 0, 0, 0, 0					; 08-0C
%endrep
	VMODE VC_PLANAR, 40, 24, 8, 29h, DAC_CGA, 2000h, vregs_0d	; 0D
	VMODE VC_PLANAR, 80, 24, 8, 29h, DAC_CGA, 4000h, vregs_0e	; 0E
	VMODE 0, 0, 0, 0, 0, 0, 0, 0					; 0F
	VMODE VC_PLANAR, 80, 24, 14, 29h, DAC_EGA, 8000h, vregs_10	; 10
	VMODE VC_PLANAR, 80, 29, 16, 29h, DAC_EGA, 0A000h, vregs_11	; 11
	VMODE VC_PLANAR, 80, 29, 16, 29h, DAC_EGA, 0A000h, vregs_12	; 12
	VMODE VC_256, 40, 24, 8, 29h, DAC_256, 0FA00h, vregs_13	; 13
VM_LAST equ 13h

; CS:BX = record of mode AL; CF set when the mode is not supported.
vmode_record:
	cmp al, VM_LAST
	ja .no
	push ax
	xor ah, ah
	shl ax, 1
	mov bx, ax
	shl ax, 1
	shl ax, 1
	add bx, ax		; mode * 10
	add bx, vmode_info
	pop ax
	cmp byte [cs:bx + VM_CLASS], 0
	je .no
	clc
	ret
.no:
	stc
	ret

; Register sets: misc output, sequencer 1-4, CRTC 0-18h, attribute 0-13h,
; graphics 0-8.
vregs_40:
	db 67h
	db 08h, 03h, 00h, 02h
	db 2Dh, 27h, 28h, 90h, 2Bh, 0A0h, 0BFh, 1Fh, 00h, 4Fh, 0Dh, 0Eh
	db 00h, 00h, 00h, 00h, 9Ch, 8Eh, 8Fh, 14h, 1Fh, 96h, 0B9h, 0A3h, 0FFh
	db 00h, 01h, 02h, 03h, 04h, 05h, 14h, 07h, 38h, 39h, 3Ah, 3Bh, 3Ch, 3Dh, 3Eh, 3Fh
	db 0Ch, 00h, 0Fh, 08h
	db 00h, 00h, 00h, 00h, 00h, 10h, 0Eh, 00h, 0FFh
vregs_80:
	db 67h
	db 00h, 03h, 00h, 02h
	db 5Fh, 4Fh, 50h, 82h, 55h, 81h, 0BFh, 1Fh, 00h, 4Fh, 0Dh, 0Eh
	db 00h, 00h, 00h, 00h, 9Ch, 8Eh, 8Fh, 28h, 1Fh, 96h, 0B9h, 0A3h, 0FFh
	db 00h, 01h, 02h, 03h, 04h, 05h, 14h, 07h, 38h, 39h, 3Ah, 3Bh, 3Ch, 3Dh, 3Eh, 3Fh
	db 0Ch, 00h, 0Fh, 08h
	db 00h, 00h, 00h, 00h, 00h, 10h, 0Eh, 00h, 0FFh
vregs_mono:
	db 0A6h
	db 00h, 03h, 00h, 02h
	db 5Fh, 4Fh, 50h, 82h, 55h, 81h, 0BFh, 1Fh, 00h, 4Fh, 0Dh, 0Eh
	db 00h, 00h, 00h, 00h, 9Ch, 8Eh, 8Fh, 28h, 0Fh, 96h, 0B9h, 0A3h, 0FFh
	db 00h, 08h, 08h, 08h, 08h, 08h, 08h, 08h, 10h, 18h, 18h, 18h, 18h, 18h, 18h, 18h
	db 0Eh, 00h, 0Fh, 08h
	db 00h, 00h, 00h, 00h, 00h, 10h, 0Ah, 00h, 0FFh
vregs_04:
	db 63h
	db 09h, 03h, 00h, 02h
	db 2Dh, 27h, 28h, 90h, 2Bh, 80h, 0BFh, 1Fh, 00h, 0C1h, 00h, 00h
	db 00h, 00h, 00h, 00h, 9Ch, 8Eh, 8Fh, 14h, 00h, 96h, 0B9h, 0A2h, 0FFh
	db 00h, 13h, 15h, 17h, 02h, 04h, 06h, 07h, 10h, 11h, 12h, 13h, 14h, 15h, 16h, 17h
	db 01h, 00h, 03h, 00h
	db 00h, 00h, 00h, 00h, 00h, 30h, 0Fh, 0Fh, 0FFh
vregs_06:
	db 63h
	db 01h, 01h, 00h, 06h
	db 5Fh, 4Fh, 50h, 82h, 54h, 80h, 0BFh, 1Fh, 00h, 0C1h, 00h, 00h
	db 00h, 00h, 00h, 00h, 9Ch, 8Eh, 8Fh, 28h, 00h, 96h, 0B9h, 0C2h, 0FFh
	db 00h, 17h, 17h, 17h, 17h, 17h, 17h, 17h, 17h, 17h, 17h, 17h, 17h, 17h, 17h, 17h
	db 01h, 00h, 01h, 00h
	db 00h, 00h, 00h, 00h, 00h, 00h, 0Dh, 0Fh, 0FFh
vregs_0d:
	db 63h
	db 09h, 0Fh, 00h, 06h
	db 2Dh, 27h, 28h, 90h, 2Bh, 80h, 0BFh, 1Fh, 00h, 0C0h, 00h, 00h
	db 00h, 00h, 00h, 00h, 9Ch, 8Eh, 8Fh, 14h, 00h, 96h, 0B9h, 0E3h, 0FFh
	db 00h, 01h, 02h, 03h, 04h, 05h, 06h, 07h, 10h, 11h, 12h, 13h, 14h, 15h, 16h, 17h
	db 01h, 00h, 0Fh, 00h
	db 00h, 00h, 00h, 00h, 00h, 00h, 05h, 0Fh, 0FFh
vregs_0e:
	db 63h
	db 01h, 0Fh, 00h, 06h
	db 5Fh, 4Fh, 50h, 82h, 54h, 80h, 0BFh, 1Fh, 00h, 0C0h, 00h, 00h
	db 00h, 00h, 00h, 00h, 9Ch, 8Eh, 8Fh, 28h, 00h, 96h, 0B9h, 0E3h, 0FFh
	db 00h, 01h, 02h, 03h, 04h, 05h, 06h, 07h, 10h, 11h, 12h, 13h, 14h, 15h, 16h, 17h
	db 01h, 00h, 0Fh, 00h
	db 00h, 00h, 00h, 00h, 00h, 00h, 05h, 0Fh, 0FFh
vregs_10:
	db 0A3h
	db 01h, 0Fh, 00h, 06h
	db 5Fh, 4Fh, 50h, 82h, 54h, 80h, 0BFh, 1Fh, 00h, 40h, 00h, 00h
	db 00h, 00h, 00h, 00h, 83h, 85h, 5Dh, 28h, 0Fh, 63h, 0BAh, 0E3h, 0FFh
	db 00h, 01h, 02h, 03h, 04h, 05h, 14h, 07h, 38h, 39h, 3Ah, 3Bh, 3Ch, 3Dh, 3Eh, 3Fh
	db 01h, 00h, 0Fh, 00h
	db 00h, 00h, 00h, 00h, 00h, 00h, 05h, 0Fh, 0FFh
vregs_11:
	db 0E3h
	db 01h, 0Fh, 00h, 06h
	db 5Fh, 4Fh, 50h, 82h, 54h, 80h, 0Bh, 3Eh, 00h, 40h, 00h, 00h
	db 00h, 00h, 00h, 00h, 0EAh, 8Ch, 0DFh, 28h, 00h, 0E7h, 04h, 0C3h, 0FFh
	db 00h, 3Fh, 00h, 3Fh, 00h, 3Fh, 00h, 3Fh, 00h, 3Fh, 00h, 3Fh, 00h, 3Fh, 00h, 3Fh
	db 01h, 00h, 0Fh, 00h
	db 00h, 00h, 00h, 00h, 00h, 00h, 05h, 0Fh, 0FFh
vregs_12:
	db 0E3h
	db 01h, 0Fh, 00h, 06h
	db 5Fh, 4Fh, 50h, 82h, 54h, 80h, 0Bh, 3Eh, 00h, 40h, 00h, 00h
	db 00h, 00h, 00h, 00h, 0EAh, 8Ch, 0DFh, 28h, 00h, 0E7h, 04h, 0E3h, 0FFh
	db 00h, 01h, 02h, 03h, 04h, 05h, 14h, 07h, 38h, 39h, 3Ah, 3Bh, 3Ch, 3Dh, 3Eh, 3Fh
	db 01h, 00h, 0Fh, 00h
	db 00h, 00h, 00h, 00h, 00h, 00h, 05h, 0Fh, 0FFh
vregs_13:
	db 63h
	db 01h, 0Fh, 00h, 0Eh
	db 5Fh, 4Fh, 50h, 82h, 54h, 80h, 0BFh, 1Fh, 00h, 41h, 00h, 00h
	db 00h, 00h, 00h, 00h, 9Ch, 8Eh, 8Fh, 28h, 40h, 96h, 0B9h, 0A3h, 0FFh
	db 00h, 01h, 02h, 03h, 04h, 05h, 06h, 07h, 08h, 09h, 0Ah, 0Bh, 0Ch, 0Dh, 0Eh, 0Fh
	db 41h, 00h, 0Fh, 00h
	db 00h, 00h, 00h, 00h, 00h, 40h, 05h, 0Fh, 0FFh

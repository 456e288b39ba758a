; tandem BIOS: INT 10h AH=4Fh, VESA BIOS Extensions 3.0 over the Bochs VBE
; ("dispi") registers at 1CEh/1CFh.  Modes are packed-pixel 8 bpp and
; direct-colour 15/16/24/32 bpp, with a 64 KiB bank window at A0000h and
; the linear framebuffer where POST found it (the Bochs VGA's PCI BAR 0,
; else E0000000h).  Runs in int10's FRAME_ENTER frame (DS = BDA).

VBE_INDEX	equ 1CEh
VBE_DATA	equ 1CFh
VBEI_ID		equ 0
VBEI_XRES	equ 1
VBEI_YRES	equ 2
VBEI_BPP	equ 3
VBEI_ENABLE	equ 4
VBEI_BANK	equ 5
VBEI_VWIDTH	equ 6
VBEI_VHEIGHT	equ 7
VBEI_XOFF	equ 8
VBEI_YOFF	equ 9
VBEI_MEM64K	equ 0Ah
VBEE_ENABLED	equ 01h
VBEE_GETCAPS	equ 02h
VBEE_DAC8	equ 20h
VBEE_LFB	equ 40h
VBEE_NOCLEAR	equ 80h

EBDA_VBE_LFB	equ 0F8h	; dword: framebuffer address (POST)

; mode, x, y, bpp
%macro VMODE 4
	dw %1, %2, %3
	db %4, 0
%endmacro
vbe_modes:
	VMODE 100h, 640, 400, 8
	VMODE 101h, 640, 480, 8
	VMODE 103h, 800, 600, 8
	VMODE 105h, 1024, 768, 8
	VMODE 107h, 1280, 1024, 8
	VMODE 10Dh, 320, 200, 15
	VMODE 10Eh, 320, 200, 16
	VMODE 10Fh, 320, 200, 24
	VMODE 110h, 640, 480, 15
	VMODE 111h, 640, 480, 16
	VMODE 112h, 640, 480, 24
	VMODE 113h, 800, 600, 15
	VMODE 114h, 800, 600, 16
	VMODE 115h, 800, 600, 24
	VMODE 116h, 1024, 768, 15
	VMODE 117h, 1024, 768, 16
	VMODE 118h, 1024, 768, 24
	VMODE 119h, 1280, 1024, 15
	VMODE 11Ah, 1280, 1024, 16
	VMODE 11Bh, 1280, 1024, 24
	VMODE 140h, 320, 200, 32
	VMODE 141h, 640, 480, 32
	VMODE 142h, 800, 600, 32
	VMODE 143h, 1024, 768, 32
	VMODE 144h, 1280, 1024, 32
	VMODE 145h, 1600, 1200, 8
	VMODE 146h, 1600, 1200, 16
	VMODE 147h, 1600, 1200, 32
	VMODE 148h, 1920, 1080, 8
	VMODE 149h, 1920, 1080, 16
	VMODE 14Ah, 1920, 1080, 32
	VMODE 14Bh, 1280, 720, 32
	VMODE 14Ch, 1280, 800, 32
	VMODE 14Dh, 1440, 900, 32
VBE_NMODES	equ ($ - vbe_modes) / 8
VM8_MODE	equ 0
VM8_X		equ 2
VM8_Y		equ 4
VM8_BPP		equ 6

vbe_oem:	db "tandem VBE (Bochs dispi)", 0
vbe_vendor:	db "tandem", 0
vbe_product:	db "tandem Bochs-VBE adapter", 0
vbe_rev:	db BIOS_VERSION, 0
vbe_strings:	dw vbe_oem, 06h, vbe_vendor, 16h, vbe_product, 1Ah, vbe_rev, 1Eh, 0

; AX = dispi register AL.
vbe_read:
	push dx
	mov dx, VBE_INDEX
	xor ah, ah
	out dx, ax
	inc dx
	in ax, dx
	pop dx
	ret

; Dispi register AL := BX.
vbe_write:
	push ax
	push dx
	mov dx, VBE_INDEX
	xor ah, ah
	out dx, ax
	inc dx
	mov ax, bx
	out dx, ax
	pop dx
	pop ax
	ret

; CF clear if the dispi interface answers (ID B0C0h-B0C5h).
vbe_present:
	push ax
	mov al, VBEI_ID
	call vbe_read
	cmp ax, 0B0C0h
	jb .no
	cmp ax, 0B0C5h
	ja .no
	pop ax
	clc
	ret
.no:
	pop ax
	stc
	ret

; Turn VBE off when a standard mode is set (v_setmode).
vbe_off:
	cmp word [BDA_VBEMODE], 0
	je .done
	push ax
	push bx
	xor bx, bx
	mov al, VBEI_ENABLE
	call vbe_write
	mov word [BDA_VBEMODE], 0
	pop bx
	pop ax
.done:
	ret

; SI = the mode table entry for mode CX (bits 0-8), CF if unknown.
vbe_find:
	push ax
	push cx
	and cx, 1FFh
	mov si, vbe_modes
	mov ax, VBE_NMODES
.l:
	cmp [cs:si + VM8_MODE], cx
	je .found
	add si, 8
	dec ax
	jnz .l
	pop cx
	pop ax
	stc
	ret
.found:
	pop cx
	pop ax
	clc
	ret

; AX = bytes per pixel of the entry at SI.
vbe_bytespp:
	mov al, [cs:si + VM8_BPP]
	xor ah, ah
	add ax, 7
	shr ax, 1
	shr ax, 1
	shr ax, 1
	ret

vbe_dispatch:
	call vbe_present
	jc vbe_fail
	mov bl, al
	cmp bl, VBE_NFUNCS
	jae vbe_fail
	xor bh, bh
	shl bx, 1
	jmp [cs:vbe_funcs + bx]

vbe_funcs:
	dw vbe_info, vbe_modeinfo, vbe_setmode, vbe_getmode	; 00-03
	dw vbe_fail, vbe_bank, vbe_scanline, vbe_start		; 04-07
	dw vbe_dacwidth, vbe_palette				; 08-09
VBE_NFUNCS	equ ($ - vbe_funcs) / 2

vbe_ok:
	mov word [bp + F_AX], 004Fh
	ret
vbe_fail:
	mov word [bp + F_AX], 014Fh
	ret
vbe_badmode:			; not valid in the current video mode
	mov word [bp + F_AX], 034Fh
	ret

; 00h: controller information at ES:DI (512 bytes when it says "VBE2").
; The mode list goes in the block's reserved area and, for VBE 2.0+
; callers, the strings in its OEM area, so protected-mode users can read
; them without our segment.
vbe_info:
	mov di, [bp + F_DI]
	xor dx, dx		; DX = 1: a VBE 2.0+ caller
	cmp word [es:di], 'VB'
	jne .clear
	cmp word [es:di + 2], 'E2'
	jne .clear
	inc dx
.clear:
	push di
	mov cx, 128
	or dx, dx
	jz .c
	mov cx, 256
.c:
	xor ax, ax
	cld
	rep stosw
	pop di
	mov word [es:di], 'VE'
	mov word [es:di + 2], 'SA'
	mov word [es:di + 4], 0300h
	mov byte [es:di + 0Ah], 01h	; the DAC can switch to 8 bits
	mov al, VBEI_MEM64K
	call vbe_read
	mov [es:di + 12h], ax
	mov word [es:di + 14h], 0100h
	; mode list at +22h, of the modes that fit in video memory
	lea bx, [di + 22h]
	mov [es:di + 0Eh], bx
	mov [es:di + 10h], es
	mov si, vbe_modes
	mov cx, VBE_NMODES
.mode:
	call vbe_fits
	jc .skip
	mov ax, [cs:si + VM8_MODE]
	mov [es:bx], ax
	add bx, 2
.skip:
	add si, 8
	loop .mode
	mov word [es:bx], 0FFFFh
	; strings: in ROM, or copied to +100h for VBE 2.0 callers
	mov si, vbe_strings
	lea bx, [di + 100h]
.str:
	mov ax, [cs:si]
	or ax, ax
	jz .done
	push si
	mov si, [cs:si + 2]
	add si, di		; SI = where the far pointer goes
	or dx, dx
	jnz .copy
	mov [es:si], ax
	mov [es:si + 2], cs
	jmp .next
.copy:
	mov [es:si], bx
	mov [es:si + 2], es
	mov si, ax
.cp:
	mov al, [cs:si]
	mov [es:bx], al
	inc si
	inc bx
	or al, al
	jnz .cp
.next:
	pop si
	add si, 4
	jmp .str
.done:
	jmp vbe_ok

; CF clear if the mode at SI fits in video memory; DX = its size in
; 64 KiB units, rounded up.  Keeps other registers.
vbe_fits:
	push ax
	push bx
	call vbe_bytespp
	mul word [cs:si + VM8_X]	; AX = bytes a line (DX = 0)
	mul word [cs:si + VM8_Y]	; DX:AX = bytes a screen
	or ax, ax
	jz .units
	inc dx
.units:
	mov al, VBEI_MEM64K
	call vbe_read
	cmp ax, dx		; CF: memory < needed
	pop bx
	pop ax
	ret

; 01h: mode information for CX at ES:DI.
vbe_modeinfo:
	mov cx, [bp + F_CX]
	call vbe_find
	jc .bad
	call vbe_fits
	jnc .go
.bad:
	jmp vbe_fail
.go:
	mov di, [bp + F_DI]
	push di
	mov cx, 128
	xor ax, ax
	cld
	rep stosw
	pop di
	mov word [es:di], 009Bh		; supported, colour, graphics, LFB
	mov byte [es:di + 02h], 07h	; window A relocatable, read, write
	mov word [es:di + 04h], 64	; granularity KiB
	mov word [es:di + 06h], 64	; size KiB
	mov word [es:di + 08h], 0A000h
	mov word [es:di + 0Ch], vbe_bank_far
	mov [es:di + 0Eh], cs
	call vbe_bytespp
	mov cx, ax
	mul word [cs:si + VM8_X]
	mov [es:di + 10h], ax		; bytes per scan line
	mov [es:di + 32h], ax
	mov bx, ax
	mov ax, [cs:si + VM8_X]
	mov [es:di + 12h], ax
	mov ax, [cs:si + VM8_Y]
	mov [es:di + 14h], ax
	mov word [es:di + 16h], 1008h	; 8x16 character cell
	mov byte [es:di + 18h], 1	; planes
	mov al, [cs:si + VM8_BPP]
	mov [es:di + 19h], al
	mov byte [es:di + 1Ah], 1	; banks
	mov byte [es:di + 1Bh], 4	; packed pixel
	cmp al, 8
	je .pages
	mov byte [es:di + 1Bh], 6	; direct colour
	push si
	mov si, masks15
	cmp al, 15
	je .masks
	mov si, masks16
	cmp al, 16
	je .masks
	mov si, masks24
	cmp al, 24
	je .masks
	mov si, masks32
.masks:
	xor bx, bx
.mk:
	mov al, [cs:si + bx]
	mov [es:di + bx + 1Fh], al	; banked and linear fields alike
	mov [es:di + bx + 36h], al
	inc bx
	cmp bx, 8
	jb .mk
	pop si
.pages:
	; image pages: video memory / screen size - 1, at most 255 (the size
	; rounded up to 64 KiB, so never too many)
	call vbe_fits
	mov bx, dx
	mov al, VBEI_MEM64K
	call vbe_read
	xor dx, dx
	div bx
	dec ax
	cmp ax, 255
	jbe .pg
	mov ax, 255
.pg:
	mov [es:di + 1Dh], al
	mov [es:di + 34h], al
	mov [es:di + 35h], al
	mov byte [es:di + 1Eh], 1
	push ds
	mov ds, [BDA_EBDASEG]
	mov ax, [EBDA_VBE_LFB]
	mov dx, [EBDA_VBE_LFB + 2]
	pop ds
	mov [es:di + 28h], ax
	mov [es:di + 2Ah], dx
	jmp vbe_ok

; size, position for red, green, blue, reserved
masks15:	db 5, 10, 5, 5, 5, 0, 1, 15
masks16:	db 5, 11, 6, 5, 5, 0, 0, 0
masks24:	db 8, 16, 8, 8, 8, 0, 0, 0
masks32:	db 8, 16, 8, 8, 8, 0, 8, 24

; 02h: set mode BX (bit 14 linear framebuffer, bit 15 keep memory).
vbe_setmode:
	mov cx, [bp + F_BX]
	mov ax, cx
	and ax, 1FFh
	cmp ax, 100h
	jae .vbe
	; a standard VGA mode through AH=00h
	mov ah, 0
	test ch, 80h
	jz .std
	or al, 80h
.std:
	call v_setmode
	jmp vbe_ok
.vbe:
	call vbe_find
	jc .bad
	call vbe_fits
	jnc .go
.bad:
	jmp vbe_fail
.go:
	push si
	push cx
	; the VGA side in a 256-colour graphics state (DAC, chain-4), memory kept
	mov ax, 0093h
	call v_setmode
	pop cx
	pop si
	xor bx, bx
	mov al, VBEI_ENABLE
	call vbe_write
	mov bx, [cs:si + VM8_X]
	mov al, VBEI_XRES
	call vbe_write
	mov bx, [cs:si + VM8_Y]
	mov al, VBEI_YRES
	call vbe_write
	mov bl, [cs:si + VM8_BPP]
	xor bh, bh
	mov al, VBEI_BPP
	call vbe_write
	mov bx, VBEE_ENABLED
	test ch, 40h
	jz .nolfb
	or bl, VBEE_LFB
.nolfb:
	test ch, 80h
	jz .clear
	or bl, VBEE_NOCLEAR
.clear:
	mov al, VBEI_ENABLE
	call vbe_write
	call vbe_read
	test al, VBEE_ENABLED
	jz .bad
	and cx, 0C1FFh
	mov [BDA_VBEMODE], cx
	jmp vbe_ok

; 03h: BX = current mode.
vbe_getmode:
	mov ax, [BDA_VBEMODE]
	or ax, ax
	jnz .set
	mov al, [BDA_VMODE]
.set:
	mov [bp + F_BX], ax
	jmp vbe_ok

; 05h: BH = 0 set window BL to bank DX, 1 get it.  Also the far window
; function in the mode information.
vbe_bank:
	mov bx, [bp + F_BX]
	mov dx, [bp + F_DX]
	call vbe_bank_do
	jc vbe_fail
	mov [bp + F_DX], dx
	jmp vbe_ok

vbe_bank_far:
	push bx
	call vbe_bank_do
	pop bx
	mov ax, 004Fh
	jnc .r
	mov ax, 014Fh
.r:
	retf

vbe_bank_do:			; BH, BL, DX as for 05h; DX = bank on return
	cmp bl, 0
	jne .bad
	cmp bh, 1
	je .get
	ja .bad
	push ax
	push bx
	mov bx, dx
	mov al, VBEI_BANK
	call vbe_write
	pop bx
	pop ax
	clc
	ret
.get:
	push ax
	mov al, VBEI_BANK
	call vbe_read
	mov dx, ax
	pop ax
	clc
	ret
.bad:
	stc
	ret

; 06h: BL = 0 set width CX pixels, 1 get, 2 set CX bytes, 3 get maximum.
; Returns BX = bytes per line, CX = pixels, DX = lines.
vbe_scanline:
	mov cx, [BDA_VBEMODE]
	or cx, cx
	jnz .mode
	jmp vbe_badmode
.mode:
	call vbe_find
	call vbe_bytespp
	mov di, ax		; DI = bytes per pixel
	mov bl, [bp + F_BL]
	cmp bl, 3
	ja .bad
	je .max
	cmp bl, 1
	je .get
	mov cx, [bp + F_CX]
	cmp bl, 2
	jne .set
	mov ax, cx
	xor dx, dx
	div di
	mov cx, ax
.set:
	mov bx, cx
	mov al, VBEI_VWIDTH
	call vbe_write
	mov al, VBEI_VWIDTH
	call vbe_read
	cmp ax, cx		; refused (too narrow or too wide)
	jne .bad
.get:
	mov al, VBEI_VWIDTH
	call vbe_read
	mov [bp + F_CX], ax
	mul di
	mov [bp + F_BX], ax
	mov al, VBEI_VHEIGHT
	call vbe_read
	mov [bp + F_DX], ax
	jmp vbe_ok
.max:
	; 8192 pixels, or less so that one line of the mode's height fits
	mov ax, 8192
	mov [bp + F_CX], ax
	mul di
	mov [bp + F_BX], ax
	mov ax, [cs:si + VM8_Y]
	mov [bp + F_DX], ax
	jmp vbe_ok
.bad:
	jmp vbe_fail

; 07h: BL = 00h/80h set display start CX, DX; 01h get it.
vbe_start:
	cmp word [BDA_VBEMODE], 0
	jne .mode
	jmp vbe_badmode
.mode:
	mov al, [bp + F_BL]
	and al, 7Fh
	cmp al, 1
	je .get
	ja .bad
	mov bx, [bp + F_CX]
	mov al, VBEI_XOFF
	call vbe_write
	mov bx, [bp + F_DX]
	mov al, VBEI_YOFF
	call vbe_write
	jmp vbe_ok
.get:
	mov byte [bp + F_BH], 0
	mov al, VBEI_XOFF
	call vbe_read
	mov [bp + F_CX], ax
	mov al, VBEI_YOFF
	call vbe_read
	mov [bp + F_DX], ax
	jmp vbe_ok
.bad:
	jmp vbe_fail

; 08h: BL = 0 set the DAC width to BH (6 or 8) bits, 1 get; BH = width.
vbe_dacwidth:
	mov al, VBEI_ENABLE
	call vbe_read
	mov bx, ax
	mov al, [bp + F_BL]
	cmp al, 1
	je .get
	ja .bad
	and bl, ~VBEE_DAC8
	cmp byte [bp + F_BH], 8
	jb .six
	or bl, VBEE_DAC8
.six:
	or bl, VBEE_NOCLEAR
	mov al, VBEI_ENABLE
	call vbe_write
	call vbe_read
	mov bx, ax
.get:
	mov al, 6
	test bl, VBEE_DAC8
	jz .w
	mov al, 8
.w:
	mov [bp + F_BH], al
	jmp vbe_ok
.bad:
	jmp vbe_fail

; 09h: BL = 00h/80h set CX entries from DX out of ES:DI (blue, green,
; red, pad), 01h read them into ES:DI.
vbe_palette:
	mov cx, [bp + F_CX]
	mov ax, [bp + F_DX]
	mov di, [bp + F_DI]
	cmp ax, 256
	jae .bad
	add ax, cx
	cmp ax, 256
	ja .bad
	jcxz .ok
	mov bl, [bp + F_BL]
	and bl, 7Fh
	cmp bl, 1
	je .get
	ja .bad
	mov al, [bp + F_DX]
	mov dx, 3C8h
	out dx, al
	inc dx
.set:
	mov al, [es:di + 2]
	out dx, al
	mov al, [es:di + 1]
	out dx, al
	mov al, [es:di]
	out dx, al
	add di, 4
	loop .set
.ok:
	jmp vbe_ok
.get:
	mov al, [bp + F_DX]
	mov dx, 3C7h
	out dx, al
	add dx, 2
.g:
	in al, dx
	mov [es:di + 2], al
	in al, dx
	mov [es:di + 1], al
	in al, dx
	mov [es:di], al
	mov byte [es:di + 3], 0
	add di, 4
	loop .g
	jmp vbe_ok
.bad:
	jmp vbe_fail

; POST: the framebuffer address until PCI enumeration finds the BAR.
vbe_init:
	push es
	mov es, [BDA_EBDASEG]
	mov word [es:EBDA_VBE_LFB], 0
	mov word [es:EBDA_VBE_LFB + 2], 0E000h
	pop es
	ret

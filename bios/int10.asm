; tandem BIOS: INT 10h video services for the VGA text modes 0-3 and 7.
; Graphics modes are not supported: a mode set to one leaves the mode as is.

int10:
	sti
	cld
	FRAME_ENTER
	cmp ah, 4Fh
	je .vbe
	DISPATCH_AH v_table, V_COUNT, v_none
	FRAME_LEAVE
	iret
.vbe:
	call vbe_dispatch
	FRAME_LEAVE
	iret

v_table:
	dw v_setmode, v_curtype, v_setcur, v_getcur	; 00-03
	dw v_lightpen, v_setpage, v_scrollup, v_scrolldn	; 04-07
	dw v_readca, v_writeca, v_writec, v_palette	; 08-0B
	dw v_putpixel, v_getpixel, v_teletype, v_getmode	; 0C-0F
	dw v_pal10, v_font, v_altsel, v_string		; 10-13
	dw v_none, v_none, v_none, v_none		; 14-17
	dw v_none, v_none, v_dcc			; 18-1A
V_COUNT equ ($ - v_table) / 2

v_none:
	ret

; ---------------------------------------------------------------- helpers

; ES = segment of the video buffer of the current mode.  Clobbers AX.
vid_seg:
	mov ax, 0A000h
	cmp byte [BDA_VCLASS], VC_PLANAR
	jae .set
	mov ah, 0B8h
	cmp byte [BDA_VMODE], 7
	jne .set
	mov ah, 0B0h
.set:
	mov es, ax
	ret

; DI = offset of the cell at row DH, column DL of page BH.
cell_offset:
	push ax
	push dx
	mov al, bh
	and ax, 7
	mul word [BDA_VPAGESZ]
	mov di, ax
	pop dx
	push dx
	mov al, dh
	mul byte [BDA_VCOLS]
	add al, dl
	adc ah, 0
	shl ax, 1
	add di, ax
	pop dx
	pop ax
	ret

; CRTC register AL := AH.
crtc_write:
	push dx
	mov dx, [BDA_VCRTC]
	out dx, al
	inc dx
	xchg al, ah
	out dx, al
	xchg al, ah
	pop dx
	ret

; Move the hardware cursor to the stored position of the active page.
set_hw_cursor:
	push ax
	push bx
	push dx
	mov bl, [BDA_VPAGE]
	and bx, 7
	shl bx, 1
	mov dx, [BDA_VCURPOS + bx]
	mov al, dh
	mul byte [BDA_VCOLS]
	xor dh, dh
	add ax, dx
	mov bx, [BDA_VPAGEOFS]
	shr bx, 1
	add bx, ax
	mov al, 0Eh
	mov ah, bh
	call crtc_write
	mov al, 0Fh
	mov ah, bl
	call crtc_write
	pop dx
	pop bx
	pop ax
	ret

; Program CRTC cursor start/end from the CGA/MDA style shape in CX (CH start,
; CL end).  Shapes drawn for 8-line (CGA) or 14-line (MDA) cells are scaled to
; the 16-line cells of the VGA text modes, as VGA BIOSes do.
set_hw_cursor_shape:
	push ax
	push cx
	test ch, 20h
	jnz .hidden
	and cx, 1F1Fh
	cmp cl, 7
	ja .mda
	cmp ch, cl
	ja .write
	shl cl, 1
	or ch, ch
	jz .write
	shl ch, 1
	inc ch
	jmp .write
.mda:
	cmp cl, 13
	ja .write
	cmp ch, cl
	ja .write
	add cl, 2
	cmp ch, 8
	jb .write
	add ch, 2
	jmp .write
.hidden:
	mov cx, 2000h
.write:
	mov al, 0Ah
	mov ah, ch
	call crtc_write
	mov al, 0Bh
	mov ah, cl
	call crtc_write
	pop cx
	pop ax
	ret

; ---------------------------------------------------------------- mode set

%include "vmodes.asm"

; Index port DX: register AL := AH.
out_idx:
	out dx, al
	inc dx
	xchg al, ah
	out dx, al
	xchg al, ah
	dec dx
	ret

; Load the VGA registers from the table at CS:SI.
vga_load_regs:
	push ax
	push cx
	push dx
	mov dx, 3C4h
	mov ax, 0100h		; synchronous reset while the clock changes
	call out_idx
	cs lodsb
	mov dl, 0C2h
	out dx, al
	mov dl, 0C4h
	mov cx, 4
	mov al, 1
.seq:
	mov ah, [cs:si]
	inc si
	call out_idx
	inc al
	loop .seq
	mov ax, 0300h
	call out_idx
	mov dx, [BDA_VCRTC]
	mov ax, 0011h		; unlock CRTC registers 0-7
	call out_idx
	mov cx, 25
	xor al, al
.crtc:
	mov ah, [cs:si]
	inc si
	call out_idx
	inc al
	loop .crtc
	add dx, 6		; input status 1 resets the attribute flip-flop
	in al, dx
	mov dx, 3C0h
	mov cx, 20
	xor ah, ah
.attr:
	mov al, ah
	out dx, al
	cs lodsb
	out dx, al
	inc ah
	loop .attr
	mov al, 14h
	out dx, al
	xor al, al
	out dx, al
	mov dx, 3CEh
	mov cx, 9
	xor al, al
.gc:
	mov ah, [cs:si]
	inc si
	call out_idx
	inc al
	loop .gc
	pop dx
	pop cx
	pop ax
	ret

%macro DAC_COMPONENT 2	; CH = index; bit worth 2/3, bit worth 1/3
	xor al, al
	test ch, %1
	jz %%a
	add al, 2Ah
%%a:
	test ch, %2
	jz %%b
	add al, 15h
%%b:
	out dx, al
%endmacro

; Load the DAC for palette type AH: DAC_EGA (the 64 EGA colours), DAC_MONO
; (grey levels), DAC_CGA (16 CGA colours repeated: bit 4 is intensity, as
; the 200-line modes use them), DAC_256 (16 CGA colours, 16 greys, a 6x6x6
; colour cube).  Entries not set are black.
vga_load_dac:
	push ax
	push bx
	push cx
	push dx
	mov dx, 3C8h
	mov al, 0
	out dx, al
	inc dx
	xor cx, cx		; CH = index
	cmp ah, DAC_MONO
	je .mono
	cmp ah, DAC_CGA
	je .cga
	cmp ah, DAC_256
	je .vga256
.col:
	DAC_COMPONENT 04h, 20h
	DAC_COMPONENT 02h, 10h
	DAC_COMPONENT 01h, 08h
	inc ch
	cmp ch, 64
	jb .col
	jmp .rest
.mono:
	DAC_COMPONENT 08h, 10h
	DAC_COMPONENT 08h, 10h
	DAC_COMPONENT 08h, 10h
	inc ch
	cmp ch, 64
	jb .mono
	jmp .rest
.cga:
	mov bl, 10h
	call cga_rgb
	inc ch
	cmp ch, 64
	jb .cga
	jmp .rest
.vga256:
	mov bl, 08h
	call cga_rgb
	inc ch
	cmp ch, 16
	jb .vga256
.grey:
	mov al, ch
	sub al, 16
	mov ah, al
	shl al, 1
	shl al, 1
	shr ah, 1
	shr ah, 1
	or al, ah		; 0-15 -> 0-63
	out dx, al
	out dx, al
	out dx, al
	inc ch
	cmp ch, 32
	jb .grey
.cube:
	mov al, ch
	sub al, 32
	xor ah, ah
	mov bl, 36
	div bl			; AL = red, AH = green * 6 + blue
	mov bl, al
	xor bh, bh
	mov al, [cs:cube_levels + bx]
	out dx, al
	mov al, ah
	xor ah, ah
	mov bl, 6
	div bl
	mov bl, al
	mov al, [cs:cube_levels + bx]
	out dx, al
	mov bl, ah
	mov al, [cs:cube_levels + bx]
	out dx, al
	inc ch
	cmp ch, 248
	jb .cube
	mov cx, 8 * 3
	jmp .zero
.rest:
	mov cx, 192 * 3
.zero:
	xor al, al
.z:
	out dx, al
	loop .z
	pop dx
	pop cx
	pop bx
	pop ax
	ret

cube_levels:
	db 0, 12, 25, 38, 50, 63

; Out to DX the red, green, blue of CGA colour CH (bits 0-2 blue, green,
; red at 2/3; bit BL intensity at 1/3; colour 6 is brown, not dark yellow).
cga_rgb:
	xor ah, ah
	test ch, bl
	jz .dim
	mov ah, 15h
.dim:
	mov al, ah
	test ch, 04h
	jz .r
	add al, 2Ah
.r:
	out dx, al
	mov al, ah
	test ch, 02h
	jz .g
	add al, 2Ah
	or ah, ah
	jnz .g			; intensity on: yellow
	test ch, 05h		; red and green without blue
	jz .g
	test ch, 01h
	jnz .g
	test ch, 04h
	jz .g
	mov al, 15h		; brown
.g:
	out dx, al
	mov al, ah
	test ch, 01h
	jz .b
	add al, 2Ah
.b:
	out dx, al
	ret

; AH=00h: AL = mode (bit 7: keep the screen contents).
v_setmode:
	call vbe_off
	push ax
	and al, 7Fh
	call vmode_record
	jc .bad
	mov [BDA_VMODE], al
	mov al, [cs:bx + VM_CLASS]
	mov [BDA_VCLASS], al
	mov al, [cs:bx + VM_COLS]
	xor ah, ah
	mov [BDA_VCOLS], ax
	mov al, [cs:bx + VM_ROWS]
	mov [BDA_VROWS], al
	mov al, [cs:bx + VM_CHARH]
	mov [BDA_VCHARH], ax
	mov ax, [cs:bx + VM_PAGESZ]
	mov [BDA_VPAGESZ], ax
	mov al, [cs:bx + VM_MODEREG]
	mov [BDA_VMODEREG], al
	mov si, [cs:bx + VM_REGS]
	mov byte [BDA_VPALETTE], 30h
	mov dx, 3D4h
	mov cx, 0607h
	cmp byte [BDA_VMODE], 7
	jne .crtc
	mov dl, 0B4h
	mov cx, 0B0Ch
.crtc:
	mov [BDA_VCRTC], dx
	mov [BDA_VCURTYPE], cx
	xor ax, ax
	mov [BDA_VPAGEOFS], ax
	mov [BDA_VPAGE], al
	mov di, BDA_VCURPOS
	push es
	push ds
	pop es
	mov cx, 8
	rep stosw
	pop es
	mov byte [BDA_VEGAMISC], 60h
	mov byte [BDA_VEGASW], 09h
	mov byte [BDA_VVGAFLAGS], 11h
	mov byte [BDA_VDCC], 0Bh

	call vga_load_regs
	mov ah, [cs:bx + VM_DAC]
	call vga_load_dac
	cmp byte [BDA_VCLASS], VC_TEXT
	jne .nofont
	call font_load
.nofont:
	; CGA/MDA mode control and colour select, for boards with those cards
	mov dx, [BDA_VCRTC]
	add dx, 4
	mov al, [BDA_VMODEREG]
	out dx, al
	inc dx
	mov al, [BDA_VPALETTE]
	out dx, al
	; video on: set the palette address source bit
	inc dx
	in al, dx
	mov dx, 3C0h
	mov al, 20h
	out dx, al

	mov cx, [BDA_VCURTYPE]
	call set_hw_cursor_shape
	mov ax, 000Ch
	call crtc_write
	mov al, 0Dh
	call crtc_write
	call set_hw_cursor
	pop ax
	test al, 80h
	jnz .done
	call vid_seg
	xor di, di
	mov cx, 4000h
	xor ax, ax
	cmp byte [BDA_VCLASS], VC_TEXT
	jne .clear
	mov ax, 0720h
.clear:
	rep stosw
	cmp byte [BDA_VCLASS], VC_PLANAR
	jb .done
	mov cx, 4000h		; A000h: the whole 64 KiB window
	rep stosw
.done:
	ret
.bad:
	pop ax
	ret

; AH=01h: CH/CL cursor start/end line.
v_curtype:
	mov [BDA_VCURTYPE], cx
	jmp set_hw_cursor_shape

; AH=02h: BH page, DH row, DL column.
v_setcur:
	mov bl, bh
	and bx, 7
	shl bx, 1
	mov [BDA_VCURPOS + bx], dx
	shr bx, 1
	cmp bl, [BDA_VPAGE]
	jne .done
	call set_hw_cursor
.done:
	ret

; AH=03h: BH page -> DX position, CX cursor shape.
v_getcur:
	mov bl, bh
	and bx, 7
	shl bx, 1
	mov ax, [BDA_VCURPOS + bx]
	mov [bp + F_DX], ax
	mov ax, [BDA_VCURTYPE]
	mov [bp + F_CX], ax
	ret

v_lightpen:
	mov byte [bp + F_AH], 0
	ret

; AH=05h: AL = page.
v_setpage:
	and al, 7
	mov [BDA_VPAGE], al
	xor ah, ah
	mul word [BDA_VPAGESZ]
	mov [BDA_VPAGEOFS], ax
	shr ax, 1
	mov bx, ax
	mov al, 0Ch
	mov ah, bh
	call crtc_write
	mov al, 0Dh
	mov ah, bl
	call crtc_write
	jmp set_hw_cursor

; A scroll window CH/CL-DH/DL clipped to the screen (bottom right pulled in to the
; last row and column); CF set when nothing of it is left.
scroll_clip:
	push ax
	mov al, [BDA_VROWS]
	cmp dh, al
	jbe .rowok
	mov dh, al
.rowok:
	mov al, [BDA_VCOLS]
	dec al
	cmp dl, al
	jbe .colok
	mov dl, al
.colok:
	pop ax
	cmp dh, ch
	jb .empty
	cmp dl, cl
	jb .empty
	clc
	ret
.empty:
	stc
	ret

; AH=06h/07h: AL lines (0 = blank the window), BH fill attribute, CH/CL top
; left, DH/DL bottom right, on the active page.
v_scrollup:
	mov ah, 0
	jmp short v_scroll
v_scrolldn:
	mov ah, 1
v_scroll:
	mov bl, [BDA_VPAGE]
	; fall through

; AL lines, AH direction (0 up), BH attribute, BL page, CX, DX window.
scroll_window:
	cmp byte [BDA_VCLASS], VC_TEXT
	je .text
	jmp gfx_scroll
.text:
	push ax
	push bx
	push cx
	push dx
	push si
	push di
	push es
	call scroll_clip
	jc .out
	; SI/DI bookkeeping: height in DH, width in DL after this
	sub dh, ch
	inc dh
	sub dl, cl
	inc dl
	or al, al
	jz .all
	cmp al, dh
	jb .some
.all:
	mov al, dh
.some:
	push bx
	mov bh, bl		; page
	push dx
	mov dx, cx		; DH top row, DL left column
	call cell_offset	; DI = top-left of the window
	pop dx
	pop bx			; BH attribute
	push ax
	call vid_seg
	pop ax
	mov si, [BDA_VCOLS]
	shl si, 1		; SI = bytes per row
	push ds
	push es
	pop ds			; DS = video memory from here on
	mov bl, dh
	sub bl, al		; BL = rows to move
	mov cl, dl
	xor ch, ch		; CX = width
	or ah, ah
	jnz .down
	; up: row r gets row r+AL, top to bottom
	push ax
	xor ah, ah
	mul si			; AX = AL rows in bytes
	mov dx, ax		; DX = distance between source and destination
	pop ax
.uploop:
	or bl, bl
	jz .upfill
	push si
	push di
	push cx
	mov si, di
	add si, dx
	rep movsw
	pop cx
	pop di
	pop si
	add di, si
	dec bl
	jmp .uploop
.upfill:
	mov bl, al
	jmp .fill
.down:
	; start at the bottom row of the window and move rows down
	push ax
	mov al, dh
	dec al
	xor ah, ah
	mul si
	add di, ax		; DI = bottom row
	pop ax
	push ax
	xor ah, ah
	mul si
	mov dx, ax
	pop ax
.dnloop:
	or bl, bl
	jz .dnfill
	push si
	push di
	push cx
	mov si, di
	sub si, dx
	rep movsw
	pop cx
	pop di
	pop si
	sub di, si
	dec bl
	jmp .dnloop
.dnfill:
	mov bl, al
	neg si			; fill upwards
.fill:
	; BL rows starting at DI, stepping SI bytes
	mov ah, bh
	mov al, ' '
.fillrow:
	or bl, bl
	jz .done
	push di
	push cx
	rep stosw
	pop cx
	pop di
	add di, si
	dec bl
	jmp .fillrow
.done:
	pop ds
.out:
	pop es
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; AH=08h: BH page -> AL character, AH attribute at the cursor.
v_readca:
	cmp byte [BDA_VCLASS], VC_TEXT
	je .text
	mov word [bp + F_AX], 0		; graphics: characters are not read back
	ret
.text:
	mov bl, bh
	and bx, 0007h
	shl bx, 1
	mov dx, [BDA_VCURPOS + bx]
	call cell_offset
	call vid_seg
	mov ax, [es:di]
	mov [bp + F_AX], ax
	ret

; AH=09h/0Ah: AL character, BL attribute (09h only), BH page, CX count.  The
; cells run on past the end of the line like the IBM BIOS, but never past the
; 32 KiB text buffer.
v_writeca:
	mov ah, bl
	mov si, 1
	jmp short v_write
v_writec:
	xor si, si
v_write:
	cmp byte [BDA_VCLASS], VC_TEXT
	je .text
	jmp gfx_write
.text:
	push ax
	mov bl, bh
	and bx, 0007h
	shl bx, 1
	mov dx, [BDA_VCURPOS + bx]
	call cell_offset
	call vid_seg
	pop ax
	jcxz .done
.next:
	cmp di, 8000h
	jae .done
	mov [es:di], al
	or si, si
	jz .skip
	mov [es:di + 1], ah
.skip:
	add di, 2
	loop .next
.done:
	ret

; AH=0Bh: BH=0 border colour BL, BH=1 CGA palette BL.  Only recorded in the
; BDA and, for the border, the VGA overscan register.
v_palette:
	mov al, [BDA_VPALETTE]
	or bh, bh
	jnz .pal
	cmp byte [BDA_VCLASS], VC_CGA4
	jne .border
	and al, 0E0h
	and bl, 1Fh
	or al, bl
	mov [BDA_VPALETTE], al
	jmp cga_palette
.border:
	and al, 0E0h
	and bl, 1Fh
	or al, bl
	mov [BDA_VPALETTE], al
	mov ah, bl
	mov al, 11h
	jmp attr_write
.pal:
	and al, 0DFh
	test bl, 1
	jz .set
	or al, 20h
.set:
	mov [BDA_VPALETTE], al
	cmp byte [BDA_VCLASS], VC_CGA4
	je cga_palette
	ret

; Attribute registers 0-3 of modes 04h/05h from BDA 0466h: bits 0-3
; background, bit 4 bright foreground, bit 5 palette 1 (cyan, magenta,
; white) or 0 (green, red, brown).
cga_palette:
	mov bl, [BDA_VPALETTE]
	mov ah, bl
	and ah, 07h
	test bl, 08h
	jz .bg
	or ah, 10h
.bg:
	xor al, al
	call attr_write
	mov ah, 2
	test bl, 20h
	jz .first
	inc ah
.first:
	test bl, 10h
	jz .colours
	or ah, 10h
.colours:
	mov al, 1
.reg:
	call attr_write
	add ah, 2
	inc al
	cmp al, 3
	jbe .reg
	ret

; Attribute controller register AL := AH (leaves the display enabled).
attr_write:
	push dx
	push ax
	mov dx, [BDA_VCRTC]
	add dx, 6
	in al, dx
	mov dx, 3C0h
	pop ax
	out dx, al
	xchg al, ah
	out dx, al
	xchg al, ah
	push ax
	mov al, 20h
	out dx, al
	pop ax
	pop dx
	ret

; Attribute controller register AL -> AH.
attr_read:
	push dx
	push ax
	mov dx, [BDA_VCRTC]
	add dx, 6
	in al, dx
	mov dx, 3C0h
	pop ax
	out dx, al
	inc dx
	xchg al, ah
	in al, dx
	xchg al, ah
	dec dx
	push ax
	mov al, 20h
	out dx, al
	pop ax
	pop dx
	ret

; AH=0Eh: teletype AL on the active page.
v_teletype:
	mov bh, [BDA_VPAGE]
	xor ah, ah
	jmp tty_out

; Write AL at the cursor of page BH as a teletype would: BEL, BS, LF, CR
; act, anything else is stored (with attribute BL when AH=1), the cursor
; advances and wraps, and the page scrolls at the bottom.
tty_out:
	push ax
	push bx
	push cx
	push dx
	push di
	push es
	push bx
	and bh, 7
	mov bl, bh
	xor bh, bh
	shl bx, 1
	mov dx, [BDA_VCURPOS + bx]
	mov cx, bx		; CX = page * 2
	pop bx
	and bh, 7
	cmp al, 07h
	je .bel
	cmp al, 08h
	je .bs
	cmp al, 0Ah
	je .lf
	cmp al, 0Dh
	je .cr
	cmp byte [BDA_VCLASS], VC_TEXT
	je .textchar
	call gfx_char		; graphics: BL is the colour
	jmp .noattr
.textchar:
	call cell_offset
	push ax
	call vid_seg
	pop ax
	mov [es:di], al
	or ah, ah
	jz .noattr
	mov [es:di + 1], bl
.noattr:
	inc dl
	cmp dl, [BDA_VCOLS]
	jb .store
	xor dl, dl
.lf:
	inc dh
	cmp dh, [BDA_VROWS]
	jbe .store
	mov dh, [BDA_VROWS]
	; new line takes the attribute of the cell at the cursor
	push dx
	xor dl, dl
	call cell_offset
	call vid_seg
	mov ah, [es:di + 1]
	cmp byte [BDA_VCLASS], VC_TEXT
	je .scroll
	xor ah, ah		; graphics: the new line is background
.scroll:
	mov al, 1
	push bx
	mov bl, bh
	mov bh, ah
	xor ah, ah
	push cx
	xor cx, cx
	mov dh, [BDA_VROWS]
	mov dl, [BDA_VCOLS]
	dec dl
	call scroll_window
	pop cx
	pop bx
	pop dx
	jmp .store
.bs:
	or dl, dl
	jz .store
	dec dl
	jmp .store
.cr:
	xor dl, dl
	jmp .store
.bel:
	call beep
	jmp .out
.store:
	mov bx, cx
	mov [BDA_VCURPOS + bx], dx
	shr bx, 1
	cmp bl, [BDA_VPAGE]
	jne .out
	call set_hw_cursor
.out:
	pop es
	pop di
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; AH=0Fh: AL mode, AH columns, BH active page.
v_getmode:
	mov al, [BDA_VMODE]
	mov ah, [BDA_VCOLS]
	mov [bp + F_AX], ax
	mov al, [BDA_VPAGE]
	mov [bp + F_BH], al
	ret

; AH=10h: palette registers and DAC.
v_pal10:
	cmp al, 00h
	je .setone
	cmp al, 01h
	je .overscan
	cmp al, 02h
	je .setall
	cmp al, 03h
	je .blink
	cmp al, 07h
	je .getone
	cmp al, 08h
	je .getover
	cmp al, 10h
	je .setdac
	cmp al, 12h
	je .setblock
	cmp al, 15h
	je .getdac
	cmp al, 17h
	je .getblock
	ret
.setone:
	mov al, bl
	and al, 1Fh
	mov ah, bh
	jmp attr_write
.overscan:
	mov al, 11h
	mov ah, bh
	jmp attr_write
.setall:
	mov si, dx
	xor al, al
.all:
	mov ah, [es:si]
	inc si
	call attr_write
	inc al
	cmp al, 11h
	jbe .all
	ret
.blink:
	mov al, 10h
	call attr_read
	and ah, 0F7h
	test bl, 1
	jz .bset
	or ah, 08h
.bset:
	call attr_write
	mov al, [BDA_VMODEREG]
	and al, 0DFh
	test bl, 1
	jz .bmr
	or al, 20h
.bmr:
	mov [BDA_VMODEREG], al
	ret
.getone:
	mov al, bl
	and al, 1Fh
	call attr_read
	mov [bp + F_BH], ah
	ret
.getover:
	mov al, 11h
	call attr_read
	mov [bp + F_BH], ah
	ret
.setdac:
	mov al, bl
	mov dx, 3C8h
	out dx, al
	inc dx
	mov al, [bp + F_DH]
	out dx, al
	mov al, ch
	out dx, al
	mov al, cl
	out dx, al
	ret
.setblock:
	mov si, dx
	mov al, bl
	mov dx, 3C8h
	out dx, al
	inc dx
.sb:
	jcxz .sbdone
	es lodsb
	out dx, al
	es lodsb
	out dx, al
	es lodsb
	out dx, al
	dec cx
	jmp .sb
.sbdone:
	ret
.getdac:
	mov al, bl
	mov dx, 3C7h
	out dx, al
	mov dl, 0C9h
	in al, dx
	mov [bp + F_DH], al
	in al, dx
	mov [bp + F_CH], al
	in al, dx
	mov [bp + F_CL], al
	ret
.getblock:
	mov di, dx
	mov al, bl
	mov dx, 3C7h
	out dx, al
	mov dl, 0C9h
.gb:
	jcxz .gbdone
	in al, dx
	stosb
	in al, dx
	stosb
	in al, dx
	stosb
	dec cx
	jmp .gb
.gbdone:
	ret

; AH=11h: only AL=30h (font information) is answered.
v_font:
	cmp al, 30h
	jne .done
	mov ax, [BDA_VCHARH]
	mov [bp + F_CX], ax
	mov al, [BDA_VROWS]
	mov [bp + F_DL], al
	call font_pointer	; ES:DI
	mov [bp + F_ES], es
	mov [bp + F_BP], di
.done:
	ret

; AH=12h: BL=10h EGA information; BL=30h-36h accepted.
v_altsel:
	cmp bl, 10h
	jne .other
	xor ax, ax
	cmp byte [BDA_VMODE], 7
	jne .col
	inc ah
.col:
	mov al, 03h		; 256 KiB
	mov [bp + F_BX], ax
	mov word [bp + F_CX], 0009h
	ret
.other:
	cmp bl, 30h
	jb .done
	cmp bl, 36h
	ja .done
	mov byte [bp + F_AL], 12h
.done:
	ret

; AH=13h: write string ES:BP (frame), CX length, DH/DL position, BH page,
; BL attribute, AL bit 0 move cursor, bit 1 string holds char/attr pairs.
v_string:
	mov si, [bp + F_BP]
	push bx
	mov bl, bh
	and bx, 7
	shl bx, 1
	mov di, bx
	pop bx
	push word [BDA_VCURPOS + di]	; cursor to restore unless AL bit 0
	mov [BDA_VCURPOS + di], dx
	mov dl, al
	jcxz .end
.next:
	mov al, [es:si]
	inc si
	test dl, 2
	jz .noattr
	mov bl, [es:si]
	inc si
.noattr:
	mov ah, 1
	cmp al, 07h
	je .ctl
	cmp al, 08h
	je .ctl
	cmp al, 0Ah
	je .ctl
	cmp al, 0Dh
	jne .put
.ctl:
	xor ah, ah
.put:
	call tty_out
	loop .next
.end:
	pop ax
	test dl, 1
	jnz .keep
	mov [BDA_VCURPOS + di], ax
	shr di, 1
	mov ax, di
	cmp al, [BDA_VPAGE]
	jne .keep
	call set_hw_cursor
.keep:
	ret

; AH=1Ah: display combination code: VGA with colour or mono display.
v_dcc:
	cmp al, 1
	ja .done
	mov byte [bp + F_AL], 1Ah
	or al, al
	jnz .done
	mov ax, 0008h
	cmp byte [BDA_VMODE], 7
	jne .col
	mov al, 07h
.col:
	mov [bp + F_BX], ax
.done:
	ret

; tandem BIOS: INT 10h in the graphics modes (04h-06h, 0Dh-13h): pixels,
; characters drawn from the 8x8 font, scrolling.  Only page 0 is drawn on.

; DI = offset of byte DI of scan line AX in the current mode.  Uses AX, DX.
gfx_line_addr:
	cmp byte [BDA_VCLASS], VC_CGA2
	ja .linear
	shr ax, 1		; CGA: odd lines live 2000h further on
	jnc .even
	add di, 2000h
.even:
	mov dx, 80
	mul dx
	add di, ax
	ret
.linear:
	mov dx, 320
	cmp byte [BDA_VCLASS], VC_256
	je .stride
	mov dx, [BDA_VCOLS]
.stride:
	mul dx
	add di, ax
	ret

; AX := AX * bytes a character cell takes on one scan line.
gfx_bpc_mul:
	cmp byte [BDA_VCLASS], VC_CGA4
	jne .not4
	shl ax, 1
	ret
.not4:
	cmp byte [BDA_VCLASS], VC_256
	jne .done
	shl ax, 1
	shl ax, 1
	shl ax, 1
.done:
	ret

; Graphics controller register AL := AH.
gc_write:
	push dx
	mov dx, 3CEh
	call out_idx
	pop dx
	ret

; Draw glyph row AL at ES:DI in colour BL (bit 7: XOR, except in 13h).
gfx_glyph_row:
	push ax
	push bx
	push cx
	push dx
	mov bh, al
	mov al, [BDA_VCLASS]
	cmp al, VC_CGA4
	je .cga4
	cmp al, VC_CGA2
	je .cga2
	cmp al, VC_PLANAR
	je .planar
	mov cx, 8		; 256 colours: background 0
.p256:
	xor al, al
	shl bh, 1
	jnc .bg
	mov al, bl
.bg:
	stosb
	loop .p256
	jmp .out
.cga4:
	xor dx, dx
	mov cx, 8
	mov ah, bl
	and ah, 3
.expand:
	shl dx, 1
	shl dx, 1
	shl bh, 1
	jnc .zero
	or dl, ah
.zero:
	loop .expand
	test bl, 80h
	jnz .xor4
	mov [es:di], dh
	mov [es:di + 1], dl
	jmp .out
.xor4:
	xor [es:di], dh
	xor [es:di + 1], dl
	jmp .out
.cga2:
	test bl, 1
	jnz .on
	xor bh, bh
.on:
	test bl, 80h
	jnz .xor2
	mov [es:di], bh
	jmp .out
.xor2:
	xor [es:di], bh
	jmp .out
.planar:
	; set/reset is enabled for all planes (gfx_char): the bit mask picks
	; the dots, the latches keep the others
	test bl, 80h
	jnz .draw
	mov ax, 0000h		; colour 0 over the whole byte first
	call gc_write
	mov ax, 0FF08h
	call gc_write
	mov al, [es:di]
	mov [es:di], al
.draw:
	mov ah, bl
	and ah, 0Fh
	xor al, al
	call gc_write
	mov ah, bh
	mov al, 08h
	call gc_write
	mov al, [es:di]
	mov [es:di], al
.out:
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; Draw character AL in colour BL at row DH, column DL.
gfx_char:
	push ax
	push bx
	push cx
	push dx
	push si
	push di
	push es
	push bp
	mov bp, sp
	sub sp, 4		; [bp-2] byte column, [bp-4] first scan line
	push ax
	call vid_seg
	pop ax
	xor ah, ah
	mov si, ax
	mov cl, 3
	shl si, cl
	add si, font8x8
	mov ch, [BDA_VCHARH]
	mov al, dh
	mul ch
	mov [bp - 4], ax
	mov al, dl
	xor ah, ah
	call gfx_bpc_mul
	mov [bp - 2], ax
	cmp byte [BDA_VCLASS], VC_PLANAR
	jne .start
	mov ax, 0F01h		; set/reset on for every plane
	call gc_write
	mov ax, 0003h		; replace, or XOR for colours with bit 7
	test bl, 80h
	jz .fn
	mov ah, 18h
.fn:
	call gc_write
.start:
	xor cl, cl
.line:
	cmp cl, ch
	jae .done
	mov al, cl
	cmp ch, 8
	je .g8
	shr al, 1		; taller cells: every font row twice
.g8:
	xor ah, ah
	push si
	add si, ax
	mov al, [cs:si]
	pop si
	push ax
	mov ax, [bp - 4]
	add al, cl
	adc ah, 0
	mov di, [bp - 2]
	call gfx_line_addr
	pop ax
	call gfx_glyph_row
	inc cl
	jmp .line
.done:
	cmp byte [BDA_VCLASS], VC_PLANAR
	jne .out
	call gc_defaults
.out:
	mov sp, bp
	pop bp
	pop es
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; Graphics controller back to what the planar modes expect.
gc_defaults:
	push ax
	mov ax, 0000h
	call gc_write
	mov ax, 0001h
	call gc_write
	mov ax, 0003h
	call gc_write
	mov ax, 0005h
	call gc_write
	mov ax, 0FF08h
	call gc_write
	pop ax
	ret

; AH=09h/0Ah in graphics: AL character, BL colour, CX count from the cursor
; of the active page, wrapping at the line end, stopping at the screen end.
gfx_write:
	mov si, [BDA_VPAGE]
	and si, 7
	shl si, 1
	mov dx, [BDA_VCURPOS + si]
	jcxz .done
.next:
	call gfx_char
	inc dl
	cmp dl, [BDA_VCOLS]
	jb .same
	xor dl, dl
	inc dh
	cmp dh, [BDA_VROWS]
	ja .done
.same:
	loop .next
.done:
	ret

; Scroll a window of character cells: AL lines (0 = all), AH 0 up / 1 down,
; BH fill colour, CH/CL top left, DH/DL bottom right.
gfx_scroll:
	push ax
	push bx
	push cx
	push dx
	push si
	push di
	push es
	push bp
	mov bp, sp
	sub sp, 8		; [bp-2] bytes a line, [bp-4] byte column,
				; [bp-6] cell height, [bp-8] fill byte
	call scroll_clip
	jc .out
	push ax
	call vid_seg
	mov ax, [BDA_VCHARH]
	mov [bp - 6], ax
	mov al, dl
	sub al, cl
	inc al
	xor ah, ah
	call gfx_bpc_mul
	mov [bp - 2], ax
	mov al, cl
	xor ah, ah
	call gfx_bpc_mul
	mov [bp - 4], ax
	; the fill byte: the colour repeated over a byte's pixels
	mov al, bh
	mov ah, [BDA_VCLASS]
	cmp ah, VC_CGA4
	jne .f2
	and al, 3
	mov ah, 55h
	mul ah
	jmp .fset
.f2:
	cmp ah, VC_CGA2
	jne .fset
	and al, 1
	neg al			; 1 -> FFh
.fset:
	mov [bp - 8], al
	cmp byte [BDA_VCLASS], VC_PLANAR
	jne .go
	mov ah, bh
	and ah, 0Fh
	xor al, al
	call gc_write		; set/reset = fill colour
	mov ax, 0F01h
	call gc_write
	mov ax, 0105h		; write mode 1: copy through the latches
	call gc_write
.go:
	pop ax
	mov bl, dh
	sub bl, ch
	inc bl			; BL = window height
	or al, al
	jz .all
	cmp al, bl
	jb .some
.all:
	mov al, bl
.some:
	or ah, ah
	jnz .down
	; up: row r takes row r + AL
	mov bl, ch
.uloop:
	mov bh, bl
	add bh, al
	cmp bh, dh
	jbe .ucopy
	mov bh, 0FFh
.ucopy:
	push ax
	mov al, bl
	mov ah, bh
	call gfx_rowop
	pop ax
	inc bl
	cmp bl, dh
	jbe .uloop
	jmp .restore
.down:
	mov bl, dh
.dloop:
	mov bh, 0FFh
	mov ah, bl
	sub ah, al
	jb .dcopy
	cmp ah, ch
	jb .dcopy
	mov bh, ah
.dcopy:
	push ax
	mov al, bl
	mov ah, bh
	call gfx_rowop
	pop ax
	cmp bl, ch
	je .restore
	dec bl
	jmp .dloop
.restore:
	cmp byte [BDA_VCLASS], VC_PLANAR
	jne .out
	call gc_defaults
.out:
	mov sp, bp
	pop bp
	pop es
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; One cell row of a gfx_scroll window: row AL takes row AH (FFh: fill).
gfx_rowop:
	push ax
	push bx
	push cx
	push dx
	push si
	push di
	mov bx, ax
	xor cx, cx		; scan line within the cell
.line:
	cmp cx, [bp - 6]
	jae .done
	mov al, bl
	mul byte [bp - 6]
	add ax, cx
	mov di, [bp - 4]
	call gfx_line_addr
	cmp bh, 0FFh
	je .fill
	push di
	mov al, bh
	mul byte [bp - 6]
	add ax, cx
	mov di, [bp - 4]
	call gfx_line_addr
	mov si, di
	pop di
	push cx
	mov cx, [bp - 2]
	push ds
	push es
	pop ds
	rep movsb
	pop ds
	pop cx
	jmp .next
.fill:
	push cx
	cmp byte [BDA_VCLASS], VC_PLANAR
	jne .fillb
	mov ax, 0005h		; write mode 0: set/reset colour
	call gc_write
.fillb:
	mov cx, [bp - 2]
	mov al, [bp - 8]
	rep stosb
	cmp byte [BDA_VCLASS], VC_PLANAR
	jne .filled
	mov ax, 0105h
	call gc_write
.filled:
	pop cx
.next:
	inc cx
	jmp .line
.done:
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; Address of pixel CX, DX: ES:DI, BL = bit mask (or, for CGA4, the shift of
; its two bits).  CF set outside the screen or in a text mode.
gfx_pixel_addr:
	cmp byte [BDA_VCLASS], VC_TEXT
	jbe .no
	mov ax, [BDA_VCOLS]
	push cx
	mov cl, 3
	shl ax, cl
	pop cx
	cmp cx, ax
	jae .no
	mov al, [BDA_VROWS]
	inc al
	mul byte [BDA_VCHARH]
	cmp dx, ax
	jae .no
	call vid_seg
	mov ax, dx
	mov di, cx
	mov bl, [BDA_VCLASS]
	cmp bl, VC_256
	je .addr
	push cx
	mov cl, 3
	cmp bl, VC_CGA4
	jne .shift
	dec cl
.shift:
	shr di, cl
	pop cx
	push dx
	call gfx_line_addr
	pop dx
	cmp bl, VC_CGA4
	jne .mask
	mov bl, cl
	and bl, 3
	neg bl
	add bl, 3
	shl bl, 1		; (3 - x mod 4) * 2
	clc
	ret
.mask:
	push cx
	and cl, 7
	mov bl, 80h
	shr bl, cl
	pop cx
	clc
	ret
.addr:
	push dx
	call gfx_line_addr
	pop dx
	clc
	ret
.no:
	stc
	ret

; AH=0Ch: pixel CX, DX := colour AL (bit 7: XOR, except in mode 13h).
v_putpixel:
	mov bh, al
	call gfx_pixel_addr
	jc .done
	mov al, [BDA_VCLASS]
	cmp al, VC_256
	je .p256
	cmp al, VC_PLANAR
	je .planar
	cmp al, VC_CGA2
	je .cga2
	mov cl, bl		; CGA4: two bits at shift CL
	mov al, bh
	and al, 3
	shl al, cl
	mov ah, 3
	shl ah, cl
	test bh, 80h
	jnz .xor
	not ah
	and [es:di], ah
	or [es:di], al
	ret
.cga2:
	mov al, bl
	test bh, 1
	jnz .c2on
	xor al, al
.c2on:
	test bh, 80h
	jnz .xor
	not bl
	and [es:di], bl
	or [es:di], al
	ret
.xor:
	xor [es:di], al
	ret
.p256:
	mov [es:di], bh
	ret
.planar:
	mov ah, bh
	and ah, 0Fh
	xor al, al
	call gc_write
	mov ax, 0F01h
	call gc_write
	mov ah, bl
	mov al, 08h
	call gc_write
	mov ax, 0003h
	test bh, 80h
	jz .fn
	mov ah, 18h
.fn:
	call gc_write
	mov al, [es:di]
	mov [es:di], al
	call gc_defaults
.done:
	ret

; AH=0Dh: AL = colour of pixel CX, DX.
v_getpixel:
	call gfx_pixel_addr
	mov al, 0
	jc .store
	mov ah, [BDA_VCLASS]
	cmp ah, VC_256
	je .p256
	cmp ah, VC_PLANAR
	je .planar
	mov al, [es:di]
	cmp ah, VC_CGA2
	je .cga2
	mov cl, bl
	shr al, cl
	and al, 3
	jmp .store
.cga2:
	and al, bl
	jz .store
	mov al, 1
	jmp .store
.p256:
	mov al, [es:di]
	jmp .store
.planar:
	xor bh, bh		; colour being built
	mov cx, 4
.plane:
	mov ah, cl
	dec ah
	mov al, 04h		; read map select
	call gc_write
	shl bh, 1
	test [es:di], bl
	jz .zero
	or bh, 1
.zero:
	loop .plane
	mov al, bh
.store:
	mov [bp + F_AL], al
	ret

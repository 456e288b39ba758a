; tandem BIOS: the text-mode character generator.  A VGA draws text from
; plane 2 (32 bytes per character); the mode set loads the 8x8 set from
; font8x8.asm there with every row doubled.  (tandem's VGA draws with a
; font of its own; the load then writes to unmapped memory, harmlessly.)

font_load:
	push ax
	push cx
	push dx
	push si
	push di
	push es
	mov dx, 3C4h
	mov ax, 0402h		; write plane 2 only
	call out_idx
	mov ax, 0704h		; sequential addressing
	call out_idx
	mov dl, 0CEh
	mov ax, 0204h		; read plane 2
	call out_idx
	mov ax, 0005h
	call out_idx
	mov ax, 0406h		; A0000h, 64 KiB, no odd/even
	call out_idx
	mov ax, 0A000h
	mov es, ax
	xor di, di
	mov si, font8x8
	mov cx, 256
.char:
	push cx
	mov cx, 8
.row:
	cs lodsb
	stosb
	stosb
	loop .row
	add di, 16
	pop cx
	loop .char
	mov dl, 0C4h
	mov ax, 0302h		; back to the text-mode planes
	call out_idx
	mov ax, 0204h
	call out_idx
	mov dl, 0CEh
	mov ax, 0004h
	call out_idx
	mov ax, 1005h
	call out_idx
	mov ax, 0E06h
	cmp byte [BDA_VMODE], 7
	jne .col
	mov ah, 0Ah
.col:
	call out_idx
	pop es
	pop di
	pop si
	pop dx
	pop cx
	pop ax
	ret

; ES:DI = font for AX=1130h, BH = which: 0 INT 1Fh, 1 INT 43h, 3 the 8x8
; set, 4 its upper half; the 8x14 and 8x16 sets do not exist (0000:0000).
font_pointer:
	push cs
	pop es
	mov di, font8x8
	cmp bh, 1
	je .done
	cmp bh, 3
	je .done
	add di, 400h
	or bh, bh
	je .done
	cmp bh, 4
	je .done
	xor di, di
	mov es, di
.done:
	ret

%include "font8x8.asm"

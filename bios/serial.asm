; tandem BIOS: INT 14h serial ports and INT 17h printers.

int14:
	sti
	cld
	FRAME_ENTER
	cmp dx, 3
	ja .none
	mov bx, dx
	shl bx, 1
	mov si, [BDA_COM + bx]
	or si, si
	jz .none
	mov bx, dx
	mov bh, [BDA_COMTMO + bx]	; BH = timeout units
	mov dx, si			; DX = base port
	cmp ah, 0
	je .init
	cmp ah, 1
	je .send
	cmp ah, 2
	je .recv
	cmp ah, 3
	je .status
	jmp .out
.none:
	mov byte [bp + F_AH], 80h
	jmp .out
.init:
	mov bl, al
	mov cl, 5
	shr al, cl
	xor ah, ah
	mov si, ax
	shl si, 1
	mov ax, [cs:com_divisors + si]
	add dx, 3
	push ax
	mov al, 80h		; DLAB
	out dx, al
	sub dx, 3
	pop ax
	out dx, al
	inc dx
	mov al, ah
	out dx, al
	add dx, 2
	mov al, bl
	and al, 1Fh
	out dx, al
	sub dx, 2
	xor al, al
	out dx, al		; IER: polled
	dec dx
	jmp .status
.send:
	mov cl, al
	add dx, 4
	mov al, 03h		; DTR, RTS
	out dx, al
	inc dx			; LSR
	mov ah, 20h
	call .poll
	jc .timeout
	sub dx, 5
	mov al, cl
	out dx, al
	add dx, 5
	in al, dx
	mov [bp + F_AH], al
	jmp .out
.recv:
	add dx, 5
	mov ah, 01h
	call .poll
	jc .timeout
	in al, dx
	and al, 1Eh
	mov [bp + F_AH], al
	sub dx, 5
	in al, dx
	mov [bp + F_AL], al
	jmp .out
.timeout:
	or al, 80h
	mov [bp + F_AH], al
	jmp .out
.status:
	add dx, 5
	in al, dx
	mov [bp + F_AH], al
	inc dx
	in al, dx
	mov [bp + F_AL], al
.out:
	FRAME_LEAVE
	iret
; Wait until (in DX) & AH; BH units of 65536 reads.  CF on timeout, AL = last.
.poll:
	mov bl, bh
	or bl, bl
	jnz .p_outer
	inc bl
.p_outer:
	xor si, si
.p_inner:
	in al, dx
	test al, ah
	jnz .p_ok
	dec si
	jnz .p_inner
	dec bl
	jnz .p_outer
	stc
	ret
.p_ok:
	clc
	ret

com_divisors:			; 110 150 300 600 1200 2400 4800 9600 baud
	dw 1047, 768, 384, 192, 96, 48, 24, 12

int17:
	sti
	cld
	FRAME_ENTER
	cmp dx, 2
	ja .none
	mov bx, dx
	shl bx, 1
	mov si, [BDA_LPT + bx]
	or si, si
	jz .none
	mov bx, dx
	mov bh, [BDA_LPTTMO + bx]
	mov dx, si
	cmp ah, 0
	je .print
	cmp ah, 1
	je .init
	cmp ah, 2
	je .status
	jmp .out
.none:
	mov byte [bp + F_AH], 01h	; time-out
	jmp .out
.print:
	out dx, al
	inc dx
	mov cl, bh
	or cl, cl
	jnz .w_outer
	inc cl
.w_outer:
	xor si, si
.w_inner:
	in al, dx
	test al, 80h		; not busy
	jnz .strobe
	dec si
	jnz .w_inner
	dec cl
	jnz .w_outer
	and al, 0F8h
	xor al, 48h
	or al, 01h
	mov [bp + F_AH], al
	jmp .out
.strobe:
	inc dx
	mov al, 0Dh
	out dx, al
	mov al, 0Ch
	out dx, al
	dec dx
	dec dx
	jmp .status
.init:
	add dx, 2
	mov al, 08h
	out dx, al
	mov cx, 4
	call delay_15us
	mov al, 0Ch
	out dx, al
	sub dx, 2
.status:
	inc dx
	in al, dx
	and al, 0F8h
	xor al, 48h
	mov [bp + F_AH], al
.out:
	FRAME_LEAVE
	iret

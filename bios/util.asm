; tandem BIOS: small helpers shared by POST and the services.

; Print the NUL-terminated string at CS:SI through INT 10h teletype.
print_str:
	push ax
	push bx
	push si
.next:
	cs lodsb
	or al, al
	jz .done
	mov ah, 0Eh
	mov bx, 0007h
	int 10h
	jmp .next
.done:
	pop si
	pop bx
	pop ax
	ret

print_char:			; AL
	push ax
	push bx
	mov ah, 0Eh
	mov bx, 0007h
	int 10h
	pop bx
	pop ax
	ret

; Print DX:AX as an unsigned decimal number.
print_dec32:
	push ax
	push bx
	push cx
	push dx
	push si
	mov bx, 10
	xor cx, cx		; digit count
.div:
	; 32-bit by 16-bit division in two steps so the quotient cannot overflow.
	mov si, ax
	mov ax, dx
	xor dx, dx
	div bx
	xchg ax, si		; SI = high quotient, AX = low dividend
	div bx
	push dx			; remainder = digit
	inc cx
	mov dx, si
	mov si, ax
	or si, dx
	jnz .div
.out:
	pop ax
	add al, '0'
	call print_char
	loop .out
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret

print_dec:			; AX
	push dx
	xor dx, dx
	call print_dec32
	pop dx
	ret

; CMOS access: AL = index (bit 7 clear, so NMI stays enabled).
cmos_read:
	out 70h, al
	jmp short $+2
	in al, 71h
	ret

cmos_write:			; AL = index, AH = value
	out 70h, al
	jmp short $+2
	xchg al, ah
	out 71h, al
	xchg al, ah
	ret

; Read PIT channel 0 (latched) into AX.
pit_read:
	pushf
	cli
	mov al, 0
	out 43h, al
	in al, 40h
	mov ah, al
	in al, 40h
	xchg al, ah
	popf
	ret

; Wait about CX * 15 microseconds, timed on PIT channel 0.  In mode 3 the
; counter steps by 2 per 1.19318 MHz clock, so 36 steps are 15 us; the
; difference of two readings mod 65536 is right across a reload as long as
; readings are less than half a period (27 ms) apart.  A counter that does
; not move is taken as moving, so the wait always ends.
delay_15us:
	push ax
	push bx
	push cx
	push dx
	push si
	jcxz .done
	call pit_read
	mov bx, ax		; BX = previous reading
	xor dx, dx		; DX = steps not yet used
	xor si, si		; SI = readings without movement
.read:
	call pit_read
	sub bx, ax
	jz .still
	xor si, si
	jmp .moved
.still:
	inc si
	cmp si, 200
	jb .moved
	xor si, si
	mov bx, 36		; stuck counter: count it as 15 us
.moved:
	add dx, bx
	mov bx, ax
.use:
	cmp dx, 36
	jb .read
	sub dx, 36
	loop .use
.done:
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; Short beep on the PC speaker (PIT channel 2, about 900 Hz for 1/8 s).
beep:
	push ax
	push cx
	mov al, 0B6h
	out 43h, al
	mov ax, 1331
	out 42h, al
	mov al, ah
	out 42h, al
	in al, 61h
	push ax
	or al, 03h
	out 61h, al
	mov cx, 8000
	call delay_15us
	pop ax
	out 61h, al
	pop cx
	pop ax
	ret

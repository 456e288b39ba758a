; tandem BIOS: INT 16h keyboard services.

int16:
	sti
	cld
	FRAME_ENTER
	DISPATCH_AH k_table, K_COUNT, k_none
	FRAME_LEAVE
	iret

k_table:
	dw k_read, k_peek, k_shift, k_none, k_none, k_store	; 00-05
	times 10h - 6 dw k_none
	dw k_readx, k_peekx, k_shiftx				; 10-12
K_COUNT equ ($ - k_table) / 2

k_none:
	ret

; Next key at the buffer head: ZF set when empty, else AX = key, BX = its
; slot.  Keys only the enhanced functions know are converted (CL = 0) or
; dropped from the buffer here, so AH=00h/01h never see them.
k_head:
	cli
	mov bx, [BDA_KBHEAD]
	cmp bx, [BDA_KBTAIL]
	je .empty
	mov ax, [bx]
	or cl, cl
	jnz .found
	cmp ah, 0E0h
	jne .notpad
	; keypad Enter and / come back with their plain scan codes
	mov ah, 1Ch
	cmp al, 0Dh
	je .found
	cmp al, 0Ah
	je .found
	mov ah, 35h
	jmp .found
.notpad:
	cmp al, 0E0h
	jne .notgray
	or ah, ah
	jz .found		; Alt + keypad 224
	xor al, al
.notgray:
	cmp ah, 84h
	jbe .found
	or al, al
	jnz .found
	call k_advance		; enhanced-only key: drop it
	jmp k_head
.found:
	or bx, bx		; BX is never 0: clears ZF
	ret
.empty:
	xor bx, bx		; sets ZF
	ret

k_advance:			; BX = head slot
	add bx, 2
	cmp bx, [BDA_KBEND]
	jb .ok
	mov bx, [BDA_KBSTART]
.ok:
	mov [BDA_KBHEAD], bx
	ret

; AH=00h/10h: wait for a key.
k_readx:
	mov cl, 1
	jmp short k_wait
k_read:
	xor cl, cl
k_wait:
	call k_head
	jnz .got
	sti
	hlt
	jmp k_wait
.got:
	push ax
	call k_advance
	pop ax
	sti
	; AH=00h returns E0h-tagged keys from the gray cluster as plain ASCII
	or cl, cl
	jnz .ret
	cmp al, 0E0h
	jne .ret
	or ah, ah
	jz .ret
	xor al, al
.ret:
	mov [bp + F_AX], ax
	ret

; AH=01h/11h: ZF set when no key, else AX = key, left in the buffer.
k_peekx:
	mov cl, 1
	jmp short k_peek1
k_peek:
	xor cl, cl
k_peek1:
	call k_head
	sti
	jz .none
	mov [bp + F_AX], ax
	and word [bp + F_FLAGS], ~FL_ZF
	ret
.none:
	or word [bp + F_FLAGS], FL_ZF
	ret

; AH=02h: AL = shift flags.
k_shift:
	mov al, [BDA_KBF0]
	mov [bp + F_AL], al
	ret

; AH=12h: AL = shift flags, AH = left/right modifier and held-lock state.
k_shiftx:
	mov al, [BDA_KBF1]
	and al, 73h		; held locks (4-6), left Ctrl, left Alt (0-1)
	mov ah, [BDA_KBF1]
	and ah, 04h		; SysRq held -> bit 7
	jz .nosys
	or al, 80h
.nosys:
	mov ah, [BDA_KBF3]
	and ah, KF3_RCTRL | KF3_RALT	; bits 2-3, as in the result
	or al, ah
	mov ah, al
	mov al, [BDA_KBF0]
	mov [bp + F_AX], ax
	ret

; AH=05h: store CX as a key; AL = 0 stored, 1 buffer full.
k_store:
	cli
	mov bx, [BDA_KBTAIL]
	lea si, [bx + 2]
	cmp si, [BDA_KBEND]
	jb .wrap
	mov si, [BDA_KBSTART]
.wrap:
	mov al, 1
	cmp si, [BDA_KBHEAD]
	je .out
	mov [bx], cx
	mov [BDA_KBTAIL], si
	xor al, al
.out:
	sti
	mov [bp + F_AL], al
	ret

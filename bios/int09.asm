; tandem BIOS: INT 09h (IRQ1), keyboard scan codes to the BDA key buffer.

KF_RSHIFT	equ 01h		; BDA 0417h
KF_LSHIFT	equ 02h
KF_CTRL		equ 04h
KF_ALT		equ 08h
KF_SCROLL	equ 10h
KF_NUM		equ 20h
KF_CAPS		equ 40h
KF_INSERT	equ 80h
KF1_LCTRL	equ 01h		; BDA 0418h
KF1_LALT	equ 02h
KF3_E1		equ 01h		; BDA 0496h
KF3_E0		equ 02h
KF3_RCTRL	equ 04h
KF3_RALT	equ 08h

int09:
	push ax
	push bx
	push cx
	push dx
	push si
	push di
	push ds
	push es
	cld
	mov ax, BDA_SEG
	mov ds, ax
	in al, 60h
	test byte [BDA_MACHINE], MACH_AT
	jnz .intercept
	mov ah, al		; xt: pulse port 61h bit 7 to free the latch
	in al, 61h
	or al, 80h
	out 61h, al
	and al, 7Fh
	out 61h, al
	mov al, ah
.intercept:
	mov ah, 4Fh
	stc
	int 15h
	jnc .eoi
	call kbd_process
	jnc .eoi
	; Ctrl+Alt+Del: warm reboot
	mov word [BDA_RESETFLAG], 1234h
	cli
	mov al, 20h
	out 20h, al
	jmp BIOS_SEG:0FFF0h
.eoi:
	cli
	mov al, 20h
	out 20h, al
	pop es
	pop ds
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	iret

; Store key AX in the ring buffer; a full buffer drops it.
kbd_store:
	push bx
	push si
	mov bx, [BDA_KBTAIL]
	lea si, [bx + 2]
	cmp si, [BDA_KBEND]
	jb .wrap
	mov si, [BDA_KBSTART]
.wrap:
	cmp si, [BDA_KBHEAD]
	je .full
	mov [bx], ax
	mov [BDA_KBTAIL], si
.full:
	pop si
	pop bx
	ret

; Handle scan code AL.  Returns CF set when Ctrl+Alt+Del was pressed.
kbd_process:
	cmp al, 0E0h
	jne .not_e0
	or byte [BDA_KBF3], KF3_E0 | 10h
	jmp .ret
.not_e0:
	cmp al, 0E1h
	jne .not_e1
	or byte [BDA_KBF3], KF3_E1
	jmp .ret
.not_e1:
	test byte [BDA_KBF3], KF3_E1
	jz .no_pause
	; Pause (E1 1D 45 E1 9D C5) is swallowed
	mov ah, al
	and ah, 7Fh
	cmp ah, 1Dh
	je .ret
	and byte [BDA_KBF3], ~KF3_E1
	jmp .ret
.no_pause:
	cmp al, 0FAh		; acknowledge, resend, overrun
	jae .ret
	or al, al
	jz .ret
	mov ah, [BDA_KBF3]
	and byte [BDA_KBF3], ~KF3_E0
	mov bl, al
	and bl, 7Fh		; BL = key
	mov bh, al
	and bh, 80h		; BH = break
	mov dx, [BDA_KBF0]	; DL = 0417h, DH = 0418h

	test ah, KF3_E0
	jz .notfake
	cmp bl, 2Ah
	je .ret
	cmp bl, 36h
	je .ret
.notfake:
	cmp bl, 2Ah
	jne .n1
	mov cl, KF_LSHIFT
	jmp .shift
.n1:
	cmp bl, 36h
	jne .n2
	mov cl, KF_RSHIFT
	jmp .shift
.n2:
	cmp bl, 1Dh
	je .ctrl
	cmp bl, 38h
	je .alt
	cmp bl, 3Ah
	jne .n3
	mov cl, KF_CAPS
	jmp .lock
.n3:
	cmp bl, 45h
	jne .n4
	mov cl, KF_NUM
	jmp .lock
.n4:
	cmp bl, 46h
	jne .n5
	test dl, KF_CTRL
	jnz .ctrlbreak
	mov cl, KF_SCROLL
	jmp .lock
.n5:
	or bh, bh
	jz .make
	cmp bl, 52h
	jne .ret
	and byte [BDA_KBF1], ~KF_INSERT
	jmp .ret

.shift:
	or bh, bh
	jnz .shift_up
	or [BDA_KBF0], cl
	jmp .ret
.shift_up:
	not cl
	and [BDA_KBF0], cl
	jmp .ret

.ctrl:
	mov cl, KF1_LCTRL
	mov ch, KF3_RCTRL
	mov al, KF_CTRL
	jmp .twin
.alt:
	mov cl, KF1_LALT
	mov ch, KF3_RALT
	mov al, KF_ALT
	or bh, bh
	jnz .twin
	test dl, KF_ALT
	jnz .twin
	mov byte [BDA_ALTKP], 0		; a fresh Alt starts a keypad code
.twin:
	; CL: left bit in 0418h, CH: right bit in 0496h, AL: bit in 0417h
	test ah, KF3_E0
	jz .left
	or bh, bh
	jnz .right_up
	or [BDA_KBF3], ch
	jmp .twin_sum
.right_up:
	not ch
	and [BDA_KBF3], ch
	jmp .twin_sum
.left:
	or bh, bh
	jnz .left_up
	or [BDA_KBF1], cl
	jmp .twin_sum
.left_up:
	not cl
	and [BDA_KBF1], cl
.twin_sum:
	mov cl, KF1_LCTRL
	mov ch, KF3_RCTRL
	cmp al, KF_CTRL
	je .sum
	mov cl, KF1_LALT
	mov ch, KF3_RALT
.sum:
	not al
	and [BDA_KBF0], al
	not al
	test [BDA_KBF1], cl
	jnz .sum_on
	test [BDA_KBF3], ch
	jz .sum_done
.sum_on:
	or [BDA_KBF0], al
.sum_done:
	; releasing Alt delivers a code typed on the keypad
	cmp al, KF_ALT
	jne .ret
	or bh, bh
	jz .ret
	test byte [BDA_KBF0], KF_ALT
	jnz .ret
	xor ax, ax
	xchg al, [BDA_ALTKP]
	or al, al
	jz .ret
	call kbd_store
	jmp .ret

.lock:
	; CL = bit in 0417h, the same bit in 0418h means "held"
	or bh, bh
	jnz .lock_up
	test [BDA_KBF1], cl
	jnz .ret		; typematic repeat
	or [BDA_KBF1], cl
	xor [BDA_KBF0], cl
	jmp .ret
.lock_up:
	not cl
	and [BDA_KBF1], cl
	jmp .ret

.ctrlbreak:
	or bh, bh
	jnz .ret
	or byte [BDA_BREAK], 80h
	mov ax, [BDA_KBSTART]
	mov [BDA_KBHEAD], ax
	mov [BDA_KBTAIL], ax
	int 1Bh
	xor ax, ax
	call kbd_store
	jmp .ret

.make:
	; DL = shift flags; AH bit KF3_E0 = extended key
	cmp bl, 53h
	jne .not_del
	test dl, KF_CTRL
	jz .not_del
	test dl, KF_ALT
	jz .not_del
	stc
	ret
.not_del:
	cmp bl, 52h
	jne .not_ins
	test ah, KF3_E0
	jnz .ins
	test dl, KF_ALT | KF_CTRL
	jnz .not_ins
	call .numeric		; ZF clear: digits
	jnz .not_ins
.ins:
	test byte [BDA_KBF1], KF_INSERT
	jnz .not_ins
	or byte [BDA_KBF1], KF_INSERT
	xor byte [BDA_KBF0], KF_INSERT
.not_ins:
	test ah, KF3_E0
	jnz .extended
	cmp bl, 47h
	jb .main
	cmp bl, 53h
	ja .main
	; numeric keypad
	xor bh, bh
	sub bl, 47h
	test dl, KF_ALT
	jz .kp_noalt
	mov al, [cs:kp_value + bx]
	cmp al, 0FFh
	je .ret
	mov cl, al
	mov al, [BDA_ALTKP]
	mov ch, 10
	mul ch
	add al, cl
	mov [BDA_ALTKP], al
	jmp .ret
.kp_noalt:
	mov ah, bl
	add ah, 47h		; AH = scan code
	test dl, KF_CTRL
	jz .kp_noctrl
	mov ah, [cs:kp_ctrl + bx]
	xor al, al
	jmp .store
.kp_noctrl:
	mov al, [cs:kp_digit + bx]
	cmp al, '-'
	je .store
	cmp al, '+'
	je .store
	call .numeric
	jnz .store
	xor al, al
	cmp ah, 4Ch		; keypad 5 without Num Lock: nothing
	je .ret
	jmp .store

.extended:
	cmp bl, 1Ch
	jne .ext1
	mov ax, 0E00Dh
	test dl, KF_ALT
	jz .ext_ctrl_enter
	mov ax, 0A600h
	jmp .store
.ext_ctrl_enter:
	test dl, KF_CTRL
	jz .store
	mov al, 0Ah
	jmp .store
.ext1:
	cmp bl, 35h
	jne .ext2
	mov ax, 0E02Fh
	test dl, KF_ALT
	jz .ext_ctrl_slash
	mov ax, 0A400h
	jmp .store
.ext_ctrl_slash:
	test dl, KF_CTRL
	jz .store
	mov ax, 9500h
	jmp .store
.ext2:
	cmp bl, 47h
	jb .ret
	cmp bl, 53h
	ja .ret
	cmp bl, 4Ah
	je .ret
	cmp bl, 4Ch
	je .ret
	cmp bl, 4Eh
	je .ret
	mov ah, bl
	mov al, 0E0h
	test dl, KF_ALT
	jz .ext_noalt
	add ah, 50h
	xor al, al
	jmp .store
.ext_noalt:
	test dl, KF_CTRL
	jz .store
	xor bh, bh
	mov ah, [cs:kp_ctrl + bx - 47h]
	jmp .store

.main:
	cmp bl, KT_LAST
	ja .ret
	xor bh, bh
	mov si, bx
	dec si
	shl si, 1
	shl si, 1
	shl si, 1		; 8 bytes per key
	test dl, KF_ALT
	jz .m_noalt
	mov ax, [cs:kbd_table + si + 6]
	jmp .m_got
.m_noalt:
	test dl, KF_CTRL
	jz .m_noctrl
	mov ax, [cs:kbd_table + si + 4]
	jmp .m_got
.m_noctrl:
	mov ax, [cs:kbd_table + si]
	xor cl, cl
	test dl, KF_LSHIFT | KF_RSHIFT
	jz .m_noshift
	inc cl
.m_noshift:
	cmp al, 'a'
	jb .m_nocaps
	cmp al, 'z'
	ja .m_nocaps
	test dl, KF_CAPS
	jz .m_nocaps
	xor cl, 1
.m_nocaps:
	or cl, cl
	jz .m_got
	mov ax, [cs:kbd_table + si + 2]
.m_got:
	or ax, ax
	jz .ret
.store:
	call kbd_store
.ret:
	clc
	ret

; ZF clear when the keypad gives digits (Num Lock xor Shift).  Uses DL.
.numeric:
	push ax
	xor al, al
	test dl, KF_NUM
	jz .nu1
	inc al
.nu1:
	test dl, KF_LSHIFT | KF_RSHIFT
	jz .nu2
	xor al, 1
.nu2:
	or al, al
	pop ax
	ret

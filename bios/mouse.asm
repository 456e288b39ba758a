; tandem BIOS: INT 15h AH=C2h, the PS/2 pointing device services (at),
; over the i8042's aux port, and the IRQ12 handler (INT 74h) that gathers
; 3-byte packets and far-calls the handler set with AL=07h.

EBDA_MS_HANDLER	equ 360h	; far pointer (offset, segment)
EBDA_MS_FLAGS	equ 364h	; bit 0 handler set, bit 7 enabled
EBDA_MS_INDEX	equ 365h	; bytes of the packet so far
EBDA_MS_PACKET	equ 366h	; 3 bytes

; FRAME_ENTER frame, DS = BDA.  AL = function.
s_mouse:
	test byte [BDA_MACHINE], MACH_AT
	jnz .at
	jmp s_unsupported
.at:
	mov es, [BDA_EBDASEG]
	cmp al, 07h
	ja .badfn
	mov bl, al
	xor bh, bh
	shl bx, 1
	jmp [cs:ms_table + bx]
.badfn:
	mov ah, 01h		; invalid function
	jmp ms_error

ms_table:
	dw ms_enable, ms_reset, ms_rate, ms_resolution
	dw ms_type, ms_init, ms_extended, ms_handler

ms_error:			; AH = status
	mov [bp + F_AH], ah
	or word [bp + F_FLAGS], FL_CF
	ret
ms_ok:
	mov byte [bp + F_AH], 0
	and word [bp + F_FLAGS], ~FL_CF
	ret
ms_fail:			; the device did not answer
	mov ah, 03h		; interface error
	jmp ms_error

; Send AL to the mouse with the controller's interrupts off; AL = its
; answer (FAh expected).  CF on time-out.
ms_send:
	push bx
	mov bl, al
	call ms_irqs_off
	mov al, 0D4h
	call kbc_cmd
	mov al, bl
	call kbc_data
	call ms_read
	pop bx
	ret

; AL = the next byte from the aux port (polled).  CF on time-out.
ms_read:
	push cx
	push dx
	mov dx, 20		; about 20 x 65536 polls
.o:
	xor cx, cx
.w:
	in al, 64h
	test al, 01h
	jz .next
	test al, 20h		; a keyboard byte in the way: dropped
	jnz .got
	in al, 60h
.next:
	loop .w
	dec dx
	jnz .o
	pop dx
	pop cx
	stc
	ret
.got:
	in al, 60h
	pop dx
	pop cx
	clc
	ret

; Command byte: keyboard and aux interrupts off, aux clock on (so replies
; can be polled); ms_irqs_restore puts back what the enable state wants.
ms_irqs_off:
	push ax
	mov al, 60h
	call kbc_cmd
	mov al, 44h		; system flag, translation; no IRQs, both clocks on
	call kbc_data
	pop ax
	ret

ms_irqs_restore:
	push ax
	mov al, 60h
	call kbc_cmd
	mov al, 45h		; keyboard IRQ on
	test byte [es:EBDA_MS_FLAGS], 80h
	jz .set
	or al, 02h		; aux IRQ on
.set:
	call kbc_data
	pop ax
	ret

; Send AL, expect FAh; on failure answer AH=03h.  (Used as a tail.)
ms_cmd_ok:
	call ms_send
	jc .fail
	cmp al, 0FAh
	jne .fail
	call ms_irqs_restore
	jmp ms_ok
.fail:
	call ms_irqs_restore
	jmp ms_fail

; AL=00h: BH = 0 disable, 1 enable (needs a handler: else AH=05h).
ms_enable:
	mov bh, [bp + F_BH]
	cmp bh, 1
	ja .bad
	je .on
	and byte [es:EBDA_MS_FLAGS], 7Fh
	mov al, 0F5h
	jmp ms_cmd_ok
.on:
	test byte [es:EBDA_MS_FLAGS], 01h
	jnz .go
	mov ah, 05h		; no far call installed
	jmp ms_error
.go:
	mov al, 0A8h		; aux port on
	call kbc_cmd
	or byte [es:EBDA_MS_FLAGS], 80h
	mov byte [es:EBDA_MS_INDEX], 0
	in al, 0A1h		; IRQ12 unmasked
	and al, 0EFh
	out 0A1h, al
	mov al, 0F4h
	jmp ms_cmd_ok
.bad:
	mov ah, 02h		; invalid input
	jmp ms_error

; AL=01h: reset: BH = device ID, BL = AAh.
ms_reset:
	and byte [es:EBDA_MS_FLAGS], 7Fh
	mov al, 0A8h
	call kbc_cmd
	mov al, 0FFh
	call ms_send
	jc .fail
	cmp al, 0FAh
	jne .fail
	call ms_read		; AAh after the self-test
	jc .fail
	mov [bp + F_BL], al
	call ms_read		; device ID
	jc .fail
	mov [bp + F_BH], al
	call ms_irqs_restore
	jmp ms_ok
.fail:
	call ms_irqs_restore
	jmp ms_fail

; AL=02h: BH = 0-6: 10, 20, 40, 60, 80, 100, 200 samples a second.
ms_rate:
	mov bl, [bp + F_BH]
	cmp bl, 6
	ja .bad
	xor bh, bh
	mov al, 0F3h
	call ms_send
	jc .fail
	mov al, [cs:ms_rates + bx]
	jmp ms_cmd_ok
.fail:
	call ms_irqs_restore
	jmp ms_fail
.bad:
	mov ah, 02h
	jmp ms_error
ms_rates:	db 10, 20, 40, 60, 80, 100, 200

; AL=03h: BH = 0-3: 1, 2, 4, 8 counts per mm.
ms_resolution:
	mov bl, [bp + F_BH]
	cmp bl, 3
	ja .bad
	mov al, 0E8h
	call ms_send
	jc .fail
	mov al, bl
	jmp ms_cmd_ok
.fail:
	call ms_irqs_restore
	jmp ms_fail
.bad:
	mov ah, 02h
	jmp ms_error

; AL=04h: BH = device ID.
ms_type:
	mov al, 0F2h
	call ms_send
	jc .fail
	cmp al, 0FAh
	jne .fail
	call ms_read
	jc .fail
	mov [bp + F_BH], al
	call ms_irqs_restore
	jmp ms_ok
.fail:
	call ms_irqs_restore
	jmp ms_fail

; AL=05h: BH = packet size: only 3 bytes.  Defaults, disabled.
ms_init:
	cmp byte [bp + F_BH], 3
	je .go
	mov ah, 02h
	jmp ms_error
.go:
	and byte [es:EBDA_MS_FLAGS], 7Fh
	mov byte [es:EBDA_MS_INDEX], 0
	mov al, 0A8h
	call kbc_cmd
	mov al, 0F6h		; set defaults (also disables reporting)
	jmp ms_cmd_ok

; AL=06h: BH = 0 status (BL, CL, DL), 1 scaling 1:1, 2 scaling 2:1.
ms_extended:
	mov bh, [bp + F_BH]
	cmp bh, 1
	je .s11
	cmp bh, 2
	je .s21
	or bh, bh
	jnz .bad
	mov al, 0E9h
	call ms_send
	jc .fail
	cmp al, 0FAh
	jne .fail
	call ms_read
	jc .fail
	mov [bp + F_BL], al
	call ms_read
	jc .fail
	mov [bp + F_CL], al
	call ms_read
	jc .fail
	mov [bp + F_DL], al
	call ms_irqs_restore
	jmp ms_ok
.s11:
	mov al, 0E6h
	jmp ms_cmd_ok
.s21:
	mov al, 0E7h
	jmp ms_cmd_ok
.fail:
	call ms_irqs_restore
	jmp ms_fail
.bad:
	mov ah, 02h
	jmp ms_error

; AL=07h: ES:BX = the far handler (0:0 removes it).
ms_handler:
	mov ax, [bp + F_BX]
	mov [es:EBDA_MS_HANDLER], ax
	mov cx, [bp + F_ES]
	mov [es:EBDA_MS_HANDLER + 2], cx
	and byte [es:EBDA_MS_FLAGS], 0FEh
	or ax, cx
	jz .done
	or byte [es:EBDA_MS_FLAGS], 01h
.done:
	jmp ms_ok

; IRQ12: a byte of a packet; after the third, call the handler with
; (status, X, Y, 0) pushed as words.
int74:
	push ax
	push bx
	push cx
	push dx
	push si
	push di
	push bp
	push ds
	push es
	cld
	in al, 64h
	test al, 21h		; an aux byte?
	jz .eoi
	in al, 60h
	mov bx, BDA_SEG
	mov ds, bx
	mov ds, [BDA_EBDASEG]
	test byte [EBDA_MS_FLAGS], 80h
	jz .eoi
	mov bl, [EBDA_MS_INDEX]
	xor bh, bh
	or bx, bx
	jnz .store
	test al, 08h		; byte 0 always has bit 3: resynchronise
	jz .eoi
.store:
	mov [EBDA_MS_PACKET + bx], al
	inc bx
	cmp bx, 3
	jb .keep
	xor bx, bx
	mov [EBDA_MS_INDEX], bl
	test byte [EBDA_MS_FLAGS], 01h
	jz .eoi
	mov al, [EBDA_MS_PACKET]
	xor ah, ah
	push ax
	mov al, [EBDA_MS_PACKET + 1]
	push ax
	mov al, [EBDA_MS_PACKET + 2]
	push ax
	xor ax, ax
	push ax
	sti
	call far [EBDA_MS_HANDLER]
	cli
	add sp, 8
	jmp .eoi
.keep:
	mov [EBDA_MS_INDEX], bl
.eoi:
	mov al, 20h
	out 0A0h, al
	out 20h, al
	pop es
	pop ds
	pop bp
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	pop ax
	iret

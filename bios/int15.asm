; tandem BIOS: INT 15h system services (the AT subset a DOS machine uses).

int15:
	cmp ah, 4Fh		; keyboard intercept: hot path from IRQ1
	jne .full
	stc
	retf 2
.full:
	cmp ah, 87h		; these switch modes and keep their own frames
	je s_blockmove
	cmp ah, 89h
	je s_protmode
	cmp ax, 0E820h
	jne .frame
	push ds
	push ax
	mov ax, BDA_SEG
	mov ds, ax
	test byte [BDA_MACHINE], MACH_386
	pop ax
	pop ds
	jz .frame
	jmp s_e820
.frame:
	sti
	cld
	FRAME_ENTER
	call s_dispatch
	FRAME_LEAVE
	iret

s_dispatch:
	cmp ah, 88h
	je s_extmem
	cmp ah, 86h
	je s_wait
	cmp ah, 0C0h
	je s_config
	cmp ah, 24h
	je s_a20
	cmp ax, 0E801h
	je s_e801
	cmp ah, 53h
	jne .not_apm
	jmp s_apm
.not_apm:
	cmp ah, 0C2h
	jne .not_mouse
	jmp s_mouse
.not_mouse:
	cmp ah, 90h		; device busy / interrupt complete hooks
	je s_ok
	cmp ah, 91h
	je s_ok
s_unsupported:
	mov byte [bp + F_AH], 86h
	or word [bp + F_FLAGS], FL_CF
	ret

s_ok:
	mov byte [bp + F_AH], 0
	and word [bp + F_FLAGS], ~FL_CF
	ret

; AH=88h: AX = KiB of memory above 1 MiB (CMOS 30h/31h), at only.
s_extmem:
	test byte [BDA_MACHINE], MACH_AT
	jz s_unsupported
	call ext_mem_kb
	mov [bp + F_AX], ax
	and word [bp + F_FLAGS], ~FL_CF
	ret

ext_mem_kb:			; AX = KiB above 1 MiB, 0 without CMOS
	xor ax, ax
	test byte [BDA_MACHINE], MACH_CMOS
	jz .done
	mov al, 31h
	call cmos_read
	mov ah, al
	mov al, 30h
	call cmos_read
.done:
	ret

; AH=86h: wait CX:DX microseconds: whole 54925 us timer ticks on the tick
; count (interrupts are on here), the rest timed on the PIT.
s_wait:
	mov ax, dx
	mov dx, cx
	mov bx, 54925
	cmp dx, bx
	jae .long		; more than 65535 ticks: the quotient would overflow
	div bx			; AX = ticks, DX = remaining microseconds
	push dx
	or ax, ax
	jz .short
	mov cx, ax
	mov si, [BDA_TICKS]
.tick:
	mov ax, [BDA_TICKS]
	sub ax, si
	cmp ax, cx
	jae .short
	hlt
	jmp .tick
.short:
	pop ax
	xor dx, dx
	mov bx, 15
	div bx
	mov cx, ax
	call delay_15us
	jmp s_ok
.long:
	mov byte [bp + F_AH], 86h	; over an hour: refuse
	or word [bp + F_FLAGS], FL_CF
	ret

; AH=C0h: ES:BX = system configuration table.
s_config:
	mov bx, cfg_at
	test byte [BDA_MACHINE], MACH_AT
	jnz .set
	mov bx, cfg_xt
.set:
	mov [bp + F_BX], bx
	mov [bp + F_ES], cs
	jmp s_ok

cfg_at:
	dw 8
	db MODEL_AT, 01h, 00h	; model, submodel, revision
	db 74h			; EBDA, slave 8259, RTC, INT 15h/4Fh from IRQ1
	db 0, 0, 0, 0
cfg_xt:
	dw 8
	db MODEL_XT, 00h, 00h
	db 10h			; INT 15h/4Fh from IRQ1
	db 0, 0, 0, 0

; AH=24h: A20 gate through port 92h.  AL = 0 off, 1 on, 2 status,
; 3 supported methods.
s_a20:
	test byte [BDA_MACHINE], MACH_AT
	jz s_unsupported
	cmp al, 3
	ja s_unsupported
	je .support
	cmp al, 2
	je .status
	mov ah, al
	shl ah, 1		; bit 1 = A20
	in al, 92h
	and al, 0FCh		; never write the fast-reset bit
	or al, ah
	out 92h, al
	jmp s_ok
.status:
	in al, 92h
	shr al, 1
	and al, 1
	mov [bp + F_AL], al
	jmp s_ok
.support:
	mov word [bp + F_BX], 0002h
	jmp s_ok

%include "int15pm.asm"
%include "apm.asm"
%include "mouse.asm"

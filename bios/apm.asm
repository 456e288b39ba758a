; tandem BIOS: INT 15h AH=53h, APM 1.2 through the real-mode interface only
; (no 16/32-bit protected-mode entry points).  Power off (set power state
; 0003h) writes "Shutdown" to port 8900h, which tandem (hw/apm_port.c),
; Bochs and QEMU's old PIIX BIOS port treat as power off.  Included by
; int15.asm; runs in its FRAME_ENTER frame.

APM_VERSION	equ 0102h

s_apm:
	mov bl, al
	cmp bl, APM_COUNT
	jae apm_unsupported
	xor bh, bh
	shl bx, 1
	jmp [cs:apm_table + bx]

apm_table:
	dw apm_check, apm_connect, apm_no16, apm_no32		; 00-03
	dw apm_disconnect, apm_idle, apm_ok_conn, apm_setstate	; 04-07
	dw apm_ok_conn, apm_ok_conn, apm_status, apm_event	; 08-0B
	dw apm_unsupported, apm_ok_conn, apm_driver, apm_ok_conn ; 0C-0F
	dw apm_caps						; 10
APM_COUNT equ ($ - apm_table) / 2

apm_error:			; AH = error code
	mov [bp + F_AH], ah
	or word [bp + F_FLAGS], FL_CF
	ret

apm_unsupported:
	mov ah, 0Ch
	jmp apm_error

apm_ok:
	mov byte [bp + F_AH], 0
	and word [bp + F_FLAGS], ~FL_CF
	ret

; The functions after a connect: 03h "interface not connected" before.
apm_ok_conn:
	test byte [BDA_APM], 1
	jnz apm_ok
	mov ah, 03h
	jmp apm_error

apm_bios_device:		; CF clear if BX = 0000h (the APM BIOS itself)
	cmp word [bp + F_BX], 0
	je .ok
	stc
	ret
.ok:
	clc
	ret

; 00h: installation check: version, 'PM', flags (none of the PM
; interfaces; the BIOS's power management is enabled).
apm_check:
	call apm_bios_device
	jc apm_baddev
	mov word [bp + F_AX], APM_VERSION
	mov word [bp + F_BX], 504Dh
	mov word [bp + F_CX], 0000h
	and word [bp + F_FLAGS], ~FL_CF
	ret

apm_baddev:
	mov ah, 09h
	jmp apm_error

apm_connect:			; 01h: real-mode interface connect
	call apm_bios_device
	jc apm_baddev
	test byte [BDA_APM], 1
	jz .go
	mov ah, 02h
	jmp apm_error
.go:
	or byte [BDA_APM], 1
	jmp apm_ok

apm_no16:			; 02h: 16-bit protected mode: not supported
	mov ah, 06h
	jmp apm_error

apm_no32:			; 03h: 32-bit protected mode: not supported
	mov ah, 08h
	jmp apm_error

apm_disconnect:			; 04h
	call apm_bios_device
	jc apm_baddev
	test byte [BDA_APM], 1
	jnz .go
	mov ah, 03h
	jmp apm_error
.go:
	and byte [BDA_APM], 0FEh
	jmp apm_ok

apm_idle:			; 05h: CPU idle: wait for the next interrupt
	sti
	hlt
	jmp apm_ok_conn

; 07h: BX = device (0001h all devices, 01xxh display...), CX = state
; (0 ready, 1 standby, 2 suspend, 3 off).  Only "all devices off" does
; something real; standby and suspend are taken as an idle wait.
apm_setstate:
	test byte [BDA_APM], 1
	jnz .conn
	mov ah, 03h
	jmp apm_error
.conn:
	mov cx, [bp + F_CX]
	cmp cx, 3
	ja .range
	cmp cx, 3
	jne .light
	mov ax, [bp + F_BX]
	cmp ax, 0001h
	je apm_power_off
	cmp ax, 01FFh
	je apm_power_off
	mov ah, 60h		; a single device cannot be switched off
	jmp apm_error
.light:
	jcxz .ready
	sti
	hlt
.ready:
	jmp apm_ok
.range:
	mov ah, 0Ah
	jmp apm_error

apm_power_off:
	cli
	call power_off
	mov ah, 60h		; still running: nothing took the request
	jmp apm_error

; Power the machine off through every port we know of; returns if none
; of them did.
power_off:
	push si
	push dx
	push ax
	mov dx, 8900h
	mov si, msg_shutdown
.next:
	cs lodsb
	or al, al
	jz .acpi
	out dx, al
	jmp .next
.acpi:
	; ACPI PM1a_CNT: SLP_TYP = 5 (\_S5), SLP_EN
	mov dx, ACPI_PM1_CNT
	mov ax, (5 << 10) | 2000h | 1
	out dx, ax
	pop ax
	pop dx
	pop si
	ret

msg_shutdown:	db "Shutdown", 0

apm_status:			; 0Ah: power status: AC on line, no battery
	mov word [bp + F_BX], 01FFh
	mov word [bp + F_CX], 80FFh
	mov word [bp + F_DX], 0FFFFh
	jmp apm_ok_conn

apm_event:			; 0Bh: no events
	test byte [BDA_APM], 1
	jnz .none
	mov ah, 03h
	jmp apm_error
.none:
	mov ah, 80h
	jmp apm_error

apm_driver:			; 0Eh: the driver's version in CX; answer 1.2 at most
	mov ax, [bp + F_CX]
	cmp ax, APM_VERSION
	jbe .v
	mov ax, APM_VERSION
.v:
	mov [bp + F_AX], ax
	test byte [BDA_APM], 1
	jnz .ok
	mov ah, 03h
	jmp apm_error
.ok:
	and word [bp + F_FLAGS], ~FL_CF
	ret

apm_caps:			; 10h: no batteries, no resume timers
	mov word [bp + F_BX], 0
	mov word [bp + F_CX], 0
	jmp apm_ok_conn

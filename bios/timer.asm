; tandem BIOS: INT 08h (IRQ0 tick), INT 1Ah time of day and RTC, INT 70h.

TICKS_PER_DAY	equ 1800B0h

int08:
	push ax
	push dx
	push ds
	mov ax, BDA_SEG
	mov ds, ax
	add word [BDA_TICKS], 1
	adc word [BDA_TICKS_HI], 0
	cmp word [BDA_TICKS_HI], TICKS_PER_DAY >> 16
	jb .motor
	cmp word [BDA_TICKS], TICKS_PER_DAY & 0FFFFh
	jb .motor
	mov word [BDA_TICKS], 0
	mov word [BDA_TICKS_HI], 0
	mov byte [BDA_MIDNIGHT], 1
.motor:
	cmp byte [BDA_FDMCOUNT], 0
	je .user
	dec byte [BDA_FDMCOUNT]
	jnz .user
	and byte [BDA_FDMOTOR], 0F0h
	mov al, 0Ch
	mov dx, 3F2h
	out dx, al
.user:
	int 1Ch
	cli
	mov al, 20h
	out 20h, al
	pop ds
	pop dx
	pop ax
	iret

; IRQ8: the RTC alarm calls INT 4Ah.
int70:
	push ax
	mov al, 0Ch
	out 70h, al
	jmp short $+2
	in al, 71h		; reading C acknowledges the RTC
	test al, 20h
	jz .eoi
	sti
	int 4Ah
	cli
.eoi:
	mov al, 20h
	out 0A0h, al
	out 20h, al
	pop ax
	iret

int1a:
	cmp ah, 0B1h
	je .pci
.normal:
	sti
	cld
	FRAME_ENTER
	DISPATCH_AH t_table, T_COUNT, t_none
	FRAME_LEAVE
	iret
.pci:				; the PCI BIOS, when POST found PCI on a 386
	push ds
	push ax
	mov ax, BDA_SEG
	mov ds, ax
	test byte [BDA_MACHINE], MACH_386
	jz .nopci
	mov ds, [BDA_EBDASEG]
	cmp byte [EBDA_PCI], 1
	jne .nopci
	pop ax
	pop ds
	jmp pcibios
.nopci:
	pop ax
	pop ds
	jmp .normal

t_table:
	dw t_getticks, t_setticks, t_gettime, t_settime
	dw t_getdate, t_setdate, t_setalarm, t_resetalarm
T_COUNT equ ($ - t_table) / 2

t_none:
	ret

t_getticks:
	cli
	mov ax, [BDA_TICKS]
	mov [bp + F_DX], ax
	mov ax, [BDA_TICKS_HI]
	mov [bp + F_CX], ax
	xor al, al
	xchg al, [BDA_MIDNIGHT]
	sti
	mov [bp + F_AL], al
	ret

t_setticks:
	cli
	mov [BDA_TICKS], dx
	mov [BDA_TICKS_HI], cx
	mov byte [BDA_MIDNIGHT], 0
	sti
	ret

; Fail with CF set when there is no RTC; else wait until no update is in
; progress (bounded: a stuck UIP bit must not hang the caller).
rtc_ready:
	test byte [BDA_MACHINE], MACH_CMOS
	jz .absent
	push cx
	mov cx, 0FFFFh
.wait:
	mov al, 0Ah
	call cmos_read
	test al, 80h
	jz .ok
	loop .wait
	pop cx
.absent:
	or word [bp + F_FLAGS], FL_CF
	stc
	ret
.ok:
	pop cx
	and word [bp + F_FLAGS], ~FL_CF
	clc
	ret

; AH=02h: CH hours, CL minutes, DH seconds (BCD), DL daylight saving.
t_gettime:
	call rtc_ready
	jc .out
	cli
	mov al, 04h
	call cmos_read
	mov [bp + F_CH], al
	mov al, 02h
	call cmos_read
	mov [bp + F_CL], al
	mov al, 00h
	call cmos_read
	mov [bp + F_DH], al
	mov al, 0Bh
	call cmos_read
	and al, 01h
	mov [bp + F_DL], al
	sti
.out:
	ret

; Set bit 7 (SET) of register B around an update so the clock does not
; tick in the middle of it.
rtc_hold:
	mov al, 0Bh
	call cmos_read
	or al, 80h
	mov ah, al
	mov al, 0Bh
	jmp cmos_write

rtc_release:
	mov al, 0Bh
	call cmos_read
	and al, 7Fh
	mov ah, al
	mov al, 0Bh
	jmp cmos_write

; AH=03h: set time from CH, CL, DH and DL bit 0.
t_settime:
	call rtc_ready
	jc .out
	cli
	call rtc_hold
	mov al, 04h
	mov ah, ch
	call cmos_write
	mov al, 02h
	mov ah, cl
	call cmos_write
	mov al, 00h
	mov ah, dh
	call cmos_write
	mov al, 0Bh
	call cmos_read
	and al, 0FEh
	and dl, 01h
	or al, dl
	or al, 02h		; 24-hour mode
	mov ah, al
	mov al, 0Bh
	call cmos_write
	call rtc_release
	sti
.out:
	ret

; AH=04h: CH century, CL year, DH month, DL day (BCD).
t_getdate:
	call rtc_ready
	jc .out
	cli
	mov al, 32h
	call cmos_read
	mov [bp + F_CH], al
	mov al, 09h
	call cmos_read
	mov [bp + F_CL], al
	mov al, 08h
	call cmos_read
	mov [bp + F_DH], al
	mov al, 07h
	call cmos_read
	mov [bp + F_DL], al
	sti
.out:
	ret

t_setdate:
	call rtc_ready
	jc .out
	cli
	call rtc_hold
	mov al, 32h
	mov ah, ch
	call cmos_write
	mov al, 09h
	mov ah, cl
	call cmos_write
	mov al, 08h
	mov ah, dh
	call cmos_write
	mov al, 07h
	mov ah, dl
	call cmos_write
	call rtc_release
	sti
.out:
	ret

; AH=06h: alarm at CH:CL:DH; CF set if one is already armed.
t_setalarm:
	call rtc_ready
	jc .out
	mov al, 0Bh
	call cmos_read
	test al, 20h
	jz .free
	or word [bp + F_FLAGS], FL_CF
	ret
.free:
	cli
	mov al, 05h
	mov ah, ch
	call cmos_write
	mov al, 03h
	mov ah, cl
	call cmos_write
	mov al, 01h
	mov ah, dh
	call cmos_write
	mov al, 0Bh
	call cmos_read
	or al, 20h
	mov ah, al
	mov al, 0Bh
	call cmos_write
	in al, 0A1h		; unmask IRQ8
	and al, 0FEh
	out 0A1h, al
	sti
.out:
	ret

t_resetalarm:
	call rtc_ready
	jc .out
	cli
	mov al, 0Bh
	call cmos_read
	and al, 0DFh
	mov ah, al
	mov al, 0Bh
	call cmos_write
	sti
.out:
	ret

; Seed the tick count from the RTC time: ticks = seconds * 1193180 / 65536.
rtc_to_ticks:
	test byte [BDA_MACHINE], MACH_CMOS
	jz .done
	mov al, 04h
	call cmos_read
	call bcd_to_bin
	mov cl, al		; hours
	mov al, 02h
	call cmos_read
	call bcd_to_bin
	mov ch, al		; minutes
	mov al, 00h
	call cmos_read
	call bcd_to_bin
	mov bl, al		; seconds
	mov al, cl
	xor ah, ah
	mov dx, 60
	mul dx			; AX = hours * 60 (< 1440)
	mov cl, ch
	xor ch, ch
	add ax, cx		; minutes of the day
	mov dx, 60
	mul dx			; DX:AX = minutes * 60
	xor bh, bh
	add ax, bx
	adc dx, 0		; DX:AX = seconds (DX <= 1)
	mov si, dx
	mov di, ax
	mov bx, 18
	mul bx			; DX:AX = low seconds * 18 (high part below)
	mov cx, ax
	mov bx, dx
	mov ax, di
	mov dx, 34DCh
	mul dx			; DX = (low seconds * 34DCh) >> 16
	add cx, dx
	adc bx, 0
	or si, si
	jz .store
	add bx, 18		; seconds >= 65536: + 65536 * 18
	add cx, 34DCh		;   + (65536 * 34DCh) >> 16
	adc bx, 0
.store:
	mov [BDA_TICKS], cx
	mov [BDA_TICKS_HI], bx
.done:
	ret

bcd_to_bin:			; AL BCD -> binary
	push cx
	mov ah, al
	mov cl, 4
	shr ah, cl
	and al, 0Fh
	mov cl, al
	mov al, ah
	mov ah, 10
	mul ah
	add al, cl
	pop cx
	ret

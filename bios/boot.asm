; tandem BIOS: INT 19h bootstrap, INT 18h, and the small fixed services.

int11:
	push ds
	mov ax, BDA_SEG
	mov ds, ax
	mov ax, [BDA_EQUIP]
	pop ds
	iret

int12:
	push ds
	mov ax, BDA_SEG
	mov ds, ax
	mov ax, [BDA_MEMKB]
	pop ds
	iret

dummy_iret:
	iret

irq_master:			; unused IRQ 0-7
	push ax
	mov al, 20h
	out 20h, al
	pop ax
	iret

irq_slave:			; unused IRQ 8-15
	push ax
	mov al, 20h
	out 0A0h, al
	out 20h, al
	pop ax
	iret

; Halt for good, still answering interrupts (so the keyboard, a debugger
; or the frontend can see the machine is idle, not hung in a loop).
halt_forever:
	sti
	hlt
	jmp halt_forever

int18:
	sti
	push cs
	pop ds
	mov si, msg_nobasic
	call print_str
	jmp halt_forever

; Try one drive: DL.  Loads sector 0 to 0000:7C00 and returns CF clear if it
; looks bootable: hard disks need the 55AAh signature, floppies only need a
; sector that is not blank (as the IBM BIOS, which ignores the signature).
boot_try:
	mov di, 3		; a floppy gets retries, like on a real drive
.retry:
	xor ax, ax
	int 13h
	mov es, ax
	mov bx, 7C00h
	mov ax, 0201h
	mov cx, 0001h
	xor dh, dh
	int 13h
	jnc .read
	dec di
	jnz .retry
	stc
	ret
.read:
	cmp dl, 80h
	jb .floppy
	cmp word [es:7DFEh], 0AA55h
	je .ok
	stc
	ret
.floppy:
	mov si, 7C00h
	mov al, [es:si]
	mov cx, 512
.scan:
	cmp [es:si], al
	jne .ok
	inc si
	loop .scan
	stc			; every byte the same: blank or freshly formatted
	ret
.ok:
	clc
	ret

; Boot order from CMOS 3Dh/38h (QEMU layout: 3Dh low nibble first device,
; high nibble second, 38h high nibble third; 1 floppy, 2 hard disk, 3 CD,
; 0 none); without a valid first device: floppy, hard disk, CD.  The F12
; menu (boot_menu) may have put one device first.
int19:
	cli
	xor ax, ax
	mov ss, ax
	mov sp, POST_SP
	sti
	cld
	mov ax, BDA_SEG
	mov ds, ax
	mov bx, 0201h		; BL first, BH second, CL third
	mov cl, 03h
	test byte [BDA_MACHINE], MACH_CMOS
	jz .menu
	mov al, 3Dh
	call cmos_read
	mov ah, al
	and al, 0Fh
	push cx
	mov cl, 4
	shr ah, cl
	pop cx
	cmp al, 1
	jb .menu
	cmp al, 3
	ja .menu
	mov bx, ax
	mov al, 38h
	call cmos_read
	push cx
	mov cl, 4
	shr al, cl
	pop cx
	mov cl, al
.menu:
	mov al, [BDA_BOOTSEL]	; the menu's choice goes first
	or al, al
	jz .order
	mov bl, al
	xor bh, bh
	xor cl, cl
.order:
	mov ch, 3
.next:
	push cx
	push bx
	call boot_device	; returns only when BL cannot boot
	pop bx
	pop cx
	mov bl, bh
	mov bh, cl
	xor cl, cl
	dec ch
	jnz .next
	push cs
	pop ds
	mov si, msg_noboot
	call print_str
	jmp halt_forever

; Boot device BL (1 floppy, 2 hard disk, 3 CD); returns if it cannot.
boot_device:
	mov dl, 0
	cmp bl, 1
	je .disk
	mov dl, 80h
	cmp bl, 2
	je .disk
	cmp bl, 3
	jne .ret
	call cd_boot
	jc .ret
	or dl, dl
	jnz .cd
	or byte [BDA_EQUIP], 1	; an emulated floppy counts as drive A:
.cd:
	xor bx, bx
	mov ds, bx
	mov es, bx
	push ax			; load segment:0000, DL = the CD or 00h
	push bx
	retf
.disk:
	push dx
	call boot_try
	pop dx
	jc .ret
	xor ax, ax
	mov ds, ax
	mov es, ax
	xor dh, dh
	jmp 0000h:7C00h
.ret:
	ret

msg_noboot:
	db 13, 10, "No bootable device: insert a boot disk", 13, 10, 0
msg_nobasic:
	db 13, 10, "No ROM BASIC: system halted", 13, 10, 0

; POST, just before INT 19h (DS = BDA, interrupts on): F12 opens a menu of
; the boot devices.  With a window it waits a second for the key; headless
; (CMOS 7Eh = 1) it only looks at keys already typed.
boot_menu:
	push cs
	pop es
	mov cx, 1		; ticks to wait
	test byte [BDA_MACHINE], MACH_CMOS
	jz .wait
	mov al, 7Eh
	call cmos_read
	or al, al
	jnz .look
	mov si, msg_f12
	call print_str
	mov cx, 18
.wait:
	mov bx, [BDA_TICKS]
.poll:
	call .f12
	jz .menu
	mov ax, [BDA_TICKS]
	sub ax, bx
	cmp ax, cx
	jae .none
	hlt
	jmp .poll
.look:
	call .f12
	jz .menu
	ret
.none:
	mov si, msg_crlf
	call print_str
	ret
.menu:
	mov si, msg_menu
	call print_str
	test byte [BDA_EQUIP], 1
	jz .m2
	mov si, msg_m1
	call print_str
.m2:
	cmp byte [BDA_HDCOUNT], 0
	je .m3
	mov si, msg_m2
	call print_str
.m3:
	push ds
	mov ds, [BDA_EBDASEG]
	test byte [EBDA_ATAPI], 1
	pop ds
	jz .key
	mov si, msg_m3
	call print_str
.key:
	xor ah, ah
	int 16h
	cmp al, 1Bh
	je .none
	cmp al, 13
	je .none
	sub al, '0'
	cmp al, 1
	jb .key
	cmp al, 3
	ja .key
	mov [BDA_BOOTSEL], al
	jmp .none

; ZF set when F12 is next in the keyboard buffer (it is taken out);
; other keys are left alone.
.f12:
	mov ah, 11h
	int 16h
	jz .no
	cmp ax, 8600h
	jne .no
	mov ah, 10h
	int 16h
	xor ax, ax		; ZF
	ret
.no:
	or sp, sp		; ZF clear
	ret

msg_f12:	db "Press F12 for the boot menu", 0
msg_menu:	db 13, 10, "Boot from:", 13, 10, 0
msg_m1:		db " 1. Floppy A:", 13, 10, 0
msg_m2:		db " 2. Hard disk", 13, 10, 0
msg_m3:		db " 3. CD-ROM", 13, 10, 0

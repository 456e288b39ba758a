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

; Boot order from CMOS 3Dh (QEMU layout: low nibble first device, high
; nibble second; 1 floppy, 2 hard disk, 0 none); without a valid first
; device: floppy, then hard disk.
int19:
	cli
	xor ax, ax
	mov ss, ax
	mov sp, POST_SP
	sti
	cld
	mov ax, BDA_SEG
	mov ds, ax
	mov bx, 0201h		; BL first, BH second
	test byte [BDA_MACHINE], MACH_CMOS
	jz .order
	mov al, 3Dh
	call cmos_read
	mov ah, al
	and al, 0Fh
	mov cl, 4
	shr ah, cl
	cmp al, 1
	jb .order
	cmp al, 2
	ja .order
	mov bx, ax
.order:
	mov cx, 2
.next:
	push cx
	push bx
	mov dl, 0
	cmp bl, 1
	je .go
	mov dl, 80h
	cmp bl, 2
	jne .skip
.go:
	push dx
	call boot_try
	pop dx
	jnc .boot
.skip:
	pop bx
	pop cx
	mov bl, bh
	loop .next
	push cs
	pop ds
	mov si, msg_noboot
	call print_str
	jmp halt_forever
.boot:
	xor ax, ax
	mov ds, ax
	mov es, ax
	xor dh, dh
	jmp 0000h:7C00h

msg_noboot:
	db 13, 10, "No bootable device: insert a boot disk", 13, 10, 0
msg_nobasic:
	db 13, 10, "No ROM BASIC: system halted", 13, 10, 0

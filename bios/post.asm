; tandem BIOS: power-on self test and machine set-up, ending in INT 19h.
; POST codes (port 80h) mark each stage; see README.md for the list.

post:
	cli
	cld
	POST_CODE 01h
	; An AT returning from protected mode through a CPU reset leaves a
	; shutdown code in CMOS 0Fh (IBM AT BIOS meanings); the devices keep
	; their state, so these paths skip POST.  An xt reads FFh here.
	mov al, 0Fh
	out 70h, al
	jmp short $+2
	in al, 71h
	cmp al, 04h
	jb .cold
	cmp al, 0Ch
	ja .cold
	mov ah, al
	mov al, 0Fh
	out 70h, al
	jmp short $+2
	xor al, al
	out 71h, al
	mov bx, BDA_SEG
	mov ds, bx
	cmp ah, 05h
	je .resume_eoi
	cmp ah, 0Ah
	je .resume
	cmp ah, 09h
	je .blockmove
	cmp ah, 0Bh
	je .iret
	cmp ah, 0Ch
	je .retf
	cmp ah, 04h
	jne .cold		; 06h-08h: POST-internal codes, start over
	xor ax, ax		; 04h: bootstrap request
	mov ss, ax
	mov sp, POST_SP
	sti
	int 19h
	jmp halt_forever
.resume_eoi:			; 05h: flush the keyboard, EOI, jump
	in al, 60h
	mov al, 20h
	out 0A0h, al
	out 20h, al
.resume:			; 0Ah: jump via 0040:0067
	jmp far [ds:67h]
.blockmove:			; 09h: INT 15h AH=87h on a 286 comes back here
	mov ss, [69h]
	mov sp, [67h]
	jmp bm_resume
.iret:				; 0Bh: SS:SP from 0040:0067, IRET
	mov ss, [69h]
	mov sp, [67h]
	iret
.retf:				; 0Ch: SS:SP from 0040:0067, RETF
	mov ss, [69h]
	mov sp, [67h]
	retf
.cold:
	POST_CODE 02h
	; PIT channel 0: mode 3, full count (18.2 Hz); channel 2 for the speaker.
	mov al, 36h
	out 43h, al
	xor al, al
	out 40h, al
	out 40h, al
	mov al, 0B6h
	out 43h, al
	mov ax, 1331
	out 42h, al
	mov al, ah
	out 42h, al

	POST_CODE 03h
	xor ax, ax
	mov ss, ax
	mov sp, POST_SP
	mov ds, ax
	mov es, ax
	; Clear the IVT and BDA (keeping the warm-boot flag), then the rest of
	; the first 32 KiB below the stack.
	mov bx, [0472h]
	xor di, di
	mov cx, 0500h / 2
	rep stosw
	mov [0472h], bx

	mov ax, BDA_SEG
	mov ds, ax
	POST_CODE 04h
	call detect_machine

	POST_CODE 05h
	call pic_init

	POST_CODE 06h
	call ivt_init

	POST_CODE 07h
	call memory_init
	call bda_init
	call e820_build
	call vbe_init
	call pci_init
	call acpi_build
	call smbios_init

	POST_CODE 08h
	call equipment_init

	POST_CODE 09h
	mov ax, 0003h
	test byte [BDA_EQUIP], 30h
	jz .vga
	mov al, [BDA_EQUIP]
	and al, 30h
	cmp al, 30h
	jne .vga
	mov al, 07h
.vga:
	int 10h

%ifndef NO_OPTROMS
	POST_CODE 0Ah
%ifndef NO_VIDEO_ROM
	mov ax, 0C000h		; a video BIOS, if the board has one, comes first
	mov dx, 0C800h
	call optrom_scan
%endif
%endif

	POST_CODE 0Bh
	call ports_init

	POST_CODE 0Ch
	call kbd_init

	POST_CODE 0Dh
	call fdc_init
	call ata_init
	call disk_probe

	POST_CODE 0Eh
	call rtc_to_ticks

	; hardware IRQs: timer, keyboard, cascade; the rest stay masked
	mov al, 0FCh
	test byte [BDA_MACHINE], MACH_AT
	jz .mask
	mov al, 0F8h
.mask:
	test byte [BDA_MACHINE], MACH_FDC
	jz .nofdc
	and al, 0BFh		; IRQ6 for the floppy controller
.nofdc:
	out 21h, al
	sti

%ifndef NO_OPTROMS
	POST_CODE 0Fh
	mov ax, 0C800h
	mov dx, 0F000h
	call optrom_scan
%endif

	POST_CODE 10h
	call banner

	call boot_menu
	POST_CODE 11h
	mov word [BDA_RESETFLAG], 0
%ifdef TEST_INCLUDE
	call test_entry		; -DTEST_INCLUDE='"file.asm"': BIOS self-tests
%endif
	int 19h
	jmp halt_forever

; An AT board has a slave 8259A at A0h; its mask register reads back.  The
; MC146818 is there if register A does not float.  The disk interface is
; there if drive 00h's status has its reserved bits clear.
detect_machine:
	xor bl, bl
	mov al, 55h
	out 0A1h, al
	jmp short $+2
	in al, 0A1h
	cmp al, 55h
	jne .xt
	mov al, 0AAh
	out 0A1h, al
	jmp short $+2
	in al, 0A1h
	cmp al, 0AAh
	jne .xt
	or bl, MACH_AT
.xt:
	mov al, 0Ah
	call cmos_read
	cmp al, 0FFh
	je .nocmos
	or bl, MACH_CMOS
	mov al, 0Fh		; shutdown code: done with it
	xor ah, ah
	call cmos_write
.nocmos:
	mov dx, DISK_SELECT
	xor al, al
	out dx, al
	inc dx
	in al, dx
	test al, DST_RESERVED
	jnz .nodisk
	or bl, MACH_DISKIF
.nodisk:
	call cpu_detect
	or bl, al
	mov [BDA_MACHINE], bl
	test bl, MACH_AT
	jnz .done
	xor al, al		; xt: NMI mask register at A0h
	out 0A0h, al
.done:
	ret

; AL = MACH_286 | MACH_386 bits for the CPU.  An 8086/80186 keeps FLAGS
; bits 12-15 set; a 286 in real mode keeps them clear; a 386 lets IOPL and
; NT be set.  Interrupts stay off (POST runs with CLI).
cpu_detect:
	xor ax, ax
	push ax
	popf
	pushf
	pop ax
	and ax, 0F000h
	cmp ax, 0F000h
	je .i86
	mov ax, 7000h
	push ax
	popf
	pushf
	pop ax
	test ax, 7000h
	mov al, MACH_286
	jz .done
	mov al, MACH_286 | MACH_386
	jmp .done
.i86:
	xor al, al
.done:
	xor cx, cx		; clean FLAGS again (IF, DF off)
	push cx
	popf
	ret

; 8259A: edge triggered, master at 08h; on at a slave at 70h on IRQ2.
pic_init:
	test byte [BDA_MACHINE], MACH_AT
	jz .single
	mov al, 11h		; ICW1: edge, cascade, ICW4
	out 20h, al
	out 0A0h, al
	mov al, 08h
	out 21h, al
	mov al, 70h
	out 0A1h, al
	mov al, 04h		; slave on IRQ2
	out 21h, al
	mov al, 02h
	out 0A1h, al
	mov al, 01h		; 8086 mode, normal EOI
	out 21h, al
	out 0A1h, al
	mov al, 0FFh
	out 21h, al
	out 0A1h, al
	ret
.single:
	mov al, 13h		; ICW1: edge, single, ICW4
	out 20h, al
	mov al, 08h
	out 21h, al
	mov al, 01h		; 8086 mode, normal EOI
	out 21h, al
	mov al, 0FFh
	out 21h, al
	ret

; Vector table: defaults, then the services.
ivt_init:
	push ds
	xor ax, ax
	mov es, ax
	xor di, di
	mov cx, 100h
.fill:
	mov ax, dummy_iret
	stosw
	mov ax, cs
	stosw
	loop .fill
	mov di, 08h * 4
	mov cx, 8
.master:
	mov ax, irq_master
	stosw
	mov ax, cs
	stosw
	loop .master
	mov di, 70h * 4
	mov cx, 8
.slave:
	mov ax, irq_slave
	stosw
	mov ax, cs
	stosw
	loop .slave
	; 60h-67h are for users, 1Dh-1Fh, 41h, 43h and 46h point at data
	mov di, 60h * 4
	mov cx, 8 * 2
	xor ax, ax
	rep stosw
	push cs
	pop ds
	mov si, ivt_services
.svc:
	lodsw			; vector number, FFFFh ends
	cmp ax, 0FFFFh
	je .done
	mov di, ax
	shl di, 1
	shl di, 1
	movsw
	mov ax, cs
	stosw
	jmp .svc
.done:
	mov word [es:43h * 4], font8x8		; graphics-mode characters
	mov word [es:1Fh * 4], font8x8 + 400h	; 80h-FFh, CGA style
	xor ax, ax
	mov [es:41h * 4], ax	; set by disk_probe when a disk is there
	mov [es:41h * 4 + 2], ax
	mov [es:46h * 4], ax
	mov [es:46h * 4 + 2], ax
	pop ds
	ret

ivt_services:
	dw 08h, int08, 09h, int09, 10h, int10, 11h, int11
	dw 12h, int12, 13h, int13, 14h, int14, 15h, int15
	dw 16h, int16, 17h, int17, 18h, int18, 19h, int19
	dw 1Ah, int1a, 1Dh, video_params, 1Eh, fd_table_144, 0Eh, int0e
	dw 40h, int13, 70h, int70, 74h, int74
	dw 0FFFFh

; Conventional memory: probe 1 KiB steps from 32 KiB up to 640 KiB; a
; location is RAM if two patterns read back and 0000:0000 is not its alias.
; The top KiB becomes the EBDA.
memory_init:
	push ds
	xor ax, ax
	mov es, ax
	mov word [es:0], 0
	mov bx, 0800h		; segment being probed
.probe:
	mov ds, bx
	mov cx, [0]
	mov word [0], 55AAh
	cmp word [0], 55AAh
	jne .end
	cmp word [es:0], 0
	jne .end
	mov word [0], 0AA55h
	cmp word [0], 0AA55h
	jne .end
	mov [0], cx
	add bx, 40h
	cmp bx, 0A000h
	jb .probe
.end:
	mov word [es:0], 0
	pop ds
	sub bx, EBDA_SIZE_KB * 40h
	mov [BDA_EBDASEG], bx
	mov cl, 6
	mov ax, bx
	shr ax, cl
	mov [BDA_MEMKB], ax
	test byte [BDA_MACHINE], MACH_AT
	jz .xt
	mov [BDA_EBDA], bx
.xt:
	mov es, bx
	xor di, di
	mov cx, EBDA_SIZE_KB * 512
	xor ax, ax
	rep stosw
	mov byte [es:0], EBDA_SIZE_KB
	ret

bda_init:
	mov ax, BDA_KBBUF
	mov [BDA_KBHEAD], ax
	mov [BDA_KBTAIL], ax
	mov [BDA_KBSTART], ax
	mov word [BDA_KBEND], BDA_KBBUF_END
	mov byte [BDA_KBF3], 10h	; enhanced keyboard
	mov ax, 0101h
	mov [BDA_COMTMO], ax
	mov [BDA_COMTMO + 2], ax
	mov ax, 1414h
	mov [BDA_LPTTMO], ax
	mov [BDA_LPTTMO + 2], ax
	ret

; Equipment word: FPU and video bits from CMOS 14h (at) or the 8255
; switches (xt); drives and ports are filled in as they are found.
equipment_init:
	test byte [BDA_MACHINE], MACH_CMOS
	jz .switches
	mov al, 14h
	call cmos_read
	jmp .got
.switches:
	in al, 61h
	mov ah, al
	or al, 08h		; bit 3 set: switches 5-8 on port C
	out 61h, al
	in al, 62h
	mov cl, 4
	shl al, cl
	mov bl, al
	mov al, ah
	and al, 0F7h
	out 61h, al
	in al, 62h
	and al, 0Fh
	or al, bl
.got:
	and al, 32h
	xor ah, ah
	mov [BDA_EQUIP], ax
	ret

; COM and LPT ports: a UART's line control register and a printer's data
; latch read back what was written.
ports_init:
	mov si, com_bases
	xor di, di
.com:
	mov dx, [cs:si]
	or dx, dx
	jz .lpt
	add si, 2
	add dx, 3
	mov al, 1Bh
	out dx, al
	jmp short $+2
	in al, dx
	cmp al, 1Bh
	jne .com
	mov al, 03h
	out dx, al
	jmp short $+2
	in al, dx
	cmp al, 03h
	jne .com
	sub dx, 3
	mov [BDA_COM + di], dx
	add di, 2
	jmp .com
.lpt:
	mov ax, di
	shr ax, 1
	mov cl, 9
	shl ax, cl
	or [BDA_EQUIP], ax
	mov si, lpt_bases
	xor di, di
.lptn:
	mov dx, [cs:si]
	or dx, dx
	jz .done
	add si, 2
	mov al, 0AAh
	out dx, al
	jmp short $+2
	in al, dx
	cmp al, 0AAh
	jne .lptn
	mov al, 55h
	out dx, al
	jmp short $+2
	in al, dx
	cmp al, 55h
	jne .lptn
	xor al, al
	out dx, al
	add dx, 2
	mov al, 0Ch		; not strobe, not init, select
	out dx, al
	sub dx, 2
	mov [BDA_LPT + di], dx
	add di, 2
	jmp .lptn
.done:
	mov ax, di
	shr ax, 1
	mov cl, 14
	shl ax, cl
	or [BDA_EQUIP], ax
	ret

com_bases:
	dw 3F8h, 2F8h, 3E8h, 2E8h, 0
lpt_bases:
	dw 3BCh, 378h, 278h, 0

; Keyboard: on at, flush the i8042, set its command byte (IRQ1, system
; flag, translation to set 1, aux off) and enable the keyboard; on xt,
; clock the keyboard and clear the latch.
kbd_init:
	test byte [BDA_MACHINE], MACH_AT
	jz .xt
	call kbc_flush
	mov al, 60h
	call kbc_cmd
	mov al, 65h
	call kbc_data
	mov al, 0AEh
	call kbc_cmd
	call kbc_flush
	ret
.xt:
	in al, 61h
	or al, 0C0h
	out 61h, al
	and al, 7Fh
	out 61h, al
	ret

kbc_wait:			; until the input buffer is empty (bounded)
	push ax
	push cx
	xor cx, cx
.w:
	in al, 64h
	test al, 02h
	jz .ok
	loop .w
.ok:
	pop cx
	pop ax
	ret

kbc_cmd:
	call kbc_wait
	out 64h, al
	ret

kbc_data:
	call kbc_wait
	out 60h, al
	ret

kbc_flush:
	push ax
	push cx
	mov cx, 64
.f:
	in al, 64h
	test al, 01h
	jz .done
	in al, 60h
	loop .f
.done:
	pop cx
	pop ax
	ret

%ifndef NO_OPTROMS
; Call every option ROM (55AAh, length byte, zero checksum) between
; segments AX and DX, on 2 KiB boundaries.
optrom_scan:
	push ds
.next:
	cmp ax, dx
	jae .done
	mov ds, ax
	cmp word [0], 0AA55h
	jne .skip
	mov cl, [2]
	xor ch, ch
	jcxz .skip
	; checksum over CX 512-byte blocks
	push ax
	push cx
	push ds
	xor bl, bl
.blk:
	push cx
	xor si, si
	mov cx, 512
.sum:
	add bl, [si]
	inc si
	loop .sum
	pop cx
	mov si, ds
	add si, 20h
	mov ds, si
	loop .blk
	pop ds
	pop cx
	pop ax
	or bl, bl
	jnz .skip
	; far call seg:0003
	push ax
	push cx
	push dx
	push bp
	push es
	push ds
	mov si, BDA_SEG
	mov es, si
	mov [es:BDA_SAVESP], sp
	push cs
	mov si, .back
	push si
	push ax
	mov si, 3
	push si
	retf
.back:
	cli
	mov si, BDA_SEG
	mov ds, si
	xor si, si
	mov ss, si
	mov sp, [BDA_SAVESP]
	sti
	pop ds
	pop es
	pop bp
	pop dx
	pop cx
	pop ax
	cld
	; round the ROM length up to 2 KiB
	add cx, 3
	shr cx, 1
	shr cx, 1
	shl cx, 1
	shl cx, 1
	shl cx, 1
	shl cx, 1
	shl cx, 1
	shl cx, 1
	add ax, cx
	jmp .next
.skip:
	add ax, 80h
	jmp .next
.done:
	pop ds
	ret
%endif

; One line for the system, one for memory, one for the drives.
banner:
	push cs
	pop es
	mov si, msg_banner
	call print_str
	mov si, msg_xt
	test byte [BDA_MACHINE], MACH_AT
	jz .type
	mov si, msg_at
.type:
	call print_str
	mov ax, [BDA_MEMKB]
	call print_dec
	mov si, msg_kib_base
	call print_str
	test byte [BDA_MACHINE], MACH_AT
	jz .drives
	call ext_mem_kb
	mov si, msg_comma
	call print_str
	call print_dec
	mov si, msg_kib_ext
	call print_str
.drives:
	mov si, msg_drives
	call print_str
	xor cx, cx		; drives printed
	xor dl, dl
.fd:
	call d_select
	jc .fd_next
	inc cx
	mov al, ' '
	call print_char
	mov al, 'A'
	add al, dl
	call print_char
	mov al, ':'
	call print_char
	mov al, ' '
	call print_char
	push bx
	push si
	call d_geometry
	call d_fdtype
	pop si
	pop bx
	dec al
	mov ah, 6
	mul ah
	mov si, msg_fdtypes
	add si, ax
	call print_str
.fd_next:
	inc dl
	cmp dl, 2
	jb .fd
	mov dl, 80h
.hd:
	call d_select
	jc .hd_next
	inc cx
	mov si, msg_hd
	call print_str
	mov al, dl
	sub al, 80h - '0'
	call print_char
	mov al, ' '
	call print_char
	push dx
	call d_total		; DX:AX = sectors; 2048 to the MiB
	mov bx, 11
.shift:
	shr dx, 1
	rcr ax, 1
	dec bx
	jnz .shift
	call print_dec32
	pop dx
	mov si, msg_mib
	call print_str
.hd_next:
	inc dl
	cmp dl, 82h
	jb .hd
	push ds
	mov ds, [BDA_EBDASEG]
	test byte [EBDA_ATAPI], 1
	pop ds
	jz .nocd
	inc cx
	mov si, msg_cd
	call print_str
.nocd:
	or cx, cx
	jnz .end
	mov si, msg_none
	call print_str
.end:
	mov si, msg_crlf
	call print_str
	ret

msg_banner:	db "tandem BIOS ", BIOS_VERSION, 0
msg_xt:		db " (XT class)", 13, 10, "Memory: ", 0
msg_at:		db " (AT class)", 13, 10, "Memory: ", 0
msg_kib_base:	db " KiB conventional", 0
msg_kib_ext:	db " KiB extended", 0
msg_drives:	db 13, 10, "Drives:", 0
msg_comma:	db ", ", 0
msg_hd:		db " hd", 0
msg_mib:	db " MiB", 0
msg_cd:		db " CD-ROM", 0
msg_none:	db " none", 0
msg_crlf:	db 13, 10, 0
msg_fdtypes:
	db "360K", 0, 0
	db "1.2M", 0, 0
	db "720K", 0, 0
	db "1.44M", 0
	db "2.88M", 0

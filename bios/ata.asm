; tandem BIOS: hard disks 80h/81h on the ATA controller (1F0h/170h, PIO,
; polled with nIEN set), used when POST found one (MACH_IDE); the
; paravirtual interface serves them otherwise (the xt).  IDENTIFY at POST
; gives the size, LBA and LBA48 support; INT 13h CHS requests see a
; logical geometry (the drive's own up to 504 MiB, else LBA-assisted
; 16-255 heads x 63 sectors, at most 1024 cylinders).

EBDA_ATA	equ 320h	; two 16-byte entries, drive 80h and 81h
ATA_FLAGS	equ 0		; 01h present, 02h LBA, 04h LBA48
ATA_DEV		equ 1		; 00h master, 10h slave
ATA_BASE	equ 2		; command block port
ATA_TOTAL	equ 4		; sectors (dword, capped)
ATA_LCYL	equ 8		; logical cylinders (word), heads, sectors
ATA_LHEADS	equ 10
ATA_LSPT	equ 11
ATA_PCYL	equ 12		; the drive's own C/H/S
ATA_PHEADS	equ 14
ATA_PSPT	equ 15
EBDA_ATAPI	equ 340h	; the first CD: flags (01h), device, base port

ATA_ST_BSY	equ 80h
ATA_ST_DRQ	equ 08h
ATA_ST_ERR	equ 01h

; Wait until the device on the channel at DX (command block) is not busy:
; AL = status.  CF on time-out.  Keeps DX.
ata_wait:
	push cx
	push bx
	push dx
	add dx, 7
	mov bx, 16
.o:
	xor cx, cx
.w:
	in al, dx
	test al, ATA_ST_BSY
	jz .ok
	loop .w
	dec bx
	jnz .o
	pop dx
	pop bx
	pop cx
	stc
	ret
.ok:
	pop dx
	pop bx
	pop cx
	clc
	ret

; Select device AH (00h/10h, plus E0h-style bits) on channel DX.
ata_select_dev:
	push ax
	push dx
	add dx, 6
	mov al, ah
	or al, 0A0h
	out dx, al
	pop dx
	; 400 ns for the status to settle: four reads of the alternate status
	push dx
	add dx, 206h
	in al, dx
	in al, dx
	in al, dx
	in al, dx
	pop dx
	pop ax
	ret

; POST (DS = BDA), at: find ATA disks and the first ATAPI device.
ata_init:
	test byte [BDA_MACHINE], MACH_AT
	jz .none
	mov dx, 1F7h		; no controller at all: the bus floats
	in al, dx
	cmp al, 0FFh
	jne .ctl
	mov dx, 177h
	in al, dx
	cmp al, 0FFh
	je .none
.ctl:
	or byte [BDA_MACHINE], MACH_IDE
	push es
	mov es, [BDA_EBDASEG]
	mov di, EBDA_ATA	; next free disk entry
	mov dx, 1F0h
	call ata_probe_channel
	mov dx, 170h
	call ata_probe_channel
	pop es
.none:
	ret

ata_probe_channel:
	xor ah, ah
	call ata_probe
	mov ah, 10h
	call ata_probe
	ret

; Device AH on channel DX: an ATA disk fills the entry at ES:DI (DI
; advances, two at most), an ATAPI device the CD slot.
ata_probe:
	push ax
	push bx
	push cx
	call ata_select_dev
	push dx
	add dx, 7
	in al, dx
	pop dx
	cmp al, 0FFh
	je .out
	mov cl, al
	call ata_signature
	cmp bx, 0EB14h		; ATAPI (its status may read 00h)
	je .atapi_found
	or cl, cl		; nothing there
	jz .out
	call ata_wait
	jc .out
	push dx
	add dx, 206h
	mov al, 0Ah		; nIEN: we poll
	out dx, al
	pop dx
	push dx
	add dx, 7
	mov al, 0ECh		; IDENTIFY DEVICE
	out dx, al
	pop dx
	call ata_wait
	jc .out
	test al, ATA_ST_ERR
	jnz .atapi
	test al, ATA_ST_DRQ
	jz .out
	cmp di, EBDA_ATA + 32
	jae .drain
	mov [es:di + ATA_DEV], ah
	mov [es:di + ATA_BASE], dx
	mov byte [es:di + ATA_FLAGS], 01h
	xor bx, bx		; word number
.word:
	in ax, dx
	cmp bx, 1
	jne .w3
	mov [es:di + ATA_PCYL], ax
.w3:
	cmp bx, 3
	jne .w6
	mov [es:di + ATA_PHEADS], al
.w6:
	cmp bx, 6
	jne .w49
	mov [es:di + ATA_PSPT], al
.w49:
	cmp bx, 49
	jne .w60
	test ah, 02h		; LBA supported
	jz .w60
	or byte [es:di + ATA_FLAGS], 02h
.w60:
	cmp bx, 60
	jne .w61
	mov [es:di + ATA_TOTAL], ax
.w61:
	cmp bx, 61
	jne .w83
	mov [es:di + ATA_TOTAL + 2], ax
.w83:
	cmp bx, 83
	jne .w100
	test ah, 04h		; LBA48 supported
	jz .w100
	or byte [es:di + ATA_FLAGS], 04h
.w100:
	test byte [es:di + ATA_FLAGS], 04h
	jz .wnext
	cmp bx, 100
	jne .w101
	mov [es:di + ATA_TOTAL], ax
.w101:
	cmp bx, 101
	jne .w102
	mov [es:di + ATA_TOTAL + 2], ax
.w102:
	cmp bx, 102		; more than 2^32 sectors: cap
	jb .wnext
	cmp bx, 103
	ja .wnext
	or ax, ax
	jz .wnext
	mov word [es:di + ATA_TOTAL], 0FFFFh
	mov word [es:di + ATA_TOTAL + 2], 0FFFFh
.wnext:
	inc bx
	cmp bx, 256
	jb .word
	call ata_geometry_init
	add di, 16
	jmp .out
.drain:				; a third disk: read its data and forget it
	mov cx, 256
.d:
	in ax, dx
	loop .d
	jmp .out
.atapi:
	call ata_signature
	cmp bx, 0EB14h
	jne .out
.atapi_found:
	test byte [es:EBDA_ATAPI], 1
	jnz .out
	mov byte [es:EBDA_ATAPI], 1
	mov [es:EBDA_ATAPI + 1], ah
	mov [es:EBDA_ATAPI + 2], dx
.out:
	pop cx
	pop bx
	pop ax
	ret

; BX = LBA high:mid of channel DX (the device signature after a reset).
ata_signature:
	push ax
	push dx
	add dx, 4
	in al, dx
	mov bl, al
	inc dx
	in al, dx
	mov bh, al
	pop dx
	pop ax
	ret

; The logical geometry of the entry at ES:DI.
ata_geometry_init:
	push ax
	push bx
	push cx
	push dx
	test byte [es:di + ATA_FLAGS], 02h
	jnz .lba
	; CHS only: total = C * H * S, logical = physical
	mov al, [es:di + ATA_PHEADS]
	mul byte [es:di + ATA_PSPT]
	mul word [es:di + ATA_PCYL]
	mov [es:di + ATA_TOTAL], ax
	mov [es:di + ATA_TOTAL + 2], dx
	jmp .phys
.lba:
	; up to 1024 x 16 x 63 sectors the drive's own geometry fits
	cmp word [es:di + ATA_TOTAL + 2], 0Fh
	ja .assist
	jb .phys
	cmp word [es:di + ATA_TOTAL], 0C000h	; 1032192 = F C000h
	ja .assist
.phys:
	mov ax, [es:di + ATA_PCYL]
	cmp ax, 1024
	jbe .pc
	mov ax, 1024
.pc:
	mov [es:di + ATA_LCYL], ax
	mov al, [es:di + ATA_PHEADS]
	mov [es:di + ATA_LHEADS], al
	mov al, [es:di + ATA_PSPT]
	mov [es:di + ATA_LSPT], al
	jmp .done
.assist:
	mov bx, 16		; heads: 16, 32, 64, 128, 255
.try:
	mov ax, bx
	mov cx, 63
	mul cx
	mov cx, ax		; heads * 63
	mov ax, [es:di + ATA_TOTAL]
	mov dx, [es:di + ATA_TOTAL + 2]
	cmp dx, cx		; the quotient must fit in 16 bits
	jae .more
	div cx
	cmp ax, 1024
	jbe .fit
.more:
	cmp bx, 255
	je .cap
	shl bx, 1
	cmp bx, 256
	jb .try
	mov bx, 255
	jmp .try
.cap:
	mov ax, 1024
.fit:
	mov [es:di + ATA_LCYL], ax
	mov [es:di + ATA_LHEADS], bl
	mov byte [es:di + ATA_LSPT], 63
.done:
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; SI = the entry of drive DL (ES = EBDA); CF when absent.
ata_entry:
	mov es, [BDA_EBDASEG]
	mov si, dx
	and si, 7Fh
	cmp si, 2
	jae .absent
	shl si, 1
	shl si, 1
	shl si, 1
	shl si, 1
	add si, EBDA_ATA
	test byte [es:si + ATA_FLAGS], 01h
	jz .absent
	clc
	ret
.absent:
	stc
	ret

; d_select for ATA disks: CF when absent, AL = DST_PRESENT.
ata_select:
	push es
	push si
	call ata_entry
	mov al, DST_PRESENT
	pop si
	pop es
	ret

; d_geometry for ATA: SI cylinders, BL heads, BH sectors (logical).
ata_geometry:
	push es
	push ax
	call ata_entry
	mov bl, [es:si + ATA_LHEADS]
	mov bh, [es:si + ATA_LSPT]
	mov si, [es:si + ATA_LCYL]
	pop ax
	pop es
	ret

; DX:AX = total sectors of ATA drive DL.
ata_total:
	push es
	push si
	call ata_entry
	mov ax, [es:si + ATA_TOTAL]
	mov dx, [es:si + ATA_TOTAL + 2]
	pop si
	pop es
	ret

; The EBDA request (EBDA_X_*) on ATA drive DL: AL = INT 13h status,
; EBDA_X_DONE = sectors done.
ata_transfer:
	push es
	push si
	push bx
	push cx
	push dx
	call ata_entry
	mov word [es:EBDA_X_DONE], 0
	; the whole request must be on the disk
	mov ax, [es:EBDA_X_LBA]
	mov dx, [es:EBDA_X_LBA + 2]
	add ax, [es:EBDA_X_COUNT]
	adc dx, 0
	jc .range
	cmp dx, [es:si + ATA_TOTAL + 2]
	ja .range
	jb .chunk
	cmp ax, [es:si + ATA_TOTAL]
	jbe .chunk
.range:
	mov al, E13_NOSECTOR
	jmp .out
.chunk:
	mov cx, [es:EBDA_X_COUNT]
	sub cx, [es:EBDA_X_DONE]
	jnz .go
	xor al, al
	jmp .out
.go:
	cmp cx, 128
	jbe .n
	mov cx, 128
.n:
	mov dx, [es:si + ATA_BASE]
	call ata_wait
	jc .timeout
	mov ax, [es:EBDA_X_LBA]
	mov bx, [es:EBDA_X_LBA + 2]
	add ax, [es:EBDA_X_DONE]
	adc bx, 0		; BX:AX = LBA of this chunk
	push ax
	push dx
	add dx, 206h
	mov al, 0Ah		; nIEN
	out dx, al
	pop dx
	pop ax
	test byte [es:si + ATA_FLAGS], 02h
	jz .chs
	; LBA48 only near and past the LBA28 limit
	cmp bx, 0FFFh
	jb .lba28
	test byte [es:si + ATA_FLAGS], 04h
	jz .range
	call ata_regs48
	jmp .cmd
.lba28:
	call ata_regs28
	jmp .cmd
.chs:
	call ata_regs_chs
.cmd:
	; command: read 20h/24h, write 30h/34h, verify 40h/42h
	mov al, [es:EBDA_X_CMD]
	mov ah, 20h
	cmp al, 2
	jb .c
	mov ah, 30h
	je .c
	mov ah, 40h
.c:
	test bh, 80h		; ata_regs48 sets BH bit 7
	jz .c28
	cmp ah, 40h
	mov al, 42h
	je .c48
	mov al, ah
	add al, 4
.c48:
	mov ah, al
.c28:
	push dx
	add dx, 7
	mov al, ah
	out dx, al
	pop dx
	cmp byte [es:EBDA_X_CMD], 3
	je .verify
.sector:
	call ata_wait
	jc .timeout
	test al, ATA_ST_ERR
	jnz .error
	test al, ATA_ST_DRQ
	jz .error
	call ata_pio_sector
	inc word [es:EBDA_X_DONE]
	dec cx
	jnz .sector
	cmp byte [es:EBDA_X_CMD], 2
	jne .chunk
	call ata_wait		; the last write's completion
	jc .timeout
	test al, ATA_ST_ERR
	jnz .error
	jmp .chunk
.verify:
	call ata_wait
	jc .timeout
	test al, ATA_ST_ERR
	jnz .error
	add [es:EBDA_X_DONE], cx
	jmp .chunk
.error:
	push dx
	inc dx
	in al, dx		; error register
	pop dx
	mov ah, al
	mov al, 04h
	test ah, 10h		; IDNF
	jnz .out
	mov al, 10h
	test ah, 40h		; UNC
	jnz .out
	mov al, 03h
	test ah, 04h		; ABRT on a write: read-only
	jz .other
	cmp byte [es:EBDA_X_CMD], 2
	je .out
	mov al, 01h
	jmp .out
.other:
	mov al, 20h
	jmp .out
.timeout:
	mov al, E13_NOTREADY
.out:
	pop dx
	pop cx
	pop bx
	pop si
	pop es
	ret

; Task file for LBA28 BX:AX, CL sectors (0 = 256), device from the entry.
ata_regs28:
	push ax
	push dx
	push ax
	mov ah, bh
	and ah, 0Fh
	or ah, 40h		; LBA
	or ah, [es:si + ATA_DEV]
	call ata_select_dev
	add dx, 2
	mov al, cl
	out dx, al
	pop ax
	inc dx
	out dx, al		; LBA 0-7
	inc dx
	mov al, ah
	out dx, al		; 8-15
	inc dx
	mov al, bl
	out dx, al		; 16-23
	pop dx
	pop ax
	ret

; Task file for LBA48 BX:AX (bits 32-47 zero), CX sectors; BH bit 7 set on
; return marks the EXT command.
ata_regs48:
	push ax
	push dx
	push ax
	mov ah, 40h
	or ah, [es:si + ATA_DEV]
	call ata_select_dev
	add dx, 2
	xor al, al
	out dx, al		; count 15-8
	inc dx
	mov al, bh
	out dx, al		; LBA 24-31
	inc dx
	xor al, al
	out dx, al		; 32-39
	inc dx
	out dx, al		; 40-47
	sub dx, 3
	mov al, cl
	out dx, al		; count 7-0
	pop ax
	inc dx
	out dx, al
	inc dx
	mov al, ah
	out dx, al
	inc dx
	mov al, bl
	out dx, al
	pop dx
	pop ax
	or bh, 80h
	ret

; Task file for a drive without LBA: LBA BX:AX -> its own C/H/S, CL
; sectors.
ata_regs_chs:
	push ax
	push bx
	push cx
	push dx
	push di
	mov di, dx		; DI = base port
	mov dx, bx
	push cx
	mov cl, [es:si + ATA_PSPT]
	xor ch, ch
	div cx			; AX = track, DX = sector - 1
	inc dx
	mov bl, dl		; BL = sector
	xor dx, dx
	mov cl, [es:si + ATA_PHEADS]
	div cx			; AX = cylinder, DX = head
	pop cx
	push ax
	mov ah, dl
	or ah, [es:si + ATA_DEV]
	mov dx, di
	call ata_select_dev
	pop ax
	add dx, 2
	push ax
	mov al, cl
	out dx, al		; count
	inc dx
	mov al, bl
	out dx, al		; sector
	pop ax
	inc dx
	out dx, al		; cylinder low
	inc dx
	mov al, ah
	out dx, al		; cylinder high
	pop di
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; Move one sector between the data port of channel DX and the request's
; buffer (ES = EBDA; the next sector is EBDA_X_DONE).
ata_pio_sector:
	push ax
	push bx
	push cx
	push dx
	push di
	push si
	push ds
	push es
	mov bl, [es:EBDA_X_CMD]
	push dx
	call fdc_phys		; DX:AX = physical address
	mov di, ax
	and di, 0Fh
	mov cl, 4
	shr ax, cl
	mov cl, 12
	shl dx, cl
	or ax, dx		; AX:DI = the buffer
	pop dx
	mov cx, 256
	cmp bl, 2
	je .write
	mov es, ax
.r:
	in ax, dx
	stosw
	loop .r
	jmp .done
.write:
	mov ds, ax
	mov si, di
.w:
	lodsw
	out dx, ax
	loop .w
.done:
	pop es
	pop ds
	pop si
	pop di
	pop dx
	pop cx
	pop bx
	pop ax
	ret

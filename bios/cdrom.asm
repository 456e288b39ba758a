; tandem BIOS: the ATAPI CD-ROM POST found (EBDA_ATAPI): PIO packet
; commands, El Torito boot (no emulation, floppy emulation, hard disk
; emulation), and INT 13h for the CD as drive E0h (41h, 42h, 48h,
; 4B00h/4B01h; 2048-byte blocks) and for the emulated drive 00h or 80h.

CD_DRIVE	equ 0E0h
EBDA_CD_LBA	equ 344h	; dword: the boot image's first CD block
EBDA_CD_LOADSEG	equ 348h	; word
EBDA_CD_COUNT	equ 34Ah	; word: 512-byte sectors loaded at boot
EBDA_CD_BOOTED	equ 34Ch	; byte: 1 after an El Torito boot
EBDA_CD_PKT	equ 350h	; 12-byte packet being sent
EBDA_CD_EMU	equ 34Dh	; byte: emulated floppy type (1 1.2M, 2 1.44M, 3 2.88M),
				; 4 hard disk, 0 none
EBDA_CD_SKIP	equ 34Eh	; word: bytes of a packet's data to drop first
EBDA_HEMU_CYLS	equ 370h	; word: the emulated hard disk's cylinders,
EBDA_HEMU_HEADS	equ 372h	; byte: heads and
EBDA_HEMU_SPT	equ 373h	; byte: sectors per track (its MBR's first partition)
EBDA_CD_CAP	equ 378h	; 8 bytes: READ CAPACITY data

; Send the 12-byte packet at EBDA_CD_PKT and read the data into ES:DI
; (DS = EBDA), at most CX bytes.  CF on failure (AL = sense key).  Tries
; three times: the first command after power-on reports UNIT ATTENTION.
cd_packet:
	push bx
	mov bl, 3
.try:
	call cd_packet_once
	jnc .ok
	dec bl
	jnz .try
	stc
.ok:
	pop bx
	ret

cd_packet_once:
	push bx
	push cx
	push dx
	push si
	push di
	mov dx, [EBDA_ATAPI + 2]
	call ata_wait
	jc .fail
	mov ah, [EBDA_ATAPI + 1]
	call ata_select_dev
	push dx
	add dx, 206h
	mov al, 0Ah		; nIEN
	out dx, al
	pop dx
	push dx
	inc dx
	xor al, al		; features: PIO
	out dx, al
	add dx, 3
	mov al, 0		; byte count limit 0800h
	out dx, al
	inc dx
	mov al, 08h
	out dx, al
	add dx, 2
	mov al, 0A0h		; PACKET
	out dx, al
	pop dx
	call ata_wait
	jc .fail
	test al, ATA_ST_DRQ
	jz .fail
	mov si, EBDA_CD_PKT
	push cx
	mov cx, 6
.pkt:
	lodsw
	out dx, ax
	loop .pkt
	pop cx
	mov si, [EBDA_CD_SKIP]	; SI = bytes still to drop
.data:
	call ata_wait
	jc .fail
	test al, ATA_ST_ERR
	jnz .err
	test al, ATA_ST_DRQ
	jz .done
	push dx
	add dx, 4
	in al, dx
	mov bl, al
	inc dx
	in al, dx
	mov bh, al		; BX = bytes in this block
	pop dx
	inc bx
	shr bx, 1		; words
.w:
	in ax, dx
	or si, si
	jz .keep
	sub si, 2
	jmp .skip
.keep:
	cmp cx, 2		; room left in the buffer?
	jb .skip
	stosw
	sub cx, 2
	or di, di		; crossed 64 KiB: next segment
	jnz .skip
	push ax
	mov ax, es
	add ax, 1000h
	mov es, ax
	pop ax
.skip:
	dec bx
	jnz .w
	jmp .data
.done:
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	clc
	ret
.err:
	push dx
	inc dx
	in al, dx
	pop dx
	shr al, 1
	shr al, 1
	shr al, 1
	shr al, 1
.fail:
	pop di
	pop si
	pop dx
	pop cx
	pop bx
	stc
	ret

; READ(10) of CX blocks from BX:AX (big-endian in the packet) to ES:DI.
; DS = EBDA.  CF on failure.
cd_read:
	mov word [EBDA_CD_SKIP], 0
cd_read_skip:
	push cx
	push di
	mov di, EBDA_CD_PKT
	push es
	push ds
	pop es
	push ax
	push cx
	mov cx, 6
	xor ax, ax
	rep stosw
	pop cx
	pop ax
	pop es
	mov byte [EBDA_CD_PKT], 28h
	mov [EBDA_CD_PKT + 2], bh
	mov [EBDA_CD_PKT + 3], bl
	mov [EBDA_CD_PKT + 4], ah
	mov [EBDA_CD_PKT + 5], al
	mov [EBDA_CD_PKT + 7], ch
	mov [EBDA_CD_PKT + 8], cl
	pop di
	; bytes = blocks * 2048 (callers keep it within 64 KiB per call... the
	; data loop moves on to the next segment at 64 KiB anyway)
	push ax
	push dx
	mov ax, cx
	mov cx, 2048
	mul cx
	mov cx, ax
	or dx, dx
	jz .n
	mov cx, 0FFFEh
.n:
	pop dx
	pop ax
	call cd_packet
	pop cx
	ret

; INT 19h: boot the CD.  Returns (CF) when it cannot.
cd_boot:
	push ds
	mov ds, [BDA_EBDASEG]
	test byte [EBDA_ATAPI], 1
	jz .no
	; the boot record volume descriptor at block 17, into 0000:7C00 (a
	; scratch area until the image is loaded)
	xor ax, ax
	mov es, ax
	mov di, 7C00h
	mov ax, 17
	xor bx, bx
	mov cx, 1
	call cd_read
	jc .no
	cmp byte [es:7C00h], 0
	jne .no
	cmp word [es:7C01h], 'CD'
	jne .no
	cmp word [es:7C07h], 'EL'
	jne .no
	cmp word [es:7C09h], ' T'
	jne .no
	mov ax, [es:7C47h]	; boot catalog
	mov bx, [es:7C49h]
	mov di, 7C00h
	mov cx, 1
	call cd_read
	jc .no
	; validation entry: header 01h, key 55AAh, words sum to 0
	cmp byte [es:7C00h], 01h
	jne .no
	cmp word [es:7C1Eh], 0AA55h
	jne .no
	xor ax, ax
	mov si, 7C00h
	mov cx, 16
.sum:
	add ax, [es:si]
	add si, 2
	loop .sum
	or ax, ax
	jnz .no
	; the initial entry: bootable; its media type (0 none, 1-3 floppies,
	; 4 hard disk) becomes EBDA_CD_EMU once the image is loaded
	cmp byte [es:7C20h], 88h
	jne .no
	mov al, [es:7C21h]
	and al, 0Fh
	cmp al, 4
	ja .no
	mov cx, [es:7C26h]	; 512-byte sectors
	or cx, cx
	jnz .cnt
	mov cx, 1
.cnt:
	or al, al
	jz .cnt_set
	mov cx, 1		; an emulated disk: its boot sector only
.cnt_set:
	mov [EBDA_CD_COUNT], cx
	push ax
	mov ax, [es:7C22h]
	or ax, ax
	jnz .seg
	mov ax, 07C0h
.seg:
	mov [EBDA_CD_LOADSEG], ax
	mov ax, [es:7C28h]
	mov bx, [es:7C2Ah]
	mov [EBDA_CD_LBA], ax
	mov [EBDA_CD_LBA + 2], bx
	add cx, 3		; CD blocks, rounded up
	shr cx, 1
	shr cx, 1
	mov es, [EBDA_CD_LOADSEG]
	xor di, di
	call cd_read
	pop ax			; AL = media type
	jc .no
	cmp al, 4
	jne .media
	call hemu_setup
	jc .no
.media:
	mov [EBDA_CD_EMU], al
	mov byte [EBDA_CD_BOOTED], 1
	mov dl, CD_DRIVE
	or al, al
	jz .go
	mov dl, 0		; the emulated floppy is drive 00h,
	cmp al, 4
	jne .go
	mov dl, 80h		; the emulated hard disk 80h
.go:
	mov ax, [EBDA_CD_LOADSEG]
	pop ds
	clc			; AX:0000 = the image, DL = its drive
	ret
.no:
	pop ds
	stc
	ret

; Hard disk emulation (ES = the loaded image, DS = EBDA): the geometry is
; the ending CHS of the MBR's first partition (cylinders and heads counted
; from 0, sectors from 1), as other BIOSes take it; the disks POST found
; move up one drive number (BDA 0475h counts the image too).  CF when the
; partition entry gives no usable geometry.
hemu_setup:
	push ax
	mov al, [es:1C4h]	; sector, cylinder bits 8-9 in bits 6-7
	mov ah, al
	and ah, 3Fh
	jz .bad
	mov [EBDA_HEMU_SPT], ah
	mov ah, al
	rol ah, 1
	rol ah, 1
	and ah, 03h
	mov al, [es:1C5h]	; cylinder bits 0-7
	inc ax
	mov [EBDA_HEMU_CYLS], ax
	mov al, [es:1C3h]	; head
	inc al
	jz .bad			; 256 heads: not expressible in DH
	mov [EBDA_HEMU_HEADS], al
	push es
	mov ax, BDA_SEG
	mov es, ax
	inc byte [es:BDA_HDCOUNT]
	pop es
	pop ax
	clc
	ret
.bad:
	pop ax
	stc
	ret

; INT 13h for drive E0h (FRAME_ENTER frame, DS = BDA).
cd_int13:
	push ds
	mov ds, [BDA_EBDASEG]
	test byte [EBDA_ATAPI], 1
	pop ds
	jnz .there
	jmp d_bad
.there:
	cmp ah, 41h
	je cd_check
	cmp ah, 42h
	je cd_ext_read
	cmp ah, 48h
	je cd_params
	cmp ah, 4Bh
	je cd_emu
	cmp ah, 43h
	je .wp
	cmp ah, 00h
	je .ok
	cmp ah, 10h
	je .ok
	cmp ah, 0Dh
	je .ok
	cmp ah, 44h
	je .ok
	cmp ah, 47h
	je .ok
	cmp ah, 01h
	jne .bad
	jmp d_status
.bad:
	jmp d_bad
.wp:
	mov al, E13_WPROT
	jmp d_finish
.ok:
	xor al, al
	jmp d_finish

cd_check:			; 41h
	cmp bx, 55AAh
	je .ok
	jmp d_bad
.ok:
	xor al, al
	call d_finish
	mov byte [bp + F_AH], 30h
	mov word [bp + F_BX], 0AA55h
	mov word [bp + F_CX], 0001h
	ret

; 42h: packet at DS:SI; count and LBA in 2048-byte blocks.
cd_ext_read:
	mov es, [bp + F_DS]
	mov si, [bp + F_SI]
	cmp byte [es:si], 10h
	jae .sz
	jmp d_bad
.sz:
	mov cx, [es:si + 2]
	mov word [es:si + 2], 0
	mov ax, [es:si + 12]
	or ax, [es:si + 14]
	jz .lba
	mov al, E13_NOSECTOR
	jmp d_finish
.lba:
	xor dx, dx		; blocks done
.chunk:
	cmp dx, cx
	jae .done
	push cx
	sub cx, dx
	cmp cx, 16		; 32 KiB a command
	jbe .n
	mov cx, 16
.n:
	push es
	push si
	push cx
	push dx
	mov ax, [es:si + 8]
	mov bx, [es:si + 10]
	add ax, dx
	adc bx, 0
	; buffer: segment + done * 2048 / 16
	push ax
	mov ax, dx
	push cx
	mov cl, 7
	shl ax, cl
	pop cx
	add ax, [es:si + 6]
	mov di, [es:si + 4]
	mov es, ax
	pop ax
	push ds
	mov ds, [BDA_EBDASEG]
	call cd_read
	pop ds
	pop dx
	pop cx
	pop si
	pop es
	jc .err
	add dx, cx
	mov [es:si + 2], dx
	pop cx
	jmp .chunk
.err:
	pop cx
	mov al, 0Ch		; unsupported track / media error
	jmp d_finish
.done:
	xor al, al
	jmp d_finish

; 48h: 2048-byte blocks, removable, CHS not valid; block count from READ
; CAPACITY.
cd_params:
	mov es, [bp + F_DS]
	mov di, [bp + F_SI]
	mov ax, [es:di]
	cmp ax, 1Ah
	jae .ok
	jmp d_bad
.ok:
	push es
	push di
	mov cx, 1Ah
	cmp ax, 1Eh
	jb .clr
	mov cx, 1Eh
.clr:
	push cx
	xor al, al
	rep stosb
	pop cx
	pop di
	pop es
	mov [es:di], cx
	cmp cx, 1Eh
	jb .nodpte
	mov word [es:di + 1Ah], 0FFFFh
	mov word [es:di + 1Ch], 0FFFFh
.nodpte:
	mov word [es:di + 2], 0074h
	mov word [es:di + 24], 2048
	; READ CAPACITY -> EBDA_CD_CAP, big endian last block
	push ds
	push es
	push di
	mov ds, [BDA_EBDASEG]
	push ds
	pop es
	mov di, EBDA_CD_PKT
	mov cx, 6
	xor ax, ax
	rep stosw
	mov byte [EBDA_CD_PKT], 25h
	mov word [EBDA_CD_SKIP], 0
	mov di, EBDA_CD_CAP
	mov cx, 8
	call cd_packet
	mov ax, [EBDA_CD_CAP]	; bytes 0-1 (big endian high word)
	mov bx, [EBDA_CD_CAP + 2]
	pop di
	pop es
	pop ds
	jc .nocap
	xchg al, ah
	xchg bl, bh		; AX = high, BX = low of the last block
	add bx, 1
	adc ax, 0
	mov [es:di + 16], bx
	mov [es:di + 18], ax
.nocap:
	xor al, al
	jmp d_finish

; 4Bh: AL = 00h terminate emulation, 01h status, into the 13h-byte
; packet at DS:SI.  Bytes 10h-12h are the emulated drive's geometry as
; INT 13h AH=08h gives it (CH, CL, DH), as the El Torito spec says (SeaBIOS
; and Bochs's BIOS put the cylinder, sector and head counts there).  00h on
; the emulated drive ends the emulation: the drive number is the real
; drive's again (a hard disk image gives 80h back to the first disk).
cd_emu:
	cmp al, 1
	jbe .go
	jmp d_bad
.go:
	push ds
	mov ds, [BDA_EBDASEG]
	cmp byte [EBDA_CD_BOOTED], 1
	jne .none
	mov es, [bp + F_DS]
	mov di, [bp + F_SI]
	push di
	mov cx, 13h
	xor al, al
	rep stosb
	pop di
	mov byte [es:di], 13h
	mov al, [EBDA_CD_EMU]
	mov [es:di + 1], al		; media type
	mov byte [es:di + 2], CD_DRIVE	; the drive: the CD,
	or al, al
	jz .drv
	mov byte [es:di + 2], 0		; the emulated floppy
	cmp al, 4
	jne .drv
	mov byte [es:di + 2], 80h	; or hard disk
.drv:
	mov al, [EBDA_ATAPI + 2]	; controller: 0 primary, 1 secondary
	cmp al, 0F0h
	mov al, 0
	je .ctl
	mov al, 1
.ctl:
	mov [es:di + 3], al
	mov ax, [EBDA_CD_LBA]
	mov [es:di + 4], ax
	mov ax, [EBDA_CD_LBA + 2]
	mov [es:di + 6], ax
	mov al, [EBDA_ATAPI + 1]
	shr al, 1
	shr al, 1
	shr al, 1
	shr al, 1
	mov [es:di + 8], al
	mov ax, [EBDA_CD_LOADSEG]
	mov [es:di + 0Ch], ax
	mov ax, [EBDA_CD_COUNT]
	mov [es:di + 0Eh], ax
	pop ds
	push es
	mov es, [BDA_EBDASEG]
	mov al, [es:EBDA_CD_EMU]
	pop es
	or al, al
	jz .done
	call femu_geometry
	mov ax, si
	dec ax
	mov [es:di + 10h], al
	mov cl, 2
	shr ax, cl
	and al, 0C0h
	or al, bh
	mov [es:di + 11h], al
	mov al, bl
	dec al
	mov [es:di + 12h], al
	cmp byte [bp + F_AL], 0
	jne .done
	cmp byte [bp + F_DL], CD_DRIVE
	je .done
	push es
	mov es, [BDA_EBDASEG]
	cmp byte [es:EBDA_CD_EMU], 4
	jne .off
	dec byte [BDA_HDCOUNT]
.off:
	mov byte [es:EBDA_CD_EMU], 0
	pop es
.done:
	xor al, al
	jmp d_finish
.none:
	pop ds
	mov al, E13_BADCMD
	jmp d_finish

; ---- floppy emulation: drive 00h is the image on the CD (read-only)

femu_geo:			; cylinders, heads, sectors of media 1-3
	db 80, 2, 15, 80, 2, 18, 80, 2, 36
femu_cmos:	db 2, 4, 5	; its drive type for AH=08h

; SI cylinders, BL heads, BH sectors of the emulated floppy or hard disk
; (DS = BDA).
femu_geometry:
	push ax
	push es
	mov es, [BDA_EBDASEG]
	mov al, [es:EBDA_CD_EMU]
	cmp al, 4
	jne .fd
	mov si, [es:EBDA_HEMU_CYLS]
	mov bl, [es:EBDA_HEMU_HEADS]
	mov bh, [es:EBDA_HEMU_SPT]
	pop es
	pop ax
	ret
.fd:
	pop es
	dec al
	mov ah, 3
	mul ah
	mov si, ax
	mov bl, [cs:femu_geo + si + 1]
	mov bh, [cs:femu_geo + si + 2]
	mov al, [cs:femu_geo + si]
	xor ah, ah
	mov si, ax
	pop ax
	ret

; INT 13h for drive 00h while a floppy is emulated (frame, DS = BDA).
femu_int13:
	cmp ah, 02h
	je femu_read
	cmp ah, 04h
	je femu_verify
	cmp ah, 08h
	je femu_params
	cmp ah, 4Bh
	jne .n4b
	jmp cd_emu
.n4b:
	cmp ah, 03h
	je .wp
	cmp ah, 05h
	je .wp
	cmp ah, 01h
	jne .n01
	jmp d_status
.n01:
	cmp ah, 15h
	je .type
	cmp ah, 16h
	je .ok
	cmp ah, 00h
	je .ok
	cmp ah, 0Ch
	je .ok
	cmp ah, 0Dh
	je .ok
	cmp ah, 10h
	je .ok
	cmp ah, 17h
	je .ok
	cmp ah, 18h
	je .ok
	jmp d_bad
.wp:
	mov al, E13_WPROT
	jmp d_finish
.ok:
	xor al, al
	jmp d_finish
.type:
	and word [bp + F_FLAGS], ~FL_CF
	mov byte [bp + F_AH], 1	; diskette, no change line
	ret

; INT 13h for drive 80h while a hard disk is emulated (frame, DS = BDA): the
; CHS functions on the geometry of the image's partition table, read-only
; (03h/05h give 03h).  No EDD on the image, as on SeaBIOS: a loader falls
; back to CHS.
hemu_int13:
	cmp ah, 02h
	je femu_read
	cmp ah, 04h
	je femu_verify
	cmp ah, 08h
	je hemu_params
	cmp ah, 15h
	je hemu_type
	cmp ah, 4Bh
	jne .n4b
	jmp cd_emu
.n4b:
	cmp ah, 03h
	je .wp
	cmp ah, 05h
	je .wp
	cmp ah, 01h
	jne .n01
	jmp d_status
.n01:
	cmp ah, 00h
	je .ok
	cmp ah, 09h
	je .ok
	cmp ah, 0Ch
	je .ok
	cmp ah, 0Dh
	je .ok
	cmp ah, 10h
	je .ok
	cmp ah, 11h
	je .ok
	cmp ah, 14h
	je .ok
	jmp d_bad
.wp:
	mov al, E13_WPROT
	jmp d_finish
.ok:
	xor al, al
	jmp d_finish

; AH=08h on the emulated hard disk: its geometry, DL = the hard disks
; (those POST found and the image).
hemu_params:
	call femu_geometry
	mov ax, si
	dec ax
	mov [bp + F_CH], al
	mov cl, 2
	shr ax, cl
	and al, 0C0h
	or al, bh
	mov [bp + F_CL], al
	mov al, bl
	dec al
	mov [bp + F_DH], al
	xor al, al
	call d_finish
	mov al, [BDA_HDCOUNT]
	mov [bp + F_DL], al
	mov byte [bp + F_AL], 0
	ret

; AH=15h: a hard disk of cylinders x heads x sectors (CX:DX).
hemu_type:
	and word [bp + F_FLAGS], ~FL_CF
	mov byte [bp + F_AH], 3
	call femu_geometry
	mov al, bl
	mul bh
	mul si
	mov [bp + F_CX], dx
	mov [bp + F_DX], ax
	ret

; AH=02h: AL sectors from CH/CL/DH to ES:BX, 512 bytes at a time out of
; the 2048-byte CD blocks.
femu_read:
	mov cl, [bp + F_AL]
	xor ch, ch		; CX = sectors
	mov byte [bp + F_AL], 0
	jcxz .none
	push cx
	call femu_lba		; DX:AX = LBA, CF when outside
	pop cx
	jnc .in
	mov al, E13_NOSECTOR
	jmp d_finish
.none:
	jmp d_bad
.in:
	push ds
	mov bx, [BDA_EBDASEG]
	mov ds, bx
	xor bx, bx		; BX = sectors done
.sec:
	push ax
	push dx
	push cx
	push bx
	; block = image RBA + LBA / 4, skip = (LBA mod 4) * 512
	mov si, ax
	and si, 3
	mov cl, 9
	shl si, cl
	mov cx, 2
.div4:
	shr dx, 1
	rcr ax, 1
	loop .div4
	add ax, [EBDA_CD_LBA]
	adc dx, [EBDA_CD_LBA + 2]
	push dx
	push ax
	; destination: caller's ES:BX + done * 512
	mov ax, bx
	mov cl, 5
	shl ax, cl		; done * 32 paragraphs
	add ax, [bp + F_ES]
	mov es, ax
	mov di, [bp + F_BX]
	pop ax
	pop bx			; BX:AX = block
	mov [EBDA_CD_SKIP], si
	push cx
	mov cx, 1
	call cd_read_skip_1
	pop cx
	pop bx
	pop cx
	pop dx
	pop ax
	jc .err
	inc bx
	mov [bp + F_AL], bl
	add ax, 1
	adc dx, 0
	loop .sec
	pop ds
	xor al, al
	jmp d_finish
.err:
	pop ds
	mov al, 20h
	jmp d_finish

; One block BX:AX, dropping [EBDA_CD_SKIP] bytes, keeping 512, to ES:DI.
cd_read_skip_1:
	push cx
	push di
	push ax
	push es
	push ds
	pop es
	mov di, EBDA_CD_PKT
	push ax
	mov cx, 6
	xor ax, ax
	rep stosw
	pop ax
	pop es
	mov byte [EBDA_CD_PKT], 28h
	mov [EBDA_CD_PKT + 2], bh
	mov [EBDA_CD_PKT + 3], bl
	mov [EBDA_CD_PKT + 4], ah
	mov [EBDA_CD_PKT + 5], al
	mov byte [EBDA_CD_PKT + 8], 1
	pop ax
	pop di
	mov cx, 512
	call cd_packet
	pop cx
	ret

femu_verify:
	call femu_lba
	mov al, 0
	jnc .ok
	mov al, E13_NOSECTOR
.ok:
	jmp d_finish

; DX:AX = LBA of the caller's CH/CL/DH on the emulated geometry; CF when
; outside it.  Uses BX CX SI.
femu_lba:
	push di
	call femu_geometry
	jmp d_chs_geo

femu_params:
	call femu_geometry
	push es
	mov es, [BDA_EBDASEG]
	mov al, [es:EBDA_CD_EMU]
	pop es
	dec al
	xor ah, ah
	push si
	mov si, ax
	mov al, [cs:femu_cmos + si]
	pop si
	mov [bp + F_BL], al
	push bx
	call d_fdtable		; ES:DI = parameter table of type AL
	pop bx
	mov [bp + F_DI], di
	mov [bp + F_ES], es
	mov ax, si
	dec ax
	mov [bp + F_CH], al
	mov [bp + F_CL], bh
	mov al, bl
	dec al
	mov [bp + F_DH], al
	mov byte [bp + F_DL], 1
	mov byte [bp + F_AL], 0
	xor al, al
	jmp d_finish

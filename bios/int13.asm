; tandem BIOS: INT 13h disk services on the paravirtual disk interface
; (docs/ports.md, 520h-53Fh).  Drives 00h/01h are floppies, 80h/81h hard
; disks; the geometry comes from the device on every call, so a media change
; with a different image size is seen at once.

int13:
	sti
	cld
	FRAME_ENTER
	cmp dl, CD_DRIVE
	je .cd
	push ds			; drive 00h or 80h may be an El Torito image
	mov ds, [BDA_EBDASEG]
	mov si, [EBDA_CD_EMU]	; (the frame holds the caller's SI)
	pop ds
	and si, 0FFh
	jz .table
	cmp si, 4
	je .hd_image
	or dl, dl		; 1-3: a floppy image is drive 00h
	jz .femu
.table:
	DISPATCH_AH d_table, D_COUNT, d_bad
	FRAME_LEAVE
	iret
.cd:
	call cd_int13
	FRAME_LEAVE
	iret
.femu:
	call femu_int13
	FRAME_LEAVE
	iret
.hd_image:			; 4: a hard disk image is drive 80h
	cmp dl, 80h
	jb .table
	je .hemu
	cmp dl, CD_DRIVE
	ja .table
	dec dl			; and the disks POST found are one up
	dec byte [bp + F_DL]
	push ax
	DISPATCH_AH d_table, D_COUNT, d_bad
	pop ax
	cmp ah, 08h		; it returns the number of disks in DL
	je .shifted
	inc byte [bp + F_DL]
.shifted:
	FRAME_LEAVE
	iret
.hemu:
	call hemu_int13
	FRAME_LEAVE
	iret

d_table:
	dw d_reset, d_status, d_rw, d_rw		; 00-03
	dw d_rw, d_format, d_bad, d_bad			; 04-07
	dw d_params, d_ok, d_bad, d_bad			; 08-0B
	dw d_seek, d_ok, d_bad, d_bad			; 0C-0F
	dw d_ready, d_ok, d_bad, d_bad			; 10-13
	dw d_ok, d_type, d_change, d_ok			; 14-17
	dw d_setmedia					; 18
	times 41h - 19h dw d_bad			; 19-40
	dw d_ext_check, d_ext_rw, d_ext_rw, d_ext_rw	; 41-44
	dw d_bad, d_bad, d_ok				; 45-47
	dw d_ext_params					; 48
D_COUNT equ ($ - d_table) / 2

; Select drive DL.  CF set when it is not there (a bus with nothing on it
; reads FFh, so the reserved bits must be 0).  Else AL = status; a media
; change is remembered for AH=16h.
d_select:
	call d_native
	jc .pv
	cmp dl, 80h
	jae .ata
	jmp fdc_select
.ata:
	jmp ata_select
.pv:
	mov al, dl
	cmp al, 2
	jb .valid
	cmp al, 80h
	jb .absent
	cmp al, 82h
	jae .absent
.valid:
	push dx
	mov dx, DISK_SELECT
	out dx, al
	inc dx
	in al, dx
	pop dx
	test al, DST_RESERVED
	jnz .absent
	test al, DST_PRESENT
	jz .absent
	test al, DST_CHANGED
	jz .ok
	cmp dl, 2
	jae .ok
	push ax
	push cx
	mov cl, dl
	mov al, 1
	shl al, cl
	or [BDA_FDCHANGED], al
	pop cx
	pop ax
.ok:
	clc
	ret
.absent:
	stc
	ret

; CF clear when drive DL is served by a real controller (the FDC for 00h/01h,
; ATA for 80h/81h), set when by the paravirtual interface.
d_native:
	cmp dl, 2
	jae .hd
	test byte [BDA_MACHINE], MACH_FDC
	jnz .yes
	stc
	ret
.hd:
	test byte [BDA_MACHINE], MACH_IDE
	jnz .yes
	stc
	ret
.yes:
	clc
	ret

; The EBDA request (EBDA_X_*) on drive DL through its controller: AL =
; status, EBDA_X_DONE = sectors done.
d_native_xfer:
	cmp dl, 80h
	jae .ata
	jmp fdc_transfer
.ata:
	jmp ata_transfer

; DX:AX = total sectors of drive DL (selected).
d_total:
	call d_native
	jc .pv
	cmp dl, 80h
	jb .fd
	jmp ata_total
.fd:
	push bx
	push si
	call d_geometry
	mov al, bl
	mul bh
	mul si
	pop si
	pop bx
	ret
.pv:
	mov dx, DISK_TOTAL
	in ax, dx
	push ax
	add dx, 2
	in ax, dx
	mov dx, ax
	pop ax
	ret

; Geometry of the selected drive: SI cylinders, BL heads, BH sectors.
d_geometry:
	call d_native
	jc .pv
	cmp dl, 80h
	jae .ata
	jmp fdc_geometry
.ata:
	jmp ata_geometry
.pv:
	push ax
	push dx
	mov dx, DISK_CYLS
	in ax, dx
	mov si, ax
	mov dl, DISK_HEADS & 0FFh
	in ax, dx
	mov bx, ax
	pop dx
	pop ax
	ret

; Finish with status AL: AH and CF for the caller, the BDA status byte.
d_finish:
	mov [bp + F_AH], al
	cmp byte [bp + F_DL], 80h
	jae .hd
	mov [BDA_FDSTATUS], al
	jmp .cf
.hd:
	mov [BDA_HDSTATUS], al
.cf:
	or al, al
	jz .ok
	or word [bp + F_FLAGS], FL_CF
	ret
.ok:
	and word [bp + F_FLAGS], ~FL_CF
	ret

d_bad:
	mov al, E13_BADCMD
	jmp d_finish

; Status for a drive that is not there.
d_absent:
	mov al, E13_NOTREADY
	cmp byte [bp + F_DL], 80h
	jb d_finish
	mov al, E13_BADCMD
	jmp d_finish

d_ok:
	call d_select
	jc d_absent
	xor al, al
	jmp d_finish

d_reset:
	cmp dl, 80h
	jae d_ok
	xor al, al
	test byte [BDA_MACHINE], MACH_FDC
	jz .done		; paravirtual: nothing to reset
	call fdc_reset
	mov al, 0
	jnc .done
	mov al, E13_NOTREADY
.done:
	jmp d_finish

d_status:
	mov al, [BDA_FDSTATUS]
	cmp dl, 80h
	jb .got
	mov al, [BDA_HDSTATUS]
.got:
	mov [bp + F_AL], al
	jmp d_finish

; DX:AX = LBA of the sector addressed by the caller's CH, CL, DH on the
; selected drive; CF set when it lies outside the geometry.  Uses BX CX SI.
d_chs_to_lba:
	push di
	call d_geometry
d_chs_geo:			; the same on the geometry in SI, BL, BH (DI pushed)
	mov cl, [bp + F_CL]
	and cl, 3Fh
	jz .bad
	cmp cl, bh
	ja .bad
	mov al, [bp + F_DH]
	cmp al, bl
	jae .bad
	mov ah, [bp + F_CL]
	rol ah, 1
	rol ah, 1
	and ah, 03h
	mov al, [bp + F_CH]	; AX = cylinder
	cmp ax, si
	jae .bad
	mov ch, bh		; CH = sectors per track, CL = sector
	xor bh, bh
	mul bx			; DX:AX = cylinder * heads
	add al, [bp + F_DH]
	adc ah, 0
	adc dx, 0
	mov si, dx
	mov bl, ch
	xor bh, bh
	mul bx			; DX:AX = low word * sectors
	xchg ax, si		; AX = high word, SI = low result
	mov di, dx
	mul bx			; AX = high word * sectors (LBA < 2^32)
	add di, ax
	mov al, cl
	dec al
	xor ah, ah
	add ax, si
	adc di, 0
	mov dx, di		; DX:AX = (c * heads + h) * spt + s - 1
	pop di
	clc
	ret
.bad:
	pop di
	stc
	ret

; AH=02h read, 03h write, 04h verify: AL sectors from CH/CL/DH to ES:BX.
d_rw:
	mov di, ax		; DI: function and count
	mov byte [bp + F_AL], 0
	call d_select
	jc d_absent
	mov cx, di
	or cl, cl
	jz d_bad
	cmp ch, 03h
	jne .rw_ok
	test al, DST_RO
	jz .rw_ok
	mov al, E13_WPROT
	jmp d_finish
.rw_ok:
	call d_chs_to_lba	; DX:AX = LBA
	jnc .inrange
	mov al, E13_NOSECTOR
	jmp d_finish
.inrange:
	push dx
	mov dl, [bp + F_DL]
	call d_native
	pop dx
	jc .pv
	; a real controller: through the EBDA request
	push es
	mov es, [BDA_EBDASEG]
	mov [es:EBDA_X_LBA], ax
	mov [es:EBDA_X_LBA + 2], dx
	mov ax, di
	xor ah, ah
	mov [es:EBDA_X_COUNT], ax
	mov ax, [bp + F_BX]
	mov [es:EBDA_X_OFF], ax
	mov ax, [bp + F_ES]
	mov [es:EBDA_X_SEG], ax
	mov ax, di
	mov al, ah
	dec al
	mov [es:EBDA_X_CMD], al
	mov dl, [bp + F_DL]
	call d_native_xfer
	mov ah, [es:EBDA_X_DONE]
	mov [bp + F_AL], ah
	pop es
	jmp d_finish
.pv:
	mov bx, dx
	mov dx, DISK_LBA
	out dx, ax
	add dx, 2
	mov ax, bx
	out dx, ax
	; physical buffer address = ES * 16 + BX
	mov ax, [bp + F_ES]
	mov si, ax
	mov cl, 4
	shl ax, cl
	mov cl, 12
	shr si, cl
	add ax, [bp + F_BX]
	adc si, 0
	mov dx, DISK_BUF
	out dx, ax
	add dx, 2
	mov ax, si
	out dx, ax
	mov ax, di
	xor ah, ah
	mov dx, DISK_COUNT
	out dx, ax
	mov ax, di
	mov al, ah
	dec al			; 02h/03h/04h -> 1/2/3
	mov dx, DISK_CMD
	out dx, al
	inc dx
	in al, dx		; DISK_RESULT
	mov ah, al
	mov dx, DISK_COUNT
	in al, dx
	mov [bp + F_AL], al
	mov al, ah
	jmp d_finish

d_format:
	call d_select
	jc d_absent
	cmp dl, 2
	jae .pv
	test byte [BDA_MACHINE], MACH_FDC
	jz .pv
	call fdc_format
	jmp d_finish
.pv:
	test al, DST_RO
	jz .ok
	cmp dl, 80h
	jae .ok
	mov al, E13_WPROT
	jmp d_finish
.ok:
	xor al, al
	jmp d_finish

; Floppy drive type of the selected drive (1-5): the device's CMOS type, or
; a guess from the geometry for odd image sizes.  BX SI = geometry.
d_fdtype:
	test byte [BDA_MACHINE], MACH_FDC
	jz .pv
	xor al, al
	test byte [BDA_MACHINE], MACH_CMOS
	jz .guess
	call fdc_cmos_type
	jmp .done
.pv:
	push dx
	mov dx, DISK_FDTYPE
	in al, dx
	pop dx
	cmp al, 1
	jb .guess
	cmp al, 5
	jbe .done
.guess:
	mov al, 5
	cmp bh, 36
	jae .done
	mov al, 4
	cmp bh, 18
	jae .done
	mov al, 2
	cmp bh, 15
	jae .done
	mov al, 1
	cmp si, 40
	jbe .done
	mov al, 3
.done:
	ret

; ES:DI = diskette parameter table for drive type AL (1-5).
d_fdtable:
	push ax
	push cs
	pop es
	dec al
	mov ah, 11
	mul ah
	add ax, fd_tables
	mov di, ax
	pop ax
	ret

; Number of floppy drives from the equipment word.
fd_count:
	mov ax, [BDA_EQUIP]
	test al, 1
	jz .none
	mov cl, 6
	shr al, cl
	inc al
	ret
.none:
	xor al, al
	ret

; AH=08h: drive parameters.
d_params:
	cmp dl, 80h
	jae .hd
	call fd_count
	push ax
	xor ax, ax
	mov [bp + F_AX], ax
	mov [bp + F_BX], ax
	mov [bp + F_CX], ax
	mov [bp + F_DX], ax
	mov [bp + F_DI], ax
	mov [bp + F_ES], ax
	call d_select
	jc .fd_out
	call d_geometry
	call d_fdtype
	mov [bp + F_BL], al
	call d_fdtable
	mov [bp + F_DI], di
	mov [bp + F_ES], es
	call .encode
.fd_out:
	pop ax
	mov [bp + F_DL], al
	and word [bp + F_FLAGS], ~FL_CF
	ret
.hd:
	call d_select
	jc .hd_absent
	call d_geometry
	cmp si, 1024
	jbe .capped
	mov si, 1024
.capped:
	call .encode
	xor al, al
	call d_finish
	mov al, [BDA_HDCOUNT]
	mov [bp + F_DL], al
	mov byte [bp + F_AL], 0
	ret
.hd_absent:
	call d_absent
	mov al, [BDA_HDCOUNT]
	mov [bp + F_DL], al
	ret
; CH/CL/DH from the geometry in SI, BL, BH.
.encode:
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
	ret

; AH=0Ch: seek to cylinder CH/CL: only checked against the geometry.
d_seek:
	call d_select
	jc d_absent
	call d_geometry
	mov ah, cl
	rol ah, 1
	rol ah, 1
	and ah, 03h
	mov al, ch
	cmp ax, si
	mov al, 0
	jb .ok
	mov al, 40h		; seek failure
.ok:
	jmp d_finish

; AH=10h: drive ready?
d_ready:
	call d_select
	mov al, 0
	jnc .ok
	mov al, E13_NOTREADY
	cmp dl, 80h
	jb .ok
	mov al, 0AAh		; drive not ready
.ok:
	jmp d_finish

; AH=15h: AH = 0 none, 2 floppy with change line, 3 hard disk (CX:DX
; sectors).  Leaves the status byte alone.
d_type:
	and word [bp + F_FLAGS], ~FL_CF
	call d_select
	mov byte [bp + F_AH], 0
	jc .done
	mov byte [bp + F_AH], 2
	cmp dl, 80h
	jb .done
	mov byte [bp + F_AH], 3
	call d_geometry
	cmp si, 1024
	jbe .capped
	mov si, 1024
.capped:
	mov al, bl
	mul bh			; heads * sectors
	mul si
	mov [bp + F_CX], dx
	mov [bp + F_DX], ax
.done:
	ret

; AH=16h: floppy change line.
d_change:
	cmp dl, 2
	jae d_bad
	call d_select
	jc d_absent
	mov cl, dl
	mov al, 1
	shl al, cl
	test [BDA_FDCHANGED], al
	jz .same
	not al
	and [BDA_FDCHANGED], al
	mov al, E13_CHANGED
	jmp d_finish
.same:
	xor al, al
	jmp d_finish

; AH=18h: set media type for format: ES:DI = parameter table.
d_setmedia:
	cmp dl, 80h
	jae d_bad
	call d_select
	jc d_absent
	call d_geometry
	call d_fdtype
	call d_fdtable
	mov [bp + F_DI], di
	mov [bp + F_ES], es
	xor al, al
	jmp d_finish

; Diskette parameter tables (INT 1Eh format) for types 1-5.
fd_tables:
	db 0DFh, 02h, 25h, 02h,  9, 2Ah, 0FFh, 50h, 0F6h, 0Fh, 08h	; 360K
	db 0DFh, 02h, 25h, 02h, 15, 1Bh, 0FFh, 54h, 0F6h, 0Fh, 08h	; 1.2M
	db 0DFh, 02h, 25h, 02h,  9, 2Ah, 0FFh, 50h, 0F6h, 0Fh, 08h	; 720K
	db 0DFh, 02h, 25h, 02h, 18, 1Bh, 0FFh, 6Ch, 0F6h, 0Fh, 08h	; 1.44M
	db 0AFh, 02h, 25h, 02h, 36, 1Bh, 0FFh, 53h, 0F6h, 0Fh, 08h	; 2.88M

; POST: find the drives, fill the equipment word floppy bits, BDA 0475h,
; media bytes and the fixed disk parameter tables (INT 41h/46h) in the EBDA.
; Uses the CMOS only as a fallback description: the device is the truth.
disk_probe:
	and word [BDA_EQUIP], ~00C1h
	mov byte [BDA_HDCOUNT], 0
	xor dl, dl
	xor ch, ch		; CH = floppies found
.fd:
	call d_select
	jc .fd_next
	inc ch
	mov bl, dl
	xor bh, bh
	mov byte [BDA_FDMEDIA + bx], 17h	; "media established"
.fd_next:
	inc dl
	cmp dl, 2
	jb .fd
	and byte [BDA_FDCHANGED], 0	; the first change is the insertion
	or ch, ch
	jz .hd
	mov al, ch
	dec al
	mov cl, 6
	shl al, cl
	or al, 1
	or [BDA_EQUIP], al
	; INT 1Eh points at the table of drive 0's type
	xor dl, dl
	call d_select
	jc .hd
	call d_geometry
	call d_fdtype
	call d_fdtable
	push ds
	xor ax, ax
	mov ds, ax
	mov [1Eh * 4], di
	mov [1Eh * 4 + 2], es
	pop ds
.hd:
	mov dl, 80h
	mov di, EBDA_FDPT0
	mov bp, 41h * 4
.hd_loop:
	call d_select
	jc .done
	inc byte [BDA_HDCOUNT]
	call d_geometry
	mov es, [BDA_EBDASEG]
	cmp si, 1024
	jbe .capped
	mov si, 1024
.capped:
	push di
	push cx
	mov cx, 8
	xor ax, ax
	rep stosw		; clear the 16-byte table
	pop cx
	pop di
	mov [es:di + 0], si
	mov [es:di + 2], bl
	mov word [es:di + 5], 0FFFFh	; no write precompensation
	mov al, 0
	cmp bl, 8
	jbe .ctl
	mov al, 08h
.ctl:
	mov [es:di + 8], al
	mov [es:di + 12], si		; landing zone
	mov [es:di + 14], bh
	push ds
	xor ax, ax
	mov ds, ax
	mov [ds:bp], di
	mov [ds:bp + 2], es
	pop ds
	add di, 16
	mov bp, 46h * 4
	inc dl
	cmp dl, 82h
	jb .hd_loop
.done:
	ret

; ---------------------------------------------------------------- EDD 1.1
; The LBA extensions for hard disks: the disk interface already speaks LBA,
; so these only check the caller's packet and pass it on.

; AH=41h: BX=55AAh -> BX=AA55h, AH=21h (EDD 1.1), CX bit 0 (42h-44h, 47h, 48h).
d_ext_check:
	cmp bx, 55AAh
	jne d_bad
	cmp dl, 80h
	jb d_bad
	call d_select
	jc d_absent
	xor al, al
	call d_finish
	mov byte [bp + F_AH], 21h
	call d_native
	jc .v
	mov byte [bp + F_AH], 30h	; EDD 3.0 (device path in 48h)
.v:
	mov word [bp + F_BX], 0AA55h
	mov word [bp + F_CX], 0001h
	ret

; AH=42h read, 43h write, 44h verify with the address packet at DS:SI:
; 00 size (>= 10h), 02 count (<= 127, set to sectors done), 04 buffer
; offset:segment, 08 LBA (64 bits; the interface takes 32).
d_ext_rw:
	cmp dl, 80h
	jae .hd
	jmp d_bad		; hard disks only
.hd:
	mov di, ax		; DI high: function
	call d_select
	jc d_absent
	mov es, [bp + F_DS]
	mov si, [bp + F_SI]
	cmp byte [es:si], 10h
	jb d_bad
	mov cx, [es:si + 2]
	cmp cx, 127
	ja d_bad
	mov word [es:si + 2], 0
	mov bx, di
	cmp bh, 43h
	jne .rw_ok
	test al, DST_RO
	jz .rw_ok
	mov al, E13_WPROT
	jmp d_finish
.rw_ok:
	mov ax, [es:si + 12]
	or ax, [es:si + 14]
	jz .lba_ok
	mov al, E13_NOSECTOR
	jmp d_finish
.lba_ok:
	or cx, cx
	jnz .some
	jmp .none
.some:
	mov dl, [bp + F_DL]
	call d_native
	jc .pv
	; ATA: through the EBDA request; ES:SI = the packet
	push ds
	mov ds, [BDA_EBDASEG]
	mov ax, [es:si + 8]
	mov [EBDA_X_LBA], ax
	mov ax, [es:si + 10]
	mov [EBDA_X_LBA + 2], ax
	mov [EBDA_X_COUNT], cx
	mov ax, [es:si + 4]
	mov [EBDA_X_OFF], ax
	mov ax, [es:si + 6]
	mov [EBDA_X_SEG], ax
	mov ax, di
	mov al, ah
	sub al, 41h		; 42h/43h/44h -> 1/2/3
	mov [EBDA_X_CMD], al
	pop ds
	call d_native_xfer
	push ds
	mov ds, [BDA_EBDASEG]
	mov bx, [EBDA_X_DONE]
	pop ds
	mov [es:si + 2], bx
	jmp d_finish
.pv:
	mov dx, DISK_LBA
	mov ax, [es:si + 8]
	out dx, ax
	add dx, 2
	mov ax, [es:si + 10]
	out dx, ax
	mov ax, [es:si + 6]	; physical buffer = segment * 16 + offset
	mov bx, ax
	push cx
	mov cl, 4
	shl ax, cl
	mov cl, 12
	shr bx, cl
	pop cx
	add ax, [es:si + 4]
	adc bx, 0
	mov dx, DISK_BUF
	out dx, ax
	add dx, 2
	mov ax, bx
	out dx, ax
	mov ax, cx
	mov dx, DISK_COUNT
	out dx, ax
	mov ax, di
	mov al, ah
	sub al, 41h		; 42h/43h/44h -> 1/2/3
	mov dx, DISK_CMD
	out dx, al
	inc dx
	in al, dx		; DISK_RESULT
	mov bl, al
	mov dx, DISK_COUNT
	in ax, dx
	mov [es:si + 2], ax
	mov al, bl
	jmp d_finish
.none:
	xor al, al
	jmp d_finish

; EDD 3.0 device path (48h buffer offsets 1Eh-41h) of ATA drive DL at
; ES:DI: the PIIX3 IDE function 00:01.1 when PCI was found, else the ISA
; port; ATA master/slave.
d_edd30:
	push ax
	push bx
	push cx
	push si
	push ds
	push di
	add di, 1Eh
	mov cx, 12h
	xor ax, ax
	rep stosw		; 1Eh-41h
	pop di
	mov word [es:di + 1Ah], 0FFFFh	; no device parameter table
	mov word [es:di + 1Ch], 0FFFFh
	mov word [es:di + 1Eh], 0BEDDh
	mov byte [es:di + 20h], 24h
	mov word [es:di + 28h], 'AT'
	mov word [es:di + 2Ah], 'A '
	mov word [es:di + 2Ch], '  '
	mov word [es:di + 2Eh], '  '
	push es
	push di
	call ata_entry		; ES:SI = the drive
	mov bx, [es:si + ATA_BASE]
	mov cl, [es:si + ATA_DEV]
	pop di
	pop es
	push ds
	mov ds, [BDA_EBDASEG]
	cmp byte [EBDA_PCI], 1
	pop ds
	jne .isa
	mov word [es:di + 24h], 'PC'
	mov word [es:di + 26h], 'I '
	mov byte [es:di + 30h], 0	; bus 0, device 1, function 1
	mov byte [es:di + 31h], 1
	mov byte [es:di + 32h], 1
	jmp .dev
.isa:
	mov word [es:di + 24h], 'IS'
	mov word [es:di + 26h], 'A '
	mov [es:di + 30h], bx
.dev:
	shr cl, 1
	shr cl, 1
	shr cl, 1
	shr cl, 1
	mov [es:di + 38h], cl	; 0 master, 1 slave
	; checksum over 1Eh-41h
	xor al, al
	mov bx, di
	add bx, 1Eh
	mov cx, 41h - 1Eh
.sum:
	add al, [es:bx]
	inc bx
	loop .sum
	neg al
	mov [es:di + 41h], al
	pop ds
	pop si
	pop cx
	pop bx
	pop ax
	ret

; AH=48h: drive parameters into the buffer at DS:SI (size word first).
d_ext_params:
	cmp dl, 80h
	jae .hd
	jmp d_bad
.hd:
	call d_select
	jc d_absent
	mov es, [bp + F_DS]
	mov di, [bp + F_SI]
	mov ax, [es:di]
	cmp ax, 1Ah
	jb d_bad
	mov cx, 1Ah
	cmp ax, 1Eh
	jb .size
	mov cx, 1Eh
	mov word [es:di + 1Ah], 0FFFFh	; no device parameter table
	mov word [es:di + 1Ch], 0FFFFh
	cmp ax, 42h
	jb .size
	call d_native
	jc .size
	call d_edd30
	mov cx, 42h
.size:
	mov [es:di], cx
	mov word [es:di + 2], 0002h	; the CHS fields are valid
	call d_geometry
	mov [es:di + 4], si
	xor ax, ax
	mov [es:di + 6], ax
	mov [es:di + 10], ax
	mov [es:di + 14], ax
	mov [es:di + 20], ax
	mov [es:di + 22], ax
	mov al, bl
	mov [es:di + 8], ax
	mov al, bh
	mov [es:di + 12], ax
	push dx
	call d_total
	mov [es:di + 16], ax
	mov [es:di + 18], dx
	pop dx
	mov word [es:di + 24], 512
	xor al, al
	jmp d_finish

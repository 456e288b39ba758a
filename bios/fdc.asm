; tandem BIOS: INT 13h floppy access through an 82077AA at 3F0h (IRQ6, DMA
; channel 2); used when POST found the controller (MACH_FDC), else the
; paravirtual interface serves the floppies.  The medium is identified on
; first use and after a change: the data rate at which READ ID works, the
; sector count from the IDs, heads and 40/80 cylinders by probing.  Each
; transfer stays on one track and inside one 64 KiB DMA page.

FDC_DOR		equ 3F2h
FDC_MSR		equ 3F4h
FDC_FIFO	equ 3F5h
FDC_DIR		equ 3F7h	; read: disk change; write: CCR (data rate)

BDA_FDRESULT	equ 42h		; 7 result bytes of the last command
BDA_FDCYL	equ 94h		; current cylinder, drive 0 and 1

EBDA_FDGEO	equ 310h	; per drive 4 bytes: cylinders, heads, spt, rate+1 (0: unknown)
EBDA_FDEXIST	equ 318h	; bit n: drive n exists

; Transfer request shared by the INT 13h back ends (EBDA).
EBDA_X_LBA	equ 300h	; dword
EBDA_X_COUNT	equ 304h	; sectors asked
EBDA_X_OFF	equ 306h	; buffer offset, segment
EBDA_X_SEG	equ 308h
EBDA_X_CMD	equ 30Ah	; 1 read, 2 write, 3 verify
EBDA_X_DONE	equ 30Ch	; sectors done

int0e:				; IRQ6: note it for anyone polling the BDA
	push ax
	push ds
	mov ax, BDA_SEG
	mov ds, ax
	or byte [BDA_FDRECAL], 80h
	mov al, 20h
	out 20h, al
	pop ds
	pop ax
	iret

; POST (DS = BDA): DMA cascade, controller reset, drives from the CMOS
; (at) or the equipment switches (xt).
fdc_init:
	test byte [BDA_MACHINE], MACH_AT
	jz .xt
	mov al, 0C0h		; channel 4 cascades controller 1
	out 0D6h, al
	xor al, al
	out 0D4h, al
.xt:
	xor al, al
	out 08h, al		; DMA controller 1 enabled
	mov dx, FDC_MSR
	in al, dx
	cmp al, 0FFh
	je .none
	call fdc_reset
	jc .none
	or byte [BDA_MACHINE], MACH_FDC
	push es
	mov es, [BDA_EBDASEG]
	xor al, al
	test byte [BDA_MACHINE], MACH_CMOS
	jz .switches
	mov al, 10h
	call cmos_read
	mov ah, al
	xor al, al
	test ah, 0F0h
	jz .b
	or al, 1
.b:
	test ah, 0Fh
	jz .set
	or al, 2
	jmp .set
.switches:
	; no CMOS: a drive is there if it recalibrates (an absent one reports
	; an equipment check)
	push dx
	xor dl, dl
	xor ah, ah
.probe:
	call fdc_motor_on
	and byte [BDA_FDRECAL], 0FCh
	call fdc_recal
	jc .absent
	mov cl, dl
	mov al, 1
	shl al, cl
	or ah, al
.absent:
	inc dl
	cmp dl, 2
	jb .probe
	mov byte [BDA_FDMCOUNT], 1	; motors off at the next tick
	mov al, ah
	pop dx
.set:
	mov [es:EBDA_FDEXIST], al
	pop es
.none:
	ret

; Reset the controller (DOR), take the four polling interrupts, SPECIFY.
; CF on a controller that does not answer.
fdc_reset:
	push ax
	push cx
	push dx
	call fdc_irq_arm
	mov dx, FDC_DOR
	mov al, 08h
	out dx, al
	jmp short $+2
	mov al, 0Ch
	out dx, al
	and byte [BDA_FDRECAL], 70h	; every drive needs a recalibrate
	mov byte [BDA_FDMOTOR], 0
	call fdc_wait_irq
	jc .out
	mov cx, 4
.sense:
	call fdc_sense
	jc .out
	loop .sense
	mov al, 03h		; SPECIFY: step rate/head unload, head load, DMA
	call fdc_out
	jc .out
	mov al, 0DFh
	call fdc_out
	jc .out
	mov al, 02h
	call fdc_out
.out:
	pop dx
	pop cx
	pop ax
	ret

; Byte AL to the FIFO when the controller asks for one.  CF on time-out.
fdc_out:
	push cx
	push dx
	push ax
	mov dx, FDC_MSR
	in al, dx
	cmp al, 80h		; idle: this starts a command
	jne .arm_done
	call fdc_irq_arm
.arm_done:
	xor cx, cx
.w:
	in al, dx
	and al, 0C0h
	cmp al, 80h
	je .go
	loop .w
	pop ax
	pop dx
	pop cx
	stc
	ret
.go:
	pop ax
	inc dx
	out dx, al
	pop dx
	pop cx
	clc
	ret

; AL = next result byte.  CF on time-out.
fdc_in:
	push cx
	push dx
	mov dx, FDC_MSR
	xor cx, cx
.w:
	in al, dx
	and al, 0C0h
	cmp al, 0C0h
	je .go
	loop .w
	pop dx
	pop cx
	stc
	ret
.go:
	inc dx
	in al, dx
	pop dx
	pop cx
	clc
	ret

; Before a command's first byte: let any stale IRQ6 in and forget it, so
; fdc_wait_irq sees only this command's interrupt.  IRQ6 stays unmasked
; (POST unmasks it anyway).
fdc_irq_arm:
	pushf
	push ax
	in al, 21h
	and al, 0BFh
	out 21h, al
	sti
	nop
	nop
	nop
	cli
	and byte [BDA_FDRECAL], 7Fh
	pop ax
	popf
	ret

; Wait for the controller's interrupt: int0e sets BDA 3Eh bit 7.
; Interrupts are enabled while waiting (also at POST).  About 2 s at most,
; timed on the PIT.  CF on time-out.
fdc_wait_irq:
	pushf
	push cx
	push bx
	sti
	mov bx, 2000
.w:
	test byte [BDA_FDRECAL], 80h
	jnz .ok
	mov cx, 67		; 1 ms
	call delay_15us
	dec bx
	jnz .w
	pop bx
	pop cx
	popf
	stc
	ret
.ok:
	and byte [BDA_FDRECAL], 7Fh
	pop bx
	pop cx
	popf
	clc
	ret

; SENSE INTERRUPT: AL = ST0, AH = PCN.  CF on time-out.
fdc_sense:
	mov al, 08h
	call fdc_out
	jc .r
	call fdc_in
	jc .r
	mov ah, al
	call fdc_in
	xchg al, ah
.r:
	ret

; Read the result phase (up to 7 bytes) into BDA 42h.  CF on time-out.
fdc_results:
	push cx
	push di
	push dx
	mov di, BDA_FDRESULT
	mov cx, 7
.l:
	call fdc_in
	jc .out
	mov [di], al
	inc di
	loop .l
.out:
	pop dx
	pop di
	pop cx
	ret

; Motor on and drive DL selected; it keeps running until INT 08h counts
; BDA 40h down.
fdc_motor_on:
	push ax
	push cx
	push dx
	mov byte [BDA_FDMCOUNT], 0FFh	; not while we work
	mov cl, dl
	mov al, 10h
	shl al, cl
	mov ah, al
	or al, 0Ch
	or al, dl
	mov dx, FDC_DOR
	out dx, al
	mov cl, 4
	shr ah, cl
	and byte [BDA_FDMOTOR], 0F0h
	or [BDA_FDMOTOR], ah
	pop dx
	pop cx
	pop ax
	ret

fdc_motor_later:		; about two seconds (INT 1Eh byte 2)
	mov byte [BDA_FDMCOUNT], 37
	ret

; Recalibrate drive DL if it has not been since the last reset.  CF on failure.
fdc_recal:
	push ax
	push bx
	push cx
	mov cl, dl
	mov al, 1
	shl al, cl
	test [BDA_FDRECAL], al
	jnz .done
	mov ch, al
	mov cl, 2		; an 80-track drive may need two
.again:
	mov al, 07h
	call fdc_out
	jc .fail
	mov al, dl
	call fdc_out
	jc .fail
	call fdc_wait_irq
	jc .fail
	call fdc_sense
	jc .fail
	and al, 0F0h
	cmp al, 20h
	je .ok
	dec cl
	jnz .again
	jmp .fail
.ok:
	or [BDA_FDRECAL], ch
	mov bl, dl
	xor bh, bh
	mov byte [BDA_FDCYL + bx], 0
.done:
	pop cx
	pop bx
	pop ax
	clc
	ret
.fail:
	pop cx
	pop bx
	pop ax
	stc
	ret

; Seek drive DL, head DH to cylinder CH.  CF on failure.
fdc_seek:
	push ax
	push bx
	call fdc_recal
	jc .out
	mov bl, dl
	xor bh, bh
	cmp [BDA_FDCYL + bx], ch
	je .out
	mov al, 0Fh
	call fdc_out
	jc .out
	mov al, dh
	shl al, 1
	shl al, 1
	or al, dl
	call fdc_out
	jc .out
	mov al, ch
	call fdc_out
	jc .out
	call fdc_wait_irq
	jc .out
	call fdc_sense
	jc .out
	test al, 0C0h
	jnz .fail
	mov [BDA_FDCYL + bx], ah
	clc
	jmp .out
.fail:
	and byte [BDA_FDRECAL], 0FCh	; start over from a recalibrate
	stc
.out:
	pop bx
	pop ax
	ret

; READ ID on drive DL, head DH at the current cylinder.  CF when no ID
; could be read; else the sector number in AL.
fdc_readid:
	mov al, 4Ah
	call fdc_out
	jc .r
	mov al, dh
	shl al, 1
	shl al, 1
	or al, dl
	call fdc_out
	jc .r
	call fdc_wait_irq
	jc .r
	call fdc_results
	jc .r
	test byte [BDA_FDRESULT], 0C0h
	jnz .bad
	mov al, [BDA_FDRESULT + 5]
	clc
	ret
.bad:
	stc
.r:
	ret

fdc_rates:	db 0, 2, 3, 1		; 500, 250, 1000, 300 kbit/s
fdc_spt_dflt:	db 18, 9, 36, 9

; ES:DI = the geometry cache entry of drive DL (ES = EBDA).
fdc_geo_entry:
	mov es, [BDA_EBDASEG]
	mov di, dx
	and di, 1
	shl di, 1
	shl di, 1
	add di, EBDA_FDGEO
	ret

; Identify the medium in drive DL (motor on).  CF when nothing reads.
fdc_detect:
	push ax
	push bx
	push cx
	push si
	push di
	push es
	push dx
	call fdc_geo_entry
	cmp byte [es:di + 3], 0
	jne .known
	xor si, si
.rate:
	mov al, [cs:fdc_rates + si]
	mov dx, FDC_DIR
	out dx, al
	pop dx
	push dx
	and byte [BDA_FDRECAL], 0FCh
	call fdc_recal
	jc .next_rate
	xor dh, dh
	call fdc_readid
	jnc .found
.next_rate:
	inc si
	cmp si, 4
	jb .rate
	pop dx
	push dx
	mov byte [es:di + 3], 0
	stc
	jmp .out
.found:
	; sectors per track: the highest ID seen in a revolution or two
	xor bl, bl
	mov cx, 40
.ids:
	call fdc_readid
	jc .ids_next
	cmp al, bl
	jbe .ids_next
	mov bl, al
.ids_next:
	loop .ids
	cmp bl, 8
	jae .spt
	mov bl, [cs:fdc_spt_dflt + si]
.spt:
	mov [es:di + 2], bl
	mov byte [es:di + 1], 1
	mov dh, 1
	call fdc_readid
	jc .one
	mov byte [es:di + 1], 2
.one:
	xor dh, dh
	mov byte [es:di], 40
	mov ch, 45
	call fdc_seek
	jc .cyl
	call fdc_readid
	jc .cyl
	mov byte [es:di], 80
.cyl:
	mov ax, si
	inc al
	mov [es:di + 3], al
	; media state byte: rate bits 7-6 (00 500, 01 300, 10 250, 11 1000), established
	mov al, [cs:fdc_rates + si]
	mov ah, 0
	cmp al, 1
	jne .r2
	mov ah, 40h
.r2:
	cmp al, 2
	jne .r3
	mov ah, 80h
.r3:
	cmp al, 3
	jne .r4
	mov ah, 0C0h
.r4:
	or ah, 10h
	pop dx
	push dx
	mov bl, dl
	xor bh, bh
	mov [BDA_FDMEDIA + bx], ah
.known:
	mov al, [es:di + 3]
	dec al
	xor ah, ah
	mov si, ax
	mov al, [cs:fdc_rates + si]
	mov dx, FDC_DIR
	out dx, al
	clc
.out:
	pop dx
	pop es
	pop di
	pop si
	pop cx
	pop bx
	pop ax
	ret

; d_select for a floppy on the FDC: CF when drive DL does not exist, else
; AL = DST_* bits.  The change line (DIR bit 7) marks the medium unknown and
; is reset by stepping the head.
fdc_select:
	push es
	push cx
	mov es, [BDA_EBDASEG]
	mov cl, dl
	mov al, 1
	shl al, cl
	test [es:EBDA_FDEXIST], al
	jz .absent
	call fdc_motor_on
	call fdc_motor_later
	mov ch, al
	push dx
	mov dx, FDC_DIR
	in al, dx
	pop dx
	test al, 80h
	mov al, DST_PRESENT | DST_FLOPPY
	jz .ok
	or [BDA_FDCHANGED], ch
	push di
	call fdc_geo_entry
	mov byte [es:di + 3], 0
	pop di
	; step away and back to clear the change line (fails harmlessly
	; without a medium)
	push dx
	push ax
	xor dh, dh
	mov ch, 1
	call fdc_seek
	xor ch, ch
	call fdc_seek
	pop ax
	pop dx
	or al, DST_CHANGED
.ok:
	pop cx
	pop es
	clc
	ret
.absent:
	pop cx
	pop es
	stc
	ret

; d_geometry for the FDC: SI cylinders, BL heads, BH sectors (the drive
; type's medium when nothing can be read).
fdc_geometry:
	push ax
	push di
	push es
	call fdc_detect
	jc .dflt
	call fdc_geo_entry
	mov al, [es:di]
	xor ah, ah
	mov si, ax
	mov bl, [es:di + 1]
	mov bh, [es:di + 2]
	jmp .out
.dflt:
	call fdc_cmos_type
	dec al
	mov ah, 3
	mul ah
	mov di, ax
	mov al, [cs:fdc_type_geo + di]
	xor ah, ah
	mov si, ax
	mov bl, [cs:fdc_type_geo + di + 1]
	mov bh, [cs:fdc_type_geo + di + 2]
.out:
	pop es
	pop di
	pop ax
	ret

fdc_type_geo:			; cylinders, heads, sectors of types 1-5
	db 40, 2, 9, 80, 2, 15, 80, 2, 9, 80, 2, 18, 80, 2, 36

; AL = CMOS drive type of drive DL (1-5), 0 when unknown.
fdc_cmos_type:
	xor al, al
	test byte [BDA_MACHINE], MACH_CMOS
	jz .guess
	mov al, 10h
	call cmos_read
	or dl, dl
	jnz .low
	shr al, 1
	shr al, 1
	shr al, 1
	shr al, 1
.low:
	and al, 0Fh
	cmp al, 5
	jbe .ok
.guess:
	mov al, 4		; 1.44M, the common drive
.ok:
	or al, al
	jz .guess
	ret

; Transfer the EBDA request (EBDA_X_*) on drive DL: AL = INT 13h status,
; EBDA_X_DONE = sectors done.
fdc_transfer:
	push es
	mov es, [BDA_EBDASEG]
	mov word [es:EBDA_X_DONE], 0
	call fdc_geometry	; SI cylinders, BL heads, BH sectors
	push di
	call fdc_geo_entry
	cmp byte [es:di + 3], 0
	pop di
	jne .known
	mov al, E13_NOTREADY	; no medium could be read
	jmp .out
.known:
	; the whole request must lie on the medium (so the divisions below
	; cannot overflow)
	mov al, bl
	mul bh
	mul si			; AX = sectors on the medium (< 65536)
	mov cx, ax
	mov ax, [es:EBDA_X_LBA]
	cmp word [es:EBDA_X_LBA + 2], 0
	jne .range
	add ax, [es:EBDA_X_COUNT]
	jc .range
	cmp ax, cx
	jbe .loop
.range:
	mov al, E13_NOSECTOR
	jmp .out
.loop:
	mov cx, [es:EBDA_X_COUNT]
	sub cx, [es:EBDA_X_DONE]
	jnz .more
	xor al, al
	jmp .out
.more:
	push cx
	; LBA -> track, sector
	mov ax, [es:EBDA_X_LBA]
	mov dx, [es:EBDA_X_LBA + 2]
	add ax, [es:EBDA_X_DONE]
	adc dx, 0
	mov cl, bh
	xor ch, ch
	div cx			; AX = track, DX = sector - 1
	mov cl, dl
	inc cl			; CL = sector
	xor dx, dx
	push bx
	xor bh, bh
	div bx			; AX = cylinder, DX = head
	pop bx
	mov ch, al
	mov dh, dl
	pop ax			; AX = sectors left
	; on this track: up to EOT
	push ax
	mov al, bh
	sub al, cl
	inc al
	xor ah, ah
	mov di, ax
	pop ax
	cmp ax, di
	jbe .track_ok
	mov ax, di
.track_ok:
	; inside the 64 KiB DMA page
	push ax
	push cx
	push dx
	call fdc_phys		; DX:AX = physical buffer address
	mov di, ax
	neg di			; bytes to the page end (0 = 64 KiB)
	pop dx
	pop cx
	pop ax
	or di, di
	jz .dma_ok
	push cx
	mov cl, 9
	shr di, cl
	pop cx
	or di, di
	jnz .fits
	mov al, 09h		; a sector would cross the DMA boundary
	jmp .out
.fits:
	cmp ax, di
	jbe .dma_ok
	mov ax, di
.dma_ok:
	; AX sectors at cylinder CH, head DH, sector CL
	mov dl, [bp + F_DL]
	push ax
	call fdc_seek
	pop ax
	jnc .seeked
	mov al, 40h		; seek failed
	jmp .out
.seeked:
	push ax
	call fdc_dma_setup
	call fdc_rw_cmd
	pop di
	jc .timeout
	call fdc_status
	or al, al
	jnz .out
	add [es:EBDA_X_DONE], di
	jmp .loop
.timeout:
	call fdc_reset
	mov al, E13_NOTREADY
.out:
	mov dl, [bp + F_DL]
	pop es
	ret

; DX:AX = physical address of the request's next sector (ES = EBDA).
fdc_phys:
	push cx
	mov ax, [es:EBDA_X_SEG]
	mov dx, ax
	mov cl, 4
	shl ax, cl
	mov cl, 12
	shr dx, cl
	add ax, [es:EBDA_X_OFF]
	adc dx, 0
	mov cx, [es:EBDA_X_DONE]
	push dx
	push ax
	mov ax, 512
	mul cx
	pop cx
	add ax, cx
	pop cx
	adc dx, cx
	pop cx
	ret

; Program DMA channel 2 for AX sectors of the request (ES = EBDA).
fdc_dma_setup:
	push ax
	push bx
	push cx
	push dx
	mov cl, 9
	shl ax, cl
	dec ax
	mov bx, ax		; count - 1
	call fdc_phys
	mov cx, ax
	mov al, 06h		; mask channel 2
	out 0Ah, al
	out 0Ch, al		; clear the flip-flop
	mov al, 46h		; single, to memory
	cmp byte [es:EBDA_X_CMD], 2
	jne .v
	mov al, 4Ah		; from memory
.v:
	cmp byte [es:EBDA_X_CMD], 3
	jne .mode
	mov al, 42h		; verify
.mode:
	out 0Bh, al
	mov al, cl
	out 04h, al
	mov al, ch
	out 04h, al
	mov al, dl
	out 81h, al
	mov al, bl
	out 05h, al
	mov al, bh
	out 05h, al
	mov al, 02h		; unmask
	out 0Ah, al
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; READ/WRITE DATA for cylinder CH, head DH, sector CL of drive DL, up to
; EOT = BH sectors a track; results into the BDA.  CF on time-out.
fdc_rw_cmd:
	mov al, 0E6h		; MT, MFM, SK, READ DATA
	cmp byte [es:EBDA_X_CMD], 2
	jne .c
	mov al, 0C5h		; MT, MFM, WRITE DATA
.c:
	call fdc_out
	jc .r
	mov al, dh
	shl al, 1
	shl al, 1
	or al, dl
	call fdc_out
	jc .r
	mov al, ch
	call fdc_out
	jc .r
	mov al, dh
	call fdc_out
	jc .r
	mov al, cl
	call fdc_out
	jc .r
	mov al, 2
	call fdc_out
	jc .r
	mov al, bh
	call fdc_out
	jc .r
	mov al, 1Bh
	call fdc_out
	jc .r
	mov al, 0FFh
	call fdc_out
	jc .r
	call fdc_wait_irq
	jc .r
	call fdc_results
.r:
	ret

; AL = INT 13h status for the result bytes in the BDA.
fdc_status:
	mov al, [BDA_FDRESULT]
	test al, 0C0h
	jz .ok
	mov ah, [BDA_FDRESULT + 1]
	mov al, 03h
	test ah, 02h		; not writable
	jnz .r
	mov al, 10h
	test ah, 20h		; data error
	jnz .r
	mov al, 08h
	test ah, 10h		; overrun
	jnz .r
	mov al, 04h
	test ah, 04h		; no data
	jnz .r
	mov al, 02h		; missing address mark: maybe another medium
	push di
	push es
	call fdc_geo_entry
	mov byte [es:di + 3], 0
	pop es
	pop di
	test ah, 01h
	jnz .r
	mov al, 20h
.r:
	ret
.ok:
	xor al, al
	ret

; AH=05h on the FDC: format track CH, head DH with the AL C/H/R/N IDs at
; ES:BX.  AL = status.
fdc_format:
	push es
	mov es, [BDA_EBDASEG]
	call fdc_geometry
	mov al, [bp + F_AL]
	xor ah, ah
	mov [es:EBDA_X_COUNT], ax
	mov ax, [bp + F_BX]
	mov [es:EBDA_X_OFF], ax
	mov ax, [bp + F_ES]
	mov [es:EBDA_X_SEG], ax
	mov word [es:EBDA_X_DONE], 0
	mov byte [es:EBDA_X_CMD], 2
	mov ch, [bp + F_CH]
	mov dh, [bp + F_DH]
	call fdc_seek
	mov al, 40h
	jc .out
	; DMA: 4 bytes an ID
	push bx
	call fdc_phys
	mov cx, ax
	mov bx, [es:EBDA_X_COUNT]
	shl bx, 1
	shl bx, 1
	dec bx
	mov al, 06h
	out 0Ah, al
	out 0Ch, al
	mov al, 4Ah
	out 0Bh, al
	mov al, cl
	out 04h, al
	mov al, ch
	out 04h, al
	mov al, dl
	out 81h, al
	mov al, bl
	out 05h, al
	mov al, bh
	out 05h, al
	mov al, 02h
	out 0Ah, al
	pop bx
	mov dl, [bp + F_DL]
	mov al, 4Dh		; FORMAT TRACK, MFM
	call fdc_out
	jc .timeout
	mov al, [bp + F_DH]
	shl al, 1
	shl al, 1
	or al, dl
	call fdc_out
	jc .timeout
	mov al, 2
	call fdc_out
	jc .timeout
	mov al, [bp + F_AL]
	call fdc_out
	jc .timeout
	mov al, 54h		; gap length
	call fdc_out
	jc .timeout
	mov al, 0F6h		; filler
	call fdc_out
	jc .timeout
	call fdc_wait_irq
	jc .timeout
	call fdc_results
	jc .timeout
	call fdc_status
	jmp .out
.timeout:
	call fdc_reset
	mov al, E13_NOTREADY
.out:
	pop es
	ret

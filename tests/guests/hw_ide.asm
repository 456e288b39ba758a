; hw_ide: the primary IDE channel (1F0h-1F7h, 3F6h, IRQ14) at register level with a
; blank 2880-sector disk on the master. IDENTIFY DEVICE (fixed disk, LBA, LBA48 and the
; capacity in words 60-61 and 100-103, IRQ14 raised and cleared by reading status),
; LBA28 WRITE/READ SECTORS, LBA48 WRITE/READ SECTORS EXT of two sectors, SET MULTIPLE
; and READ MULTIPLE (one DRQ block, one interrupt), the device control register's nIEN,
; and a read beyond the end of the disk failing with ERR.
; expect-status: 1
; expect-debugcon: hw_ide.debugcon
; guest-hdd: yes
; oracle: qemu bochs
%include "lib.inc"

IDE	equ	0x1f0
IDE_CTL	equ	0x3f6
BUF	equ	0x9000
BUF2	equ	0xa000

main:
	PRINT	"hw_ide", 10
	cli
	mov	word [0x76 * 4], irq14
	mov	word [0x76 * 4 + 2], 0
	in	al, 0xa1
	and	al, ~0x40
	out	0xa1, al
	in	al, 0x21
	and	al, ~0x04
	out	0x21, al
	sti
	mov	dx, IDE_CTL		; interrupts on
	xor	al, al
	out	dx, al
	mov	dx, IDE + 6
	mov	al, 0xa0
	out	dx, al
	call	wait_ready
	CHECK	nc, 1

	; IDENTIFY DEVICE
	mov	byte [irqs], 0
	mov	al, 0xec
	call	ide_cmd
	call	wait_drq
	CHECK	nc, 2
	cmp	byte [irqs], 1
	CHECK	e, 3
	mov	di, BUF
	call	read_sector
	mov	ax, [BUF + 0 * 2]
	test	ax, 0x8000		; ATA device
	CHECK	z, 4
	test	word [BUF + 49 * 2], 0x0200	; LBA
	CHECK	nz, 5
	cmp	word [BUF + 60 * 2], 2880
	CHECK	e, 6
	cmp	word [BUF + 61 * 2], 0
	CHECK	e, 7
	test	word [BUF + 83 * 2], 0x0400	; 48-bit address feature set
	CHECK	nz, 8
	cmp	word [BUF + 100 * 2], 2880
	CHECK	e, 9
	cmp	word [BUF + 102 * 2], 0
	CHECK	e, 10
	call	status
	and	al, 0xc9
	cmp	al, 0x40
	CHECK	e, 11
	PRINT	"identify ok", 10

	; LBA28 WRITE SECTORS at 2000, then READ SECTORS.
	mov	di, BUF
	mov	bl, 0x11
	call	pattern
	mov	ax, 2000
	mov	cl, 1
	call	lba28
	mov	al, 0x30
	call	ide_cmd
	call	wait_drq
	CHECK	nc, 12
	mov	si, BUF
	call	write_sector
	call	wait_done
	CHECK	nc, 13
	mov	ax, 2000
	mov	cl, 1
	call	lba28
	mov	al, 0x20
	call	ide_cmd
	call	wait_drq
	CHECK	nc, 14
	mov	di, BUF2
	call	read_sector
	mov	si, BUF
	mov	di, BUF2
	mov	cx, 256
	repe	cmpsw
	CHECK	e, 15
	PRINT	"lba28 write/read ok", 10

	; LBA48: WRITE SECTORS EXT of 2001-2002, READ SECTORS EXT.
	mov	di, BUF
	mov	bl, 0x22
	call	pattern
	mov	di, BUF + 512
	mov	bl, 0x33
	call	pattern
	mov	ax, 2001
	call	lba48
	mov	al, 0x34
	call	ide_cmd
	mov	si, BUF
	call	wait_drq
	CHECK	nc, 16
	call	write_sector
	call	wait_drq
	CHECK	nc, 17
	call	write_sector
	call	wait_done
	CHECK	nc, 18
	mov	ax, 2001
	call	lba48
	mov	al, 0x24
	call	ide_cmd
	mov	di, BUF2
	call	wait_drq
	CHECK	nc, 19
	call	read_sector
	call	wait_drq
	CHECK	nc, 20
	call	read_sector
	mov	si, BUF
	mov	di, BUF2
	mov	cx, 512
	repe	cmpsw
	CHECK	e, 21
	PRINT	"lba48 write/read ok", 10

	; SET MULTIPLE 2, READ MULTIPLE 2001-2002: one block, one interrupt.
	mov	dx, IDE + 2
	mov	al, 2
	out	dx, al
	mov	al, 0xc6
	call	ide_cmd
	call	wait_done
	CHECK	nc, 22
	mov	ax, 2001
	mov	cl, 2
	call	lba28
	mov	byte [irqs], 0
	mov	al, 0xc4
	call	ide_cmd
	call	wait_drq
	CHECK	nc, 23
	mov	di, BUF2
	call	read_sector
	call	status
	test	al, 0x08		; still DRQ: the block is two sectors
	CHECK	nz, 24
	call	read_sector
	call	status
	test	al, 0x89
	CHECK	z, 25
	cmp	byte [irqs], 1
	CHECK	e, 26
	mov	si, BUF
	mov	di, BUF2
	mov	cx, 512
	repe	cmpsw
	CHECK	e, 27
	PRINT	"read multiple ok", 10

	; nIEN: the command completes without IRQ14.
	mov	dx, IDE_CTL
	mov	al, 0x02
	out	dx, al
	mov	byte [irqs], 0
	mov	ax, 2000
	mov	cl, 1
	call	lba28
	mov	al, 0x40		; READ VERIFY SECTORS
	call	ide_cmd
	call	poll_not_busy
	mov	cx, 3
.q:	hlt
	loop	.q
	cmp	byte [irqs], 0
	CHECK	e, 28
	call	status
	mov	dx, IDE_CTL
	xor	al, al
	out	dx, al
	PRINT	"nien ok", 10

	; Beyond the last sector: the command fails with ERR.
	mov	ax, 3000
	mov	cl, 1
	call	lba28
	mov	al, 0x20
	call	ide_cmd
	call	poll_not_busy
	call	status
	test	al, 0x01
	CHECK	nz, 29
	test	al, 0x08
	CHECK	z, 30
	PRINT	"out of range ok", 10
	jmp	pass

; status: AL = status register (clears the pending interrupt).
status:
	push	dx
	mov	dx, IDE + 7
	in	al, dx
	pop	dx
	ret

; poll_not_busy: waits for BSY clear (QEMU completes I/O asynchronously: poll,
; then sleep a timer tick, up to about 2 s).
poll_not_busy:
	push	bx
	push	cx
	push	dx
	mov	dx, IDE_CTL
	mov	bx, 40
.o:	mov	cx, 2000
.l:	in	al, dx
	test	al, 0x80
	jz	.d
	loop	.l
	hlt
	dec	bx
	jnz	.o
.d:	pop	dx
	pop	cx
	pop	bx
	ret

; wait_ready: BSY clear and DRDY set; CF on timeout.
wait_ready:
	push	cx
	push	dx
	mov	dx, IDE_CTL
	mov	cx, 0xffff
.l:	in	al, dx
	and	al, 0xc0
	cmp	al, 0x40
	je	.ok
	loop	.l
	pop	dx
	pop	cx
	stc
	ret
.ok:	pop	dx
	pop	cx
	clc
	ret

; wait_drq: waits for BSY clear, then needs DRQ and no ERR; CF otherwise.
wait_drq:
	call	poll_not_busy
	push	dx
	mov	dx, IDE_CTL
	in	al, dx
	pop	dx
	and	al, 0x89
	cmp	al, 0x08
	je	.ok
	stc
	ret
.ok:	clc
	ret

; wait_done: waits for the command's interrupt, then BSY, DRQ and ERR clear.
wait_done:
	push	cx
	mov	cx, 40
.w:	cmp	byte [irqs], 0
	jne	.g
	hlt
	loop	.w
.g:	pop	cx
	mov	byte [irqs], 0
	call	poll_not_busy
	call	status
	test	al, 0x89
	jnz	.bad
	clc
	ret
.bad:	stc
	ret

; ide_cmd: AL to the command register (the interrupt count starts over).
ide_cmd:
	push	dx
	mov	byte [irqs], 0
	mov	dx, IDE + 7
	out	dx, al
	pop	dx
	ret

; lba28: sector AX (< 65536), count CL, LBA mode, master.
lba28:
	push	dx
	push	ax
	mov	dx, IDE + 2
	mov	al, cl
	out	dx, al
	pop	ax
	inc	dx
	out	dx, al			; LBA 7:0
	inc	dx
	mov	al, ah
	out	dx, al			; LBA 15:8
	inc	dx
	xor	al, al
	out	dx, al			; LBA 23:16
	inc	dx
	mov	al, 0xe0
	out	dx, al
	pop	dx
	ret

; lba48: sector AX, count 2, through the high-order bytes first.
lba48:
	push	dx
	push	ax
	mov	dx, IDE + 6
	mov	al, 0x40
	out	dx, al
	mov	dx, IDE + 2
	xor	al, al
	out	dx, al			; count 15:8
	inc	dx
	out	dx, al			; LBA 31:24
	inc	dx
	out	dx, al			; LBA 39:32
	inc	dx
	out	dx, al			; LBA 47:40
	mov	dx, IDE + 2
	mov	al, 2
	out	dx, al			; count 7:0
	pop	ax
	inc	dx
	out	dx, al
	inc	dx
	mov	al, ah
	out	dx, al
	inc	dx
	xor	al, al
	out	dx, al
	pop	dx
	ret

; read_sector: 256 words from the data port to DI.
read_sector:
	push	cx
	push	dx
	mov	dx, IDE
	mov	cx, 256
.r:	in	ax, dx
	stosw
	loop	.r
	pop	dx
	pop	cx
	ret

; write_sector: 256 words from SI to the data port.
write_sector:
	push	cx
	push	dx
	mov	dx, IDE
	mov	cx, 256
.w:	lodsw
	out	dx, ax
	loop	.w
	pop	dx
	pop	cx
	ret

; pattern: 512 bytes at DI from seed BL.
pattern:
	push	cx
	mov	cx, 512
	mov	al, bl
.p:	stosb
	add	al, bl
	xor	al, cl
	loop	.p
	pop	cx
	ret

irq14:
	push	ax
	inc	byte [cs:irqs]
	mov	al, 0x20
	out	0xa0, al
	out	0x20, al
	pop	ax
	iret

irqs	db	0

%include "tail.inc"

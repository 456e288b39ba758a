; hw_atapi: the ATAPI CD-ROM on the secondary IDE master (170h-177h, 376h), whose
; medium is a copy of this very image (720 blocks of 2048 bytes). DEVICE RESET leaves
; the ATAPI signature (14h/EBh), IDENTIFY PACKET DEVICE says CD-ROM, TEST UNIT READY
; succeeds within three tries (a unit attention may come first), READ CAPACITY gives
; 719 / 2048, READ(10) of block 0 returns the image's first sectors (the boot
; signature, and sector 1 as loaded at 7E00h),
; READ TOC (format 0, LBA) lists track 1 at 0 and the lead-out at 720, and a READ(10)
; past the end fails with sense key 5 (ILLEGAL REQUEST) in the error register.
; expect-status: 1
; expect-debugcon: hw_atapi.debugcon
; guest-cdrom: yes
; oracle: qemu bochs
%include "lib.inc"

IDE	equ	0x170
IDE_CTL	equ	0x376
BUF	equ	0x9000

main:
	PRINT	"hw_atapi", 10
	mov	dx, IDE_CTL		; no interrupts: this guest polls
	mov	al, 0x02
	out	dx, al
	mov	dx, IDE + 6
	mov	al, 0xa0
	out	dx, al
	mov	dx, IDE + 7
	mov	al, 0x08		; DEVICE RESET
	out	dx, al
	call	wait_not_busy
	CHECK	nc, 1
	mov	dx, IDE + 4
	in	al, dx
	cmp	al, 0x14
	CHECK	e, 2
	inc	dx
	in	al, dx
	cmp	al, 0xeb
	CHECK	e, 3
	PRINT	"signature ok", 10

	mov	dx, IDE + 7
	mov	al, 0xa1		; IDENTIFY PACKET DEVICE
	out	dx, al
	call	wait_not_busy
	CHECK	nc, 4
	call	status
	and	al, 0x89
	cmp	al, 0x08
	CHECK	e, 5
	mov	di, BUF
	mov	cx, 256
	mov	dx, IDE
.id:	in	ax, dx
	stosw
	loop	.id
	mov	ax, [BUF]
	and	ax, 0xdf00
	cmp	ax, 0x8500		; ATAPI, CD-ROM device type
	CHECK	e, 6
	PRINT	"identify packet ok", 10

	mov	byte [tries], 3
.tur:	mov	si, cdb_tur
	call	packet
	CHECK	nc, 7
	test	byte [st], 0x01
	jz	.ready
	dec	byte [tries]
	jnz	.tur
	FAIL	8
.ready:	PRINT	"test unit ready ok", 10

	mov	si, cdb_capacity
	call	packet
	CHECK	nc, 9
	cmp	word [got], 8
	CHECK	e, 10
	cmp	word [BUF + 2], 0xcf02	; 719 big endian
	CHECK	e, 11
	cmp	word [BUF + 6], 0x0008	; 2048 big endian
	CHECK	e, 12
	PRINT	"read capacity ok", 10

	mov	si, cdb_read0
	call	packet
	CHECK	nc, 13
	cmp	word [got], 2048
	CHECK	e, 14
	test	byte [st], 0x01
	CHECK	z, 15
	cmp	word [BUF + 510], 0xaa55
	CHECK	e, 16
	mov	si, BUF + 512		; sector 1 is code only: compare it whole
	mov	di, 0x7e00
	mov	cx, 256
	repe	cmpsw
	CHECK	e, 23
	PRINT	"read(10) ok", 10

	mov	si, cdb_toc
	call	packet
	CHECK	nc, 17
	cmp	word [got], 20
	CHECK	e, 18
	mov	si, BUF
	mov	di, want_toc
	mov	cx, 20
	repe	cmpsb
	je	.tocok
	mov	si, BUF
	mov	cx, 20
.td:	lodsb
	call	puthex8
	loop	.td
	call	nl
	FAIL	19
.tocok:
	PRINT	"read toc ok", 10

	mov	si, cdb_read_bad
	call	packet
	CHECK	nc, 20
	test	byte [st], 0x01
	CHECK	nz, 21
	mov	dx, IDE + 1
	in	al, dx
	and	al, 0xf0
	cmp	al, 0x50
	CHECK	e, 22
	PRINT	"read past the end ok", 10
	jmp	pass

%include "atapi.inc"
cdb_tur		db	0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
cdb_capacity	db	0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
cdb_read0	db	0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0
cdb_read_bad	db	0x28, 0, 0, 0, 0x02, 0xd0, 0, 0, 1, 0, 0, 0
cdb_toc		db	0x43, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0
want_toc	db	0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0
		db	0, 0x16, 0xaa, 0, 0, 0, 0x02, 0xd0

%include "tail.inc"

; bios_services: the BIOS interfaces a boot loader relies on. INT 11h and INT 12h values
; are printed and checked for plausibility (they differ between BIOSes); INT 10h mode set,
; teletype, cursor read, character/attribute write and read-back, scroll; INT 13h drive
; parameters of the 1.44 MB floppy, a read of sector 2 compared with the loaded code,
; reads of a pattern the assembler placed at cylinder 5 head 1 (one sector, then three
; at once), a write and read-back; INT 1Ah ticks advancing across HLT with interrupts
; on; INT 16h AH=01h on an empty buffer; INT 15h AH=88h.
; expect-status: 1
; oracle: qemu bochs
; oracle-compare: status
%include "lib.inc"

BUF	equ	0x1000			; segment of the disk buffers
PAT_LBA	equ	5 * 36 + 18 + 7		; cylinder 5, head 1, sector 8

main:
	PRINT	"bios_services", 10
	call	test_equipment
	call	test_video
	PRINT	"int 10h ok", 10
	call	test_disk
	PRINT	"int 13h ok", 10
	call	test_ticks
	PRINT	"int 1ah ok", 10
	mov	ah, 0x01		; INT 16h AH=01h: nothing typed, ZF=1
	int	0x16
	jnz	.bad20
	PRINT	"int 16h ok", 10
	mov	ah, 0x88
	int	0x15
	jc	.bad21
	PRINT	"extended memory KiB: "
	call	putdec
	call	nl
	jmp	pass
.bad20:	FAIL	20
.bad21:	FAIL	21

test_equipment:
	int	0x11
	PRINT	"equipment word: "
	call	puthex16
	call	nl
	test	al, 1			; we booted from a floppy
	jz	.bad2
	int	0x12
	PRINT	"base memory KiB: "
	call	putdec
	call	nl
	cmp	ax, 256
	jb	.bad3
	cmp	ax, 640
	ja	.bad3
	ret
.bad2:	FAIL	2
.bad3:	FAIL	3

; cursor: DH=row DL=column of page 0 -> AX = DX
get_cursor:
	mov	ah, 0x03
	xor	bh, bh
	int	0x10
	mov	ax, dx
	ret

set_cursor:			; DX = row:column
	mov	ah, 0x02
	xor	bh, bh
	int	0x10
	ret

read_cell:			; AX = attribute:character at the cursor
	mov	ah, 0x08
	xor	bh, bh
	int	0x10
	ret

test_video:
	mov	ax, 0x0003		; 80x25 colour text, cleared
	int	0x10
	mov	ah, 0x0f
	int	0x10
	cmp	al, 3
	jne	.bad4
	cmp	ah, 80
	jne	.bad4
	mov	ax, 0x0e41		; teletype "AB"
	xor	bx, bx
	int	0x10
	mov	ax, 0x0e42
	int	0x10
	call	get_cursor
	cmp	ax, 0x0002
	jne	.bad5
	mov	ax, 0x0e0d		; CR LF moves to the start of row 1
	int	0x10
	mov	ax, 0x0e0a
	int	0x10
	call	get_cursor
	cmp	ax, 0x0100
	jne	.bad5
	xor	dx, dx
	call	set_cursor
	call	read_cell
	cmp	ax, 0x0741		; 'A' with the cleared screen's attribute
	jne	.bad6
	mov	dx, 0x0001
	call	set_cursor
	call	read_cell
	cmp	al, 'B'
	jne	.bad6
	mov	dx, 0x050a		; AH=09h: character and attribute at 5,10
	call	set_cursor
	mov	ax, 0x0958
	mov	bx, 0x001e
	mov	cx, 3
	int	0x10
	mov	dx, 0x050c
	call	set_cursor
	call	read_cell
	cmp	ax, 0x1e58
	jne	.bad7
	mov	dx, 0x050d		; only three were written
	call	set_cursor
	call	read_cell
	cmp	al, ' '
	jne	.bad7
	mov	dx, 0x050a		; the cursor did not move with AH=09h
	call	set_cursor
	; scroll rows 4..6 up by one with attribute 2Fh: row 5 moves to row 4, row 6 blank
	mov	ax, 0x0601
	mov	bh, 0x2f
	mov	cx, 0x0400
	mov	dx, 0x064f
	int	0x10
	mov	dx, 0x040b
	call	set_cursor
	call	read_cell
	cmp	ax, 0x1e58
	jne	.bad8
	mov	dx, 0x060b
	call	set_cursor
	call	read_cell
	cmp	ax, 0x2f20
	jne	.bad8
	mov	dx, 0x050b		; row 5 was row 6 (blank, old attribute 07h)
	call	set_cursor
	call	read_cell
	cmp	ax, 0x0720
	jne	.bad8
	mov	dx, 0x0000		; outside the window: untouched
	call	set_cursor
	call	read_cell
	cmp	al, 'A'
	jne	.bad8
	mov	dx, 0x0800
	call	set_cursor
	ret
.bad4:	FAIL	4
.bad5:	FAIL	5
.bad6:	FAIL	6
.bad7:	FAIL	7
.bad8:	FAIL	8

; check_pattern: ES:DI = 512 bytes read from sector LBA AX; CF=1 when they differ from
; the pattern the image carries (byte i of sector s is (i * 7 + s) & FFh).
check_pattern:
	push	cx
	mov	cx, 512
	xor	bx, bx
.l:	mov	dl, bl
	mov	dh, 7
	push	ax
	mov	al, bl
	mul	dh
	pop	dx
	add	al, dl
	mov	ah, dh
	push	ax
	mov	ax, dx
	pop	dx
	cmp	[es:di + bx], dl
	jne	.bad
	inc	bx
	loop	.l
	pop	cx
	clc
	ret
.bad:	pop	cx
	stc
	ret

test_disk:
	mov	ah, 0x08		; drive parameters of A:
	mov	dl, 0
	xor	di, di
	push	es
	int	0x13
	pop	es
	jc	.bad10
	cmp	ch, 79
	jne	.bad10
	mov	al, cl
	and	al, 0x3f
	cmp	al, 18
	jne	.bad10
	cmp	dh, 1
	jne	.bad10
	cmp	dl, 1
	jb	.bad10
	mov	ax, BUF			; sector 2 again: it must equal what
	mov	es, ax			; the loader put at 0000:7E00
	mov	bx, 0x800
	mov	ax, 0x0201
	mov	cx, 0x0002
	xor	dh, dh
	mov	dl, [boot_drive]
	int	0x13
	jc	.bad11
	mov	si, 0x7e00
	mov	di, 0x800
	mov	cx, 256
	repe cmpsw
	jne	.bad12
	mov	ax, BUF			; one sector at cylinder 5 head 1 sector 8
	mov	es, ax
	xor	bx, bx
	mov	ax, 0x0201
	mov	cx, 0x0508
	mov	dh, 1
	mov	dl, [boot_drive]
	int	0x13
	jc	.bad11
	cmp	al, 1
	jne	.bad11
	xor	di, di
	mov	ax, PAT_LBA
	call	check_pattern
	jc	.bad12
	mov	bx, 0x200		; three sectors at once: 8, 9 and 10
	mov	ax, 0x0203
	mov	cx, 0x0508
	mov	dh, 1
	mov	dl, [boot_drive]
	int	0x13
	jc	.bad13
	cmp	al, 3
	jne	.bad13
	mov	di, 0x200
	mov	ax, PAT_LBA
	call	check_pattern
	jc	.bad13
	mov	di, 0x400
	mov	ax, PAT_LBA + 1
	call	check_pattern
	jc	.bad13
	mov	di, 0x600
	mov	ax, PAT_LBA + 2
	call	check_pattern
	jc	.bad13
	mov	di, 0x1000		; write 512 bytes of a new pattern to cylinder 7 ...
	mov	cx, 256
	mov	ax, 0x5aa5
.fill:	stosw
	add	ax, 0x0301
	loop	.fill
	mov	bx, 0x1000
	mov	ax, 0x0301
	mov	cx, 0x0703
	xor	dh, dh
	mov	dl, [boot_drive]
	int	0x13
	jc	.bad14
	mov	bx, 0x2000		; ... and read it back to another buffer
	mov	ax, 0x0201
	mov	cx, 0x0703
	xor	dh, dh
	mov	dl, [boot_drive]
	int	0x13
	jc	.bad15
	push	ds
	mov	ax, es
	mov	ds, ax
	mov	si, 0x1000
	mov	di, 0x2000
	mov	cx, 256
	repe cmpsw
	pop	ds
	jne	.bad15
	xor	ax, ax
	mov	es, ax
	ret
.bad10:	FAIL	10
.bad11:	FAIL	11
.bad12:	FAIL	12
.bad13:	FAIL	13
.bad14:	FAIL	14
.bad15:	FAIL	15

test_ticks:
	sti
	xor	ah, ah
	int	0x1a
	mov	[.t0], dx
	mov	cx, 400			; 18.2 ticks a second: 3 well within 400 HLTs
.wait:	hlt
	xor	ah, ah
	int	0x1a
	sub	dx, [.t0]
	cmp	dx, 3
	jae	.ok
	loop	.wait
	FAIL	16
.ok:	ret
.t0	dw	0

%include "tail.inc"

; the pattern sectors, outside what the boot sector loads
	times	PAT_LBA * 512 - ($ - $$) db 0
%assign s PAT_LBA
%rep 3
%assign i 0
%rep 512
	db	(i * 7 + s) & 0xff
%assign i i + 1
%endrep
%assign s s + 1
%endrep

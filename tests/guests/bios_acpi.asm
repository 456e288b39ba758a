; bios_acpi: an OS's ACPI power-off, done by hand. Find the RSDP (first KiB of the EBDA,
; then E0000h-FFFFFh, 16-byte steps; checksum), the RSDT (signature, checksum), the FADT
; among its entries (checksum), the FACS (signature, 64-byte alignment), the DSDT
; (checksum) and in its AML the \_S5 package's first element (SLP_TYPa); then write
; SLP_TYPa | SLP_EN to PM1a_CNT. That must power the machine off: falling through is a
; failure. Tables above 1 MiB (SeaBIOS keeps them at the top of RAM) are copied down
; with INT 15h AH=87h. Also run under SeaBIOS by seabios.sh, on the tables tandem hands
; it through fw_cfg (hw/acpi_fw_cfg.c).
; expect-status: 0
; oracle: qemu
; oracle-compare: status
%include "lib.inc"

BUF	equ	0x1000			; segment of the table buffer (64 KiB)

main:
	PRINT	"bios_acpi", 10
	push	ds
	mov	ax, 0x40
	mov	ds, ax
	mov	ax, [0x0e]		; EBDA segment
	pop	ds
	or	ax, ax
	jz	.fseg
	mov	cx, 64			; 1 KiB
	call	scan
	jnc	.found
.fseg:	mov	ax, 0xe000
	mov	cx, 0x2000
	call	scan
	jc	.bad1
.found:	; ES:DI = RSDP
	PRINT	"RSDP at "
	mov	ax, es
	call	puthex16
	call	nl
	mov	ax, [es:di + 16]	; RSDT address
	mov	dx, [es:di + 18]
	call	load_table		; -> BUF:0, CX = length
	jc	.bad2
	mov	ax, BUF
	mov	es, ax
	cmp	word [es:0], 'RS'
	jne	.bad2
	cmp	word [es:2], 'DT'
	jne	.bad2
	call	sum_ok
	jnz	.bad3
	; entries: (length - 36) / 4 dwords from offset 36
	mov	cx, [es:4]
	sub	cx, 36
	shr	cx, 1
	shr	cx, 1
	jz	.bad4
	mov	si, 36
.ent:	push	cx
	push	si
	mov	ax, BUF
	mov	es, ax
	mov	ax, [es:si]
	mov	dx, [es:si + 2]
	mov	[fadt], ax
	mov	[fadt + 2], dx
	mov	cx, 4
	call	read_phys_to_sig
	pop	si
	pop	cx
	cmp	word [sig], 'FA'
	jne	.en
	cmp	word [sig + 2], 'CP'
	je	.fadt
.en:	add	si, 4
	loop	.ent
	jmp	.bad4
.fadt:	mov	ax, [fadt]
	mov	dx, [fadt + 2]
	call	load_table
	jc	.bad5
	call	sum_ok
	jnz	.bad5
	mov	ax, [es:36]		; FIRMWARE_CTRL: the FACS, 64-byte aligned
	mov	dx, [es:38]
	test	al, 63
	jnz	.bad9
	mov	cx, 4
	call	read_phys_to_sig
	cmp	word [sig], 'FA'
	jne	.bad9
	cmp	word [sig + 2], 'CS'
	jne	.bad9
	mov	ax, BUF
	mov	es, ax
	mov	ax, [es:64]		; PM1a_CNT_BLK
	mov	[pm1a], ax
	PRINT	"PM1a_CNT "
	call	puthex16
	call	nl
	or	ax, ax
	jz	.bad5
	mov	ax, [es:40]		; DSDT
	mov	dx, [es:42]
	call	load_table
	jc	.bad6
	cmp	word [es:0], 'DS'
	jne	.bad6
	call	sum_ok
	jnz	.bad6
	; find "_S5_" followed by PackageOp
	mov	cx, [es:4]
	sub	cx, 8
	jbe	.bad7
	xor	di, di
.s5:	cmp	word [es:di], '_S'
	jne	.s5n
	cmp	word [es:di + 2], '5_'
	jne	.s5n
	cmp	byte [es:di + 4], 0x12
	je	.pkg
.s5n:	inc	di
	loop	.s5
	jmp	.bad7
.pkg:	mov	al, [es:di + 5]		; PkgLength: bits 7-6 = extra bytes
	mov	cl, 6
	shr	al, cl
	xor	ah, ah
	add	di, ax
	mov	al, [es:di + 7]		; first element (after NumElements)
	cmp	al, 0x0a		; BytePrefix
	jne	.small
	mov	al, [es:di + 8]
	jmp	.typ
.small:	cmp	al, 1			; ZeroOp / OneOp
	ja	.bad7
.typ:	and	al, 7
	PRINT	"SLP_TYPa "
	call	puthex8
	call	nl
	PRINT	"power off", 10
	xor	ah, ah
	mov	cl, 10
	shl	ax, cl
	or	ax, 0x2000		; SLP_EN
	mov	dx, [pm1a]
	cli
	out	dx, ax
	mov	cx, 0xffff
.w:	loop	.w
	FAIL	8
.bad1:	FAIL	1
.bad2:	FAIL	2
.bad3:	FAIL	3
.bad4:	FAIL	4
.bad5:	FAIL	5
.bad6:	FAIL	6
.bad7:	FAIL	7
.bad9:	FAIL	9

; Scan CX paragraphs from segment AX for "RSD PTR " with a good 20-byte sum:
; ES:DI = it and CF clear, else CF set.
scan:
	mov	es, ax
	xor	di, di
.l:	cmp	word [es:di], 'RS'
	jne	.n
	cmp	word [es:di + 2], 'D '
	jne	.n
	cmp	word [es:di + 4], 'PT'
	jne	.n
	cmp	word [es:di + 6], 'R '
	jne	.n
	push	cx
	push	di
	xor	al, al
	mov	cx, 20
.s:	add	al, [es:di]
	inc	di
	loop	.s
	pop	di
	pop	cx
	or	al, al
	jz	.ok
.n:	mov	ax, es
	inc	ax
	mov	es, ax
	loop	.l
	stc
	ret
.ok:	clc
	ret

; ZF set when the table at BUF:0 (its length at offset 4) sums to zero.
sum_ok:
	mov	ax, BUF
	mov	es, ax
	mov	cx, [es:4]
	xor	di, di
	xor	al, al
.s:	add	al, [es:di]
	inc	di
	loop	.s
	or	al, al
	ret

; Table at physical DX:AX -> BUF:0 (its header first, then all of it; at most
; 32 KiB). ES = BUF. CF on a silly length.
load_table:
	push	ax
	push	dx
	mov	cx, 8
	mov	bx, BUF
	call	read_phys
	pop	dx
	pop	ax
	mov	bx, BUF
	mov	es, bx
	mov	cx, [es:4]
	cmp	word [es:6], 0
	jne	.bad
	cmp	cx, 36
	jb	.bad
	cmp	cx, 0x8000
	ja	.bad
	call	read_phys
	mov	bx, BUF
	mov	es, bx
	clc
	ret
.bad:	stc
	ret

read_phys_to_sig:		; 4 bytes at DX:AX -> [sig]
	mov	bx, ds
	push	ax
	mov	ax, sig
	mov	[dst_off], ax
	pop	ax
	jmp	read_phys_off

; CX bytes (even count rounded up) from physical DX:AX to BX:0000.
read_phys:
	mov	word [dst_off], 0
read_phys_off:
	cmp	dx, 0x10
	jae	.high
	; below 1 MiB: segment DX:AX >> 4, offset AX & 15
	push	ds
	mov	si, ax
	and	si, 15
	push	cx
	mov	cl, 4
	shr	ax, cl
	mov	cl, 12
	shl	dx, cl
	or	ax, dx
	pop	cx
	mov	es, bx
	mov	di, [dst_off]
	mov	ds, ax
	rep	movsb
	pop	ds
	ret
.high:	; INT 15h AH=87h: source DX:AX, destination BX:dst_off
	push	cx
	mov	di, gdt
	push	ax
	push	di
	mov	cx, 24
	xor	ax, ax
	push	ds
	pop	es
	rep	stosw
	pop	di
	pop	ax
	mov	word [gdt + 0x10], 0xffff
	mov	[gdt + 0x12], ax
	mov	[gdt + 0x14], dl
	mov	byte [gdt + 0x15], 0x93
	mov	[gdt + 0x17], dh
	mov	ax, bx			; destination linear = BX * 16 + dst_off
	mov	dx, bx
	mov	cl, 4
	shl	ax, cl
	mov	cl, 12
	shr	dx, cl
	add	ax, [dst_off]
	adc	dx, 0
	mov	word [gdt + 0x18], 0xffff
	mov	[gdt + 0x1a], ax
	mov	[gdt + 0x1c], dl
	mov	byte [gdt + 0x1d], 0x93
	pop	cx
	inc	cx
	shr	cx, 1
	mov	si, gdt
	mov	ah, 0x87
	int	0x15
	ret

pm1a	dw	0
fadt	dd	0
sig	dd	0
dst_off	dw	0
	align	8
gdt	times 48 db 0

%include "tail.inc"

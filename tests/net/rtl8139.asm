; rtl8139: an RTL8139 (PCI 10EC:8139) driven at register level from real mode with
; 32-bit port I/O (a 386 or later). The guest finds the card on bus 0, puts BAR0 at
; D000h (clear of the BARs BIOSes assign upward from C000h) and enables I/O and bus
; mastering, resets it, checks that the MAC in IDR0-5
; equals EEPROM words 7-9 read by bit-banging the 93C46 as Linux's 8139too does, then
; runs twelve frames of 200..1410 bytes through transmit descriptors 0-3 in loopback
; (TCR=60000h) into an 8 KiB receive ring at 20000h that must wrap: each header must
; say ROK|PAM and the length plus CRC, the data and the CRC-32 after it must match, and
; CBR must follow. Last, with TCR normal, one broadcast frame is sent (tests/net/
; rtl8139.sh finds it byte for byte in tandem's --net-dump).
; qemu: -device rtl8139,netdev=n -netdev hubport,id=n,hubid=0
%include "lib.inc"
	cpu	386

IO	equ	0xd000
RING	equ	0x20000
RINGSEG	equ	RING >> 4
RINGLEN	equ	8192
NFRAMES	equ	12

main:
	PRINT	"rtl8139", 10
	call	find_card
	call	reset_card
	call	check_mac
	call	start_rx
	mov	word [frameno], 0
.f:	call	loop_frame
	inc	word [frameno]
	cmp	word [frameno], NFRAMES
	jb	.f
	PRINT	"ring wraps "
	mov	ax, [wraps]
	call	putdec
	call	nl
	cmp	word [wraps], 1
	CHECK	ae, 10
	call	send_out
	PRINT	"sent broadcast", 10
	jmp	pass

; ---- PCI -------------------------------------------------------------------------

; EAX = config dword at bus 0, device [dev], offset BL
cfg_read:
	movzx	eax, byte [dev]
	shl	eax, 11
	or	al, bl
	or	eax, 0x80000000
	mov	dx, 0xcf8
	out	dx, eax
	mov	dx, 0xcfc
	in	eax, dx
	ret

; config dword at offset BL = ECX
cfg_write:
	movzx	eax, byte [dev]
	shl	eax, 11
	or	al, bl
	or	eax, 0x80000000
	mov	dx, 0xcf8
	out	dx, eax
	mov	dx, 0xcfc
	mov	eax, ecx
	out	dx, eax
	ret

find_card:
	mov	byte [dev], 0
.d:	xor	bl, bl
	call	cfg_read
	cmp	eax, 0x813910ec
	je	.found
	inc	byte [dev]
	cmp	byte [dev], 32
	jb	.d
	FAIL	1
.found:	mov	bl, 0x10		; BAR0: I/O at C000h
	mov	ecx, IO | 1
	call	cfg_write
	call	cfg_read
	and	eax, 0xfffffffc
	cmp	eax, IO
	CHECK	e, 2
	mov	bl, 0x04		; command: I/O space and bus master
	call	cfg_read
	mov	ecx, eax
	or	cx, 0x0005
	call	cfg_write
	PRINT	"found 10ec:8139", 10
	ret

; ---- card ------------------------------------------------------------------------

reset_card:
	mov	dx, IO + 0x52		; CONFIG1: wake up (as Linux does)
	xor	al, al
	out	dx, al
	mov	dx, IO + 0x37
	mov	al, 0x10
	out	dx, al
	mov	cx, 10000
.w:	in	al, dx
	test	al, 0x10
	jz	.ok
	loop	.w
	FAIL	3
.ok:	ret

; one EEPROM word: BL = location (6-bit address) -> AX
EE_CS	equ	0x08
EE_SK	equ	0x04
EE_DI	equ	0x02
EE_ENB	equ	0x80 | EE_CS
ee_read:
	push	cx
	push	si
	mov	dx, IO + 0x50
	mov	al, EE_ENB & ~EE_CS
	out	dx, al
	mov	al, EE_ENB
	out	dx, al
	movzx	si, bl
	or	si, 6 << 6		; start bit, READ opcode, address
	mov	cx, 9
.cmd:	dec	cx
	mov	al, EE_ENB
	bt	si, cx
	jnc	.z
	or	al, EE_DI
.z:	out	dx, al
	or	al, EE_SK
	out	dx, al
	or	cx, cx
	jnz	.cmd
	mov	al, EE_ENB
	out	dx, al
	xor	si, si
	mov	cx, 16
.bit:	mov	al, EE_ENB | EE_SK
	out	dx, al
	in	al, dx
	shl	si, 1
	and	ax, 1
	or	si, ax
	mov	al, EE_ENB
	out	dx, al
	loop	.bit
	xor	al, al
	out	dx, al
	mov	ax, si
	pop	si
	pop	cx
	ret

check_mac:
	PRINT	"mac "
	mov	dx, IO
	xor	si, si
.r:	in	al, dx
	mov	[mac + si], al
	call	puthex8
	inc	dx
	inc	si
	cmp	si, 6
	jae	.e
	mov	al, ':'
	call	putc
	jmp	.r
.e:	call	nl
	mov	bl, 7
	xor	si, si
.w:	xor	ah, ah
	call	ee_read
	cmp	ax, [mac + si]
	CHECK	e, 4
	inc	bl
	add	si, 2
	cmp	si, 6
	jb	.w
	PRINT	"eeprom matches", 10
	ret

start_rx:
	mov	dx, IO + 0x37
	mov	al, 0x0c		; RE | TE
	out	dx, al
	mov	dx, IO + 0x30
	mov	eax, RING
	out	dx, eax
	mov	dx, IO + 0x44		; RCR: own address and broadcast, 8 KiB, wrap
	mov	eax, 0x0000000a
	out	dx, eax
	mov	dx, IO + 0x40		; TCR: loopback
	mov	eax, 0x00060000
	out	dx, eax
	mov	dx, IO + 0x3c
	xor	ax, ax
	out	dx, ax
	mov	dx, IO + 0x3e
	mov	ax, 0xffff
	out	dx, ax
	mov	dx, IO + 0x38
	mov	ax, 0xfff0
	out	dx, ax
	mov	dx, IO + 0x37
	in	al, dx
	test	al, 1			; buffer empty
	CHECK	nz, 5
	ret

; the frame [frameno] in txbuf to DI's address; AX = length
build:
	push	di
	mov	si, di
	mov	di, txbuf
	mov	cx, 6
	rep	movsb
	mov	si, mac
	mov	cx, 6
	rep	movsb
	mov	word [di], 0x0008
	add	di, 2
	mov	ax, [frameno]
	imul	ax, ax, 110
	add	ax, 200
	mov	[len], ax
	mov	cx, ax
	sub	cx, 14
	mov	al, [frameno]
.p:	stosb
	add	al, 0x2f
	loop	.p
	pop	di
	mov	ax, [len]
	ret

; transmit txbuf ([len] bytes) on descriptor [frameno] & 3; wait for TOK
transmit:
	mov	bx, [frameno]
	and	bx, 3
	shl	bx, 2
	lea	dx, [bx + IO + 0x20]	; TSAD
	mov	eax, txbuf
	out	dx, eax
	lea	dx, [bx + IO + 0x10]	; TSD: size, early threshold 8 x 32 bytes
	movzx	eax, word [len]
	or	eax, 0x00080000
	out	dx, eax
	mov	cx, 10000
.w:	in	eax, dx
	test	eax, 0x8000		; TOK
	jnz	.ok
	loop	.w
	FAIL	6
.ok:	test	eax, 0x2000		; OWN
	CHECK	nz, 6
	ret

loop_frame:
	mov	di, mac			; to ourselves
	call	build
	call	transmit
	mov	dx, IO + 0x3e
	in	ax, dx
	test	ax, 0x0001		; ROK
	CHECK	nz, 7
	out	dx, ax
	; header at the read point
	push	es
	mov	ax, RINGSEG
	mov	es, ax
	mov	bx, [rp]
	mov	ax, [es:bx]
	mov	[hdr], ax
	mov	ax, [es:bx + 2]
	mov	[hdr + 2], ax
	pop	es
	PRINT	"frame "
	mov	ax, [frameno]
	call	putdec
	PRINT	" len "
	mov	ax, [len]
	call	putdec
	PRINT	" at "
	mov	ax, [rp]
	call	puthex16
	PRINT	" status "
	mov	ax, [hdr]
	call	puthex16
	PRINT	" count "
	mov	ax, [hdr + 2]
	call	putdec
	call	nl
	cmp	word [hdr], 0x4001	; ROK | PAM
	CHECK	e, 8
	mov	ax, [len]
	add	ax, 4
	cmp	ax, [hdr + 2]
	CHECK	e, 8
	; data and CRC, reading around the ring's end
	mov	si, [rp]
	add	si, 4
	mov	di, rxbuf
	mov	cx, [hdr + 2]
	push	ds
	push	es
	mov	ax, ds
	mov	es, ax
	mov	ax, RINGSEG
	mov	ds, ax
.c:	and	si, RINGLEN - 1
	movsb
	loop	.c
	pop	es
	pop	ds
	mov	si, txbuf
	mov	di, rxbuf
	mov	cx, [len]
	repe	cmpsb
	CHECK	e, 9
	mov	si, txbuf		; the CRC-32 after the data
	mov	cx, [len]
	call	crc32
	mov	bx, [len]
	cmp	eax, [rxbuf + bx]
	CHECK	e, 11
	; next read point; CBR must be there
	mov	ax, [rp]
	add	ax, [hdr + 2]
	add	ax, 4 + 3
	and	ax, 0xfffc
	cmp	ax, RINGLEN
	jb	.nw
	sub	ax, RINGLEN
	inc	word [wraps]
.nw:	mov	[rp], ax
	mov	dx, IO + 0x3a
	in	ax, dx
	cmp	ax, [rp]
	CHECK	e, 12
	mov	ax, [rp]
	sub	ax, 16
	mov	dx, IO + 0x38
	out	dx, ax
	mov	dx, IO + 0x37
	in	al, dx
	test	al, 1
	CHECK	nz, 13
	ret

; EAX = Ethernet CRC-32 of CX bytes at DS:SI
crc32:
	mov	eax, 0xffffffff
.b:	xor	al, [si]
	inc	si
	mov	dx, 8
.bit:	shr	eax, 1
	jnc	.n
	xor	eax, 0xedb88320
.n:	dec	dx
	jnz	.bit
	loop	.b
	not	eax
	ret

send_out:
	mov	dx, IO + 0x40		; TCR: normal
	xor	eax, eax
	out	dx, eax
	mov	word [frameno], 0
	mov	di, bcast
	call	build
	call	transmit
	ret

dev	db	0
frameno	dw	0
len	dw	0
rp	dw	0
wraps	dw	0
hdr	dd	0
mac	times 6 db 0
bcast	times 6 db 0xff

%include "tail.inc"

txbuf	equ	0x1000
rxbuf	equ	0x2000

; ne2k_pair: two NE2000s on one segment, card A at 300h and card B at 280h. A sends
; eight frames of 100..1150 bytes to B's address; B's receive headers must say 01h
; (intact, unicast), the length plus 4 and a next page that follows the 10-page ring
; (46h-50h), which must wrap at least twice; the data must arrive byte for byte. A frame
; to a third address must not reach B; a broadcast must, with status 21h.
; tandem: --nic internal,name=N --nic internal,name=N (tests/net/pair.sh)
; qemu: -device ne2k_isa,iobase=0x300,irq=3,netdev=a -netdev hubport,id=a,hubid=0
;       -device ne2k_isa,iobase=0x280,irq=10,netdev=b,mac=52:54:00:12:34:57
;       -netdev hubport,id=b,hubid=0
%include "lib.inc"

NE_PSTART	equ	0x46
NE_PSTOP	equ	0x50
CARD_A		equ	0x300
CARD_B		equ	0x280
%include "ne2k.inc"

main:
	PRINT	"ne2k_pair", 10
	mov	word [nebase], CARD_B
	call	ne_reset
	CHECK	nc, 1
	call	ne_read_mac
	CHECK	nc, 2
	mov	si, ne_mac
	mov	di, mac_b
	call	copy6
	mov	al, 0x04		; B: broadcast and its own address
	call	ne_init
	mov	word [nebase], CARD_A
	call	ne_reset
	CHECK	nc, 3
	call	ne_read_mac
	CHECK	nc, 4
	mov	al, 0x04
	call	ne_init
	PRINT	"a "
	mov	si, ne_mac
	call	print_mac
	PRINT	" b "
	mov	si, mac_b
	call	print_mac
	call	nl

	mov	word [frameno], 0
.frame:
	mov	si, mac_b
	call	send_frame
	call	receive_b
	CHECK	nc, 5
	cmp	byte [ne_hdr], 0x01
	CHECK	e, 6
	call	check_frame
	inc	word [frameno]
	cmp	word [frameno], 8
	jb	.frame
	mov	ax, [wraps]
	PRINT	"ring wraps "
	call	putdec
	call	nl
	cmp	word [wraps], 2
	CHECK	ae, 7

	mov	si, mac_other		; not for B
	call	send_frame
	call	receive_b
	CHECK	c, 8
	PRINT	"other address filtered", 10
	mov	si, mac_bcast
	call	send_frame
	call	receive_b
	CHECK	nc, 9
	cmp	byte [ne_hdr], 0x21
	CHECK	e, 10
	call	check_frame
	PRINT	"broadcast ok", 10
	jmp	pass

copy6:
	mov	cx, 6
.c:	mov	al, [si]
	mov	[di], al
	inc	si
	inc	di
	loop	.c
	ret

print_mac:
	mov	cx, 6
.p:	lodsb
	call	puthex8
	cmp	cx, 1
	je	.n
	mov	al, ':'
	call	putc
.n:	loop	.p
	ret

; A sends frame [frameno] (length 100 + 150 n) to the address at SI
send_frame:
	mov	di, txbuf
	call	copy6
	mov	si, ne_mac
	call	copy6
	mov	word [di], 0xb588	; EtherType 88B5h (local experimental)
	add	di, 2
	mov	ax, [frameno]
	mov	bx, 150
	mul	bx
	add	ax, 100
	mov	[len], ax
	mov	cx, ax
	sub	cx, 14
	mov	al, [frameno]
.pl:	mov	[di], al
	add	al, 0x3b
	inc	di
	loop	.pl
	mov	word [nebase], CARD_A
	mov	si, txbuf
	mov	cx, [len]
	call	ne_send
	CHECK	nc, 11
	ret

; B polls for a frame (bounded); CF=1 when none came
receive_b:
	mov	word [nebase], CARD_B
	mov	bx, 4000
.w:	NEPORT	3
	in	al, dx
	mov	[page], al
	mov	di, rxbuf
	call	ne_recv
	jnc	.got
	mov	cx, 100
.d:	loop	.d
	dec	bx
	jnz	.w
	stc
	ret
.got:	mov	[rxlen], cx
	mov	al, [page]		; the frame sat at BNRY + 1
	inc	al
	cmp	al, NE_PSTOP
	jb	.p
	mov	al, NE_PSTART
.p:	mov	[page], al
	cmp	[ne_hdr + 1], al
	jae	.nw
	inc	word [wraps]
.nw:	clc
	ret

check_frame:
	PRINT	"frame "
	mov	ax, [frameno]
	call	putdec
	PRINT	" len "
	mov	ax, [len]
	call	putdec
	PRINT	" page "
	mov	al, [page]
	call	puthex8
	PRINT	" status "
	mov	al, [ne_hdr]
	call	puthex8
	PRINT	" next "
	mov	al, [ne_hdr + 1]
	call	puthex8
	PRINT	" count "
	mov	ax, [ne_hdr + 2]
	call	putdec
	call	nl
	mov	ax, [len]
	add	ax, 4
	cmp	ax, [ne_hdr + 2]
	CHECK	e, 12
	mov	si, txbuf
	mov	di, rxbuf
	mov	cx, [len]
.c:	mov	al, [si]
	cmp	al, [di]
	CHECK	e, 13
	inc	si
	inc	di
	loop	.c
	ret

frameno		dw	0
len		dw	0
rxlen		dw	0
wraps		dw	0
page		db	0
mac_b		times 6 db 0
mac_other	db	0x52, 0x54, 0x00, 0x99, 0x99, 0x99
mac_bcast	db	0xff, 0xff, 0xff, 0xff, 0xff, 0xff

%include "tail.inc"

txbuf	equ	0x1000
rxbuf	equ	0x1800

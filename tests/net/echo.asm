; echo: the answering half of tests/net/internal.sh. Every PING frame (EtherType
; 88B5h) that arrives on the NE2000 at 300h goes back to its sender as a PONG with the
; same number and payload; a BYE frame ends the guest, which passes if it answered at
; least five different PINGs. With nothing arriving for ~20 s it fails.
%include "lib.inc"

NE_PSTART	equ	0x46
NE_PSTOP	equ	0x80
%include "ne2k.inc"
%include "proto.inc"

main:
	PRINT	"echo", 10
	call	net_up
	mov	word [answered], 0
	mov	word [last], 0xffff
.idle:	mov	ax, [0x46c]
	mov	[start], ax
.wait:
	mov	di, rxbuf
	call	ne_recv
	jnc	.got
	mov	ax, [0x46c]
	sub	ax, [start]
	cmp	ax, 364
	jb	.wait
	FAIL	21
.got:	cmp	word [rxbuf + 12], 0xb588
	jne	.wait
	cmp	word [rxbuf + 14], 'BY'
	je	.bye
	cmp	word [rxbuf + 14], 'PI'
	jne	.wait
	cmp	word [rxbuf + 16], 'NG'
	jne	.wait
	mov	si, rxbuf		; reply: to the sender, from us, PONG
	mov	di, txbuf
	add	si, 6
	mov	cx, 6
.d:	mov	al, [si]
	mov	[di], al
	inc	si
	inc	di
	loop	.d
	mov	si, ne_mac
	mov	cx, 6
.s:	mov	al, [si]
	mov	[di], al
	inc	si
	inc	di
	loop	.s
	mov	word [txbuf + 12], 0xb588
	mov	word [txbuf + 14], 'PO'
	mov	word [txbuf + 16], 'NG'
	mov	si, rxbuf + 18
	mov	di, txbuf + 18
	mov	cx, FRAME_LEN - 18
.c:	mov	al, [si]
	mov	[di], al
	inc	si
	inc	di
	loop	.c
	call	send_tx
	mov	ax, [rxbuf + 18]	; count different numbers only
	cmp	ax, [last]
	je	.idle
	mov	[last], ax
	inc	word [answered]
	jmp	.idle
.bye:	PRINT	"answered "
	mov	ax, [answered]
	call	putdec
	call	nl
	cmp	word [answered], 5
	CHECK	ae, 22
	jmp	pass

answered dw	0
last	dw	0
start	dw	0

%include "tail.inc"

; ping: the initiating half of tests/net/internal.sh. Five numbered PING frames
; (EtherType 88B5h, broadcast) go out on the NE2000 at 300h; each must come back as a
; PONG addressed to us with the same number and payload, from the echo guest in the
; other tandem process. A PING is repeated every ~220 ms (BIOS ticks) while no answer
; came, for at most ~11 s; then three BYE frames tell the echo guest to finish.
%include "lib.inc"

NE_PSTART	equ	0x46
NE_PSTOP	equ	0x80
%include "ne2k.inc"
%include "proto.inc"

NPINGS	equ	5

main:
	PRINT	"ping", 10
	call	net_up
	mov	word [seq], 0
.next:
	mov	word [tries], 0
.send:
	mov	ax, 'PI'
	mov	bx, 'NG'
	call	build_bcast
	call	send_tx
	mov	ax, [0x46c]
	mov	[start], ax
.wait:
	mov	di, rxbuf
	call	ne_recv
	jc	.none
	mov	si, rxbuf
	call	is_pong
	jnc	.got
.none:	mov	ax, [0x46c]
	sub	ax, [start]
	cmp	ax, 4
	jb	.wait
	inc	word [tries]
	cmp	word [tries], 50
	jb	.send
	FAIL	20
.got:	PRINT	"pong "
	mov	ax, [seq]
	call	putdec
	PRINT	" from "
	mov	si, rxbuf + 6
	call	print_mac
	call	nl
	inc	word [seq]
	cmp	word [seq], NPINGS
	jb	.next
	mov	cx, 3
.bye:	push	cx
	mov	ax, 'BY'
	mov	bx, 'E!'
	call	build_bcast
	call	send_tx
	pop	cx
	loop	.bye
	jmp	pass

; CF=0 when the frame at SI is PONG [seq] for us with the right payload
is_pong:
	mov	di, ne_mac		; to us
	mov	cx, 6
.d:	mov	al, [si]
	cmp	al, [di]
	jne	.no
	inc	si
	inc	di
	loop	.d
	mov	si, rxbuf + 12
	cmp	word [si], 0xb588
	jne	.no
	cmp	word [si + 2], 'PO'
	jne	.no
	cmp	word [si + 4], 'NG'
	jne	.no
	mov	ax, [seq]
	cmp	[si + 6], ax
	jne	.no
	mov	si, rxbuf + 22		; the payload comes back unchanged
	mov	di, txbuf + 22
	mov	cx, PAYLOAD
.p:	mov	al, [si]
	cmp	al, [di]
	jne	.no
	inc	si
	inc	di
	loop	.p
	clc
	ret
.no:	stc
	ret

tries	dw	0
start	dw	0

%include "tail.inc"

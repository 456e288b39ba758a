; nat: the NE2000 at 300h on --nic nat (libslirp). The guest, 10.0.2.15, asks by ARP
; for the gateway 10.0.2.2 and must get an answer from slirp; then, answering ARP
; requests for its own address, it waits for the TCP SYN to port 80 that a host
; connection to the hostfwd port produces (tests/net/nat.sh connects to 127.0.0.1).
; Only addresses inside slirp's emulated network are used. Retries every ~220 ms,
; gives up after ~15 s.
%include "lib.inc"

NE_PSTART	equ	0x46
NE_PSTOP	equ	0x80
%include "ne2k.inc"

main:
	PRINT	"nat", 10
	call	ne_reset
	CHECK	nc, 30
	call	ne_read_mac
	CHECK	nc, 31
	mov	al, 0x04
	call	ne_init
	mov	word [tries], 0
.arp:	call	send_arp_request
	mov	ax, [0x46c]
	mov	[start], ax
.wait:	mov	di, rxbuf
	call	ne_recv
	jc	.none
	cmp	word [rxbuf + 12], 0x0608	; ARP
	jne	.none
	cmp	word [rxbuf + 20], 0x0200	; reply
	jne	.none
	cmp	word [rxbuf + 28], 0x000a	; from 10.0.2.2
	jne	.none
	cmp	word [rxbuf + 30], 0x0202
	jne	.none
	jmp	.got
.none:	mov	ax, [0x46c]
	sub	ax, [start]
	cmp	ax, 4
	jb	.wait
	inc	word [tries]
	cmp	word [tries], 70
	jb	.arp
	FAIL	40
.got:	PRINT	"gateway 10.0.2.2 is "
	mov	si, rxbuf + 22
	call	print_mac
	call	nl
	; now wait for the forwarded connection's SYN
	mov	ax, [0x46c]
	mov	[start], ax
.syn:	mov	di, rxbuf
	call	ne_recv
	jc	.idle
	cmp	word [rxbuf + 12], 0x0608
	jne	.ip
	call	answer_arp
	jmp	.syn
.ip:	cmp	word [rxbuf + 12], 0x0008	; IPv4
	jne	.syn
	cmp	byte [rxbuf + 23], 6		; TCP
	jne	.syn
	mov	al, [rxbuf + 14]		; header length
	and	ax, 0x0f
	shl	ax, 1
	shl	ax, 1
	mov	bx, ax
	add	bx, rxbuf + 14			; the TCP header
	cmp	word [bx + 2], 0x5000		; destination port 80
	jne	.syn
	test	byte [bx + 13], 0x02		; SYN
	jz	.syn
	PRINT	"syn to port 80 from "
	mov	si, rxbuf + 26
	call	print_ip
	call	nl
	jmp	pass
.idle:	mov	ax, [0x46c]
	sub	ax, [start]
	cmp	ax, 273
	jb	.syn
	FAIL	41

send_arp_request:
	mov	di, txbuf
	mov	cx, 6
.b:	mov	byte [di], 0xff
	inc	di
	loop	.b
	mov	si, ne_mac
	call	copy6
	mov	si, arp_req_tail		; type, htype, ptype, sizes, op 1
	mov	cx, 10
	call	copyn
	mov	si, ne_mac			; sender: us, 10.0.2.15
	call	copy6
	mov	si, ip_self
	mov	cx, 4
	call	copyn
	mov	cx, 6				; target: unknown MAC, 10.0.2.2
	xor	al, al
.z:	mov	[di], al
	inc	di
	loop	.z
	mov	si, ip_gw
	mov	cx, 4
	call	copyn
	jmp	send60

; the request in rxbuf asks for 10.0.2.15: tell it our MAC
answer_arp:
	cmp	word [rxbuf + 20], 0x0100	; request
	jne	.out
	cmp	word [rxbuf + 38], 0x000a
	jne	.out
	cmp	word [rxbuf + 40], 0x0f02
	jne	.out
	mov	di, txbuf
	mov	si, rxbuf + 6			; to the asker
	call	copy6
	mov	si, ne_mac
	call	copy6
	mov	si, arp_req_tail
	mov	cx, 8
	call	copyn
	mov	word [di], 0x0200		; reply
	add	di, 2
	mov	si, ne_mac
	call	copy6
	mov	si, ip_self
	mov	cx, 4
	call	copyn
	mov	si, rxbuf + 22			; the asker's MAC and address
	mov	cx, 10
	call	copyn
	call	send60
.out:	ret

send60:
	mov	cx, txbuf + 60			; pad to 60 bytes
	sub	cx, di
	xor	al, al
.p:	mov	[di], al
	inc	di
	loop	.p
	mov	si, txbuf
	mov	cx, 60
	call	ne_send
	CHECK	nc, 32
	ret

copy6:
	mov	cx, 6
copyn:
	mov	al, [si]
	mov	[di], al
	inc	si
	inc	di
	loop	copyn
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

print_ip:
	mov	cx, 4
.p:	lodsb
	xor	ah, ah
	call	putdec
	cmp	cx, 1
	je	.n
	mov	al, '.'
	call	putc
.n:	loop	.p
	ret

arp_req_tail	db	0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01
ip_self		db	10, 0, 2, 15
ip_gw		db	10, 0, 2, 2
tries		dw	0
start		dw	0

%include "tail.inc"

txbuf	equ	0x1000
rxbuf	equ	0x1800

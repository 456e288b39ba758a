; udp: the guest, 10.0.2.15 behind slirp (nat or host-only), sends a UDP datagram to
; the host, 10.0.2.2 port UDP_PORT (nasm -DUDP_PORT=N), where tests/net/udp.sh runs an
; echo server on 127.0.0.1; the same payload must come back from that port. The IPv4
; header carries a real checksum; ARP requests for us are answered meanwhile. Resends
; every ~220 ms, gives up after ~11 s. (Other addresses of slirp's network are not
; tried: slirp sends some of them off the host.)
%include "lib.inc"

NE_PSTART	equ	0x46
NE_PSTOP	equ	0x80
%include "ne2k.inc"
%include "ip.inc"

%ifndef UDP_PORT
%error "assemble with -DUDP_PORT=N"
%endif
SRC_PORT	equ	5555
PAYLOAD_LEN	equ	payload_end - payload
UDP_LEN		equ	8 + PAYLOAD_LEN
IP_LEN		equ	20 + UDP_LEN

%macro BE16 2			; BE16 [dest], value: store big endian
	mov	word %1, ((%2) >> 8) | (((%2) & 0xff) << 8)
%endmacro

main:
	PRINT	"udp", 10
	call	net_up
	call	arp_gateway
	mov	word [max_tries], 50
	call	exchange
	CHECK	nc, 42
	jmp	pass

; send to dst_ip until the echo comes back ([max_tries] times ~220 ms): CF=1 if not
exchange:
	mov	word [ip_tries], 0
.send:	call	send_datagram
	mov	ax, [0x46c]
	mov	[ip_start], ax
.wait:	mov	di, rxbuf
	call	ne_recv
	jc	.none
	cmp	word [rxbuf + 12], 0x0608
	jne	.ip
	call	answer_arp
	jmp	.wait
.ip:	call	is_echo
	jnc	.got
.none:	mov	ax, [0x46c]
	sub	ax, [ip_start]
	cmp	ax, 4
	jb	.wait
	inc	word [ip_tries]
	mov	ax, [ip_tries]
	cmp	ax, [max_tries]
	jb	.send
	stc
	ret
.got:	PRINT	"echo from "
	mov	si, dst_ip
	call	print_ip
	PRINT	": "
	mov	si, rxbuf + 42
	mov	cx, PAYLOAD_LEN
.p:	lodsb
	call	putc
	loop	.p
	call	nl
	clc
	ret

send_datagram:
	mov	di, txbuf
	mov	si, gw_mac
	call	copy6
	mov	si, ne_mac
	call	copy6
	BE16	[txbuf + 12], 0x0800
	BE16	[txbuf + 14], 0x4500		; IPv4, 20-byte header
	BE16	[txbuf + 16], IP_LEN
	BE16	[txbuf + 18], 1			; identification
	mov	word [txbuf + 20], 0		; no fragments
	BE16	[txbuf + 22], 0x4011		; TTL 64, UDP
	mov	word [txbuf + 24], 0		; checksum, below
	mov	si, ip_self
	mov	di, txbuf + 26
	mov	cx, 4
	call	copyn
	mov	si, dst_ip
	mov	cx, 4
	call	copyn
	mov	si, txbuf + 14
	mov	cx, 10
	call	ip_checksum
	mov	[txbuf + 24], ax
	BE16	[txbuf + 34], SRC_PORT
	BE16	[txbuf + 36], UDP_PORT
	BE16	[txbuf + 38], UDP_LEN
	mov	word [txbuf + 40], 0		; no UDP checksum (allowed in IPv4)
	mov	si, payload
	mov	di, txbuf + 42
	mov	cx, PAYLOAD_LEN
	call	copyn
	mov	cx, 14 + IP_LEN
	jmp	send_frame

; CF=0 when rxbuf is our datagram coming back from the echo server
is_echo:
	cmp	word [rxbuf + 12], 0x0008	; IPv4
	jne	.no
	cmp	byte [rxbuf + 14], 0x45		; no options
	jne	.no
	cmp	byte [rxbuf + 23], 17		; UDP
	jne	.no
	mov	ax, [dst_ip]			; from where we sent it
	cmp	[rxbuf + 26], ax
	jne	.no
	mov	ax, [dst_ip + 2]
	cmp	[rxbuf + 28], ax
	jne	.no
	cmp	word [rxbuf + 34], ((UDP_PORT >> 8) | ((UDP_PORT & 0xff) << 8))
	jne	.no
	cmp	word [rxbuf + 36], ((SRC_PORT >> 8) | ((SRC_PORT & 0xff) << 8))
	jne	.no
	mov	si, payload
	mov	di, rxbuf + 42
	mov	cx, PAYLOAD_LEN
.c:	mov	al, [si]
	cmp	al, [di]
	jne	.no
	inc	si
	inc	di
	loop	.c
	clc
	ret
.no:	stc
	ret

dst_ip		db	10, 0, 2, 2
max_tries	dw	0
payload		db	"hello from a tandem guest"
payload_end:

%include "tail.inc"

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
%include "ip.inc"

main:
	PRINT	"nat", 10
	call	net_up
	call	arp_gateway
	mov	ax, [0x46c]
	mov	[ip_start], ax
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
	sub	ax, [ip_start]
	cmp	ax, 273
	jb	.syn
	FAIL	41

%include "tail.inc"

; pic_cmos_uart: register-level checks of the 8259A pair, the MC146818 RTC/CMOS and the
; 16550A at COM1. UART: scratch register, divisor latch, loopback (MCR bit 4) of single
; bytes and of three bytes through the FIFO, modem-status lines looped from MCR, LSR bits,
; IIR with the FIFO on and off. PIC: IMR write/read-back on both chips, OCW3 reads of
; IRR (a masked timer request shows up) and ISR (set inside the IRQ0 handler). CMOS:
; registers A-D, a valid BCD date and time, NVRAM 40h..7Fh (not 7Eh, tandem's flag byte)
; written, read back and restored. The report goes to COM1 (and to the debug console).
; expect-status: 1
; expect-com1: pic_cmos_uart.com1
; expect-debugcon: pic_cmos_uart.com1
; oracle: qemu bochs
%include "lib.inc"

UART	equ	0x3f8

main:
	call	test_uart		; first: loopback must not mix with the report
	mov	si, msg_start
	call	report
	mov	si, msg_uart
	call	report
	call	test_pic
	mov	si, msg_pic
	call	report
	call	test_cmos
	mov	si, msg_cmos
	call	report
	mov	si, msg_pass
	call	com_puts
	mov	dx, UART + 5		; let the last byte leave the shift register
	mov	cx, 0xffff
.flush:	in	al, dx
	test	al, 0x40
	jnz	.sent
	loop	.flush
.sent:	jmp	pass

msg_start	db	"pic_cmos_uart", 10, 0
msg_uart	db	"uart ok", 10, 0
msg_pic		db	"pic ok", 10, 0
msg_cmos	db	"cmos ok", 10, 0

; com_putc: AL to COM1 once the transmitter holding register is empty (bounded wait)
com_putc:
	push	cx
	push	dx
	push	ax
	mov	dx, UART + 5
	mov	cx, 0xffff
.w:	in	al, dx
	test	al, 0x20
	jnz	.go
	loop	.w
.go:	pop	ax
	mov	dx, UART
	out	dx, al
	pop	dx
	pop	cx
	ret

com_puts:			; DS:SI zero-terminated to COM1
	push	ax
	push	si
.l:	lodsb
	or	al, al
	jz	.d
	call	com_putc
	jmp	.l
.d:	pop	si
	pop	ax
	ret

report:				; DS:SI to COM1 and the debug console
	call	com_puts
	jmp	puts

; ---- 16550A -------------------------------------------------------------------------
uart_in:			; AL = register DL of the UART
	push	dx
	xor	dh, dh
	add	dx, UART
	in	al, dx
	pop	dx
	ret

uart_out:			; register DL of the UART = AL
	push	dx
	xor	dh, dh
	add	dx, UART
	out	dx, al
	pop	dx
	ret

; wait_rx: CF=0 and AL = received byte, or CF=1 after a bounded wait
wait_rx:
	push	cx
	mov	cx, 0xffff
.w:	mov	dl, 5
	call	uart_in
	test	al, 1
	jnz	.got
	loop	.w
	pop	cx
	stc
	ret
.got:	mov	dl, 0
	call	uart_in
	pop	cx
	clc
	ret

test_uart:
	mov	dl, 1			; no UART interrupts
	xor	al, al
	call	uart_out
	mov	dl, 7			; scratch register keeps what is written
	mov	al, 0x5a
	call	uart_out
	call	uart_in
	cmp	al, 0x5a
	jne	.bad2
	mov	al, 0xa5
	call	uart_out
	call	uart_in
	cmp	al, 0xa5
	jne	.bad2
	mov	dl, 3			; divisor 12 (9600 baud) through DLAB, read back
	mov	al, 0x80
	call	uart_out
	mov	dl, 0
	mov	al, 12
	call	uart_out
	mov	dl, 1
	xor	al, al
	call	uart_out
	mov	dl, 0
	call	uart_in
	cmp	al, 12
	jne	.bad3
	mov	dl, 3			; 8N1, DLAB off
	mov	al, 0x03
	call	uart_out
	call	uart_in
	cmp	al, 0x03
	jne	.bad3
	mov	dl, 2			; FIFO off: IIR says "no interrupt", no FIFO bits
	xor	al, al
	call	uart_out
	call	uart_in
	cmp	al, 0x01
	jne	.bad4
	mov	dl, 4			; loopback with DTR: MSR shows DSR, not CTS/RI/DCD
	mov	al, 0x11
	call	uart_out
	mov	dl, 6
	call	uart_in
	and	al, 0xf0
	cmp	al, 0x20
	jne	.bad5
	mov	dl, 4			; loopback with RTS and OUT2: CTS and DCD
	mov	al, 0x1a
	call	uart_out
	mov	dl, 6
	call	uart_in
	and	al, 0xf0
	cmp	al, 0x90
	jne	.bad5
.drain:	mov	dl, 5			; empty the receiver
	call	uart_in
	test	al, 1
	jz	.empty
	mov	dl, 0
	call	uart_in
	jmp	.drain
.empty:	test	al, 0x60		; idle transmitter: THRE and TEMT
	jz	.bad6
	mov	al, 0x42		; one byte around the loop
	mov	dl, 0
	call	uart_out
	call	wait_rx
	jc	.bad7
	cmp	al, 0x42
	jne	.bad7
	mov	dl, 5			; nothing more: DR clear, no errors
	call	uart_in
	test	al, 0x1f
	jnz	.bad8
	mov	dl, 2			; FIFO on (and cleared): IIR bits 7-6 set
	mov	al, 0x07
	call	uart_out
	call	uart_in
	and	al, 0xcf
	cmp	al, 0xc1
	jne	.bad9
	mov	al, 'x'			; three bytes through the FIFO, in order
	mov	dl, 0
	call	uart_out
	mov	al, 'y'
	call	uart_out
	mov	al, 'z'
	call	uart_out
	call	wait_rx
	jc	.bad10
	cmp	al, 'x'
	jne	.bad10
	call	wait_rx
	jc	.bad10
	cmp	al, 'y'
	jne	.bad10
	call	wait_rx
	jc	.bad10
	cmp	al, 'z'
	jne	.bad10
	mov	dl, 2			; FIFO off again
	xor	al, al
	call	uart_out
	call	uart_in
	and	al, 0xc0
	jnz	.bad9
	mov	dl, 4			; leave loopback: DTR, RTS
	mov	al, 0x03
	call	uart_out
	ret
.bad2:	FAIL	2
.bad3:	FAIL	3
.bad4:	FAIL	4
.bad5:	FAIL	5
.bad6:	FAIL	6
.bad7:	FAIL	7
.bad8:	FAIL	8
.bad9:	FAIL	9
.bad10:	FAIL	10

; ---- 8259A --------------------------------------------------------------------------
isr_seen	db	0
irq0_done	db	0
old8		dw	0, 0

irq0:
	push	ax
	mov	al, 0x0b		; OCW3: read ISR
	out	0x20, al
	in	al, 0x20
	mov	[cs:isr_seen], al
	mov	byte [cs:irq0_done], 1
	mov	al, 0x20
	out	0x20, al
	pop	ax
	iret

test_pic:
	cli
	in	al, 0x21
	mov	bl, al
	in	al, 0xa1
	mov	bh, al
	mov	al, 0xa5
	out	0x21, al
	mov	al, 0x5a
	out	0xa1, al
	in	al, 0x21
	mov	cl, al
	in	al, 0xa1
	mov	ch, al
	cmp	cx, 0x5aa5
	jne	.bad11
	mov	al, bh			; slave mask back
	out	0xa1, al
	mov	al, 0xff		; everything masked on the master
	out	0x21, al
	mov	al, 0x0b		; ISR: nothing in service
	out	0x20, al
	in	al, 0x20
	or	al, al
	jnz	.bad12
	sti				; a masked timer request shows in IRR
	mov	cx, 0xffff
	mov	dx, 20
.w:	mov	al, 0x0a		; OCW3: read IRR
	out	0x20, al
	in	al, 0x20
	test	al, 1
	jnz	.irr
	loop	.w
	dec	dx
	jnz	.w
	FAIL	13
.irr:	cli
	mov	ax, [8 * 4]		; our handler reads ISR inside the interrupt
	mov	[old8], ax
	mov	ax, [8 * 4 + 2]
	mov	[old8 + 2], ax
	mov	word [8 * 4], irq0
	mov	word [8 * 4 + 2], 0
	mov	al, 0xfe		; unmask IRQ0: the pending request is delivered
	out	0x21, al
	sti
	mov	cx, 0xffff
.w2:	cmp	byte [irq0_done], 0
	jne	.got
	loop	.w2
	FAIL	14
.got:	cli
	mov	ax, [old8]
	mov	[8 * 4], ax
	mov	ax, [old8 + 2]
	mov	[8 * 4 + 2], ax
	mov	al, bl
	out	0x21, al
	sti
	test	byte [isr_seen], 1
	jz	.bad15
	mov	al, 0x0b		; after the EOI: ISR clear again
	out	0x20, al
	in	al, 0x20
	test	al, 1
	jnz	.bad15
	mov	al, 0x0a		; leave the PIC reading IRR (its reset default)
	out	0x20, al
	ret
.bad11:	FAIL	11
.bad12:	FAIL	12
.bad15:	FAIL	15

; ---- MC146818 -----------------------------------------------------------------------
cmos_rd:			; AL = CMOS register AL
	out	0x70, al
	in	al, 0x71
	ret

cmos_wr:			; CMOS register AL = AH
	out	0x70, al
	mov	al, ah
	out	0x71, al
	ret

is_bcd:				; CF=1 unless AL is BCD no greater than AH
	push	ax
	mov	ah, al
	and	ah, 0x0f
	cmp	ah, 9
	pop	ax
	ja	.no
	push	ax
	and	al, 0xf0
	cmp	al, 0x90
	pop	ax
	ja	.no
	cmp	al, ah
	ja	.no
	clc
	ret
.no:	stc
	ret

nv_save	times 64 db 0

test_cmos:
	mov	al, 0x0a		; A: 32.768 kHz time base
	call	cmos_rd
	and	al, 0x70
	cmp	al, 0x20
	jne	.bad20
	mov	al, 0x0b		; B: BCD (DM=0), 24-hour mode (BIOS default)
	call	cmos_rd
	test	al, 0x04
	jnz	.bad21
	test	al, 0x02
	jz	.bad21
	mov	al, 0x0c		; C: readable (clears on read)
	call	cmos_rd
	mov	al, 0x0d		; D: valid RAM and time
	call	cmos_rd
	test	al, 0x80
	jz	.bad22
	mov	cx, 0xffff		; time: read while no update is in progress
.uip:	mov	al, 0x0a
	call	cmos_rd
	test	al, 0x80
	jz	.read
	loop	.uip
	FAIL	23
.read:	mov	al, 0x00
	call	cmos_rd
	mov	ah, 0x59
	call	is_bcd
	jc	.bad24
	mov	al, 0x02
	call	cmos_rd
	mov	ah, 0x59
	call	is_bcd
	jc	.bad24
	mov	al, 0x04
	call	cmos_rd
	mov	ah, 0x23
	call	is_bcd
	jc	.bad24
	mov	al, 0x07		; day of month 1..31
	call	cmos_rd
	mov	ah, 0x31
	call	is_bcd
	jc	.bad25
	or	al, al
	jz	.bad25
	mov	al, 0x08		; month 1..12
	call	cmos_rd
	mov	ah, 0x12
	call	is_bcd
	jc	.bad25
	or	al, al
	jz	.bad25
	mov	al, 0x09		; year 00..99
	call	cmos_rd
	mov	ah, 0x99
	call	is_bcd
	jc	.bad25
	cli				; NVRAM: save 40h..7Fh, write a pattern, check, restore
	mov	bl, 0x40
	mov	di, nv_save
.sv:	mov	al, bl
	call	cmos_rd
	mov	[di], al
	inc	di
	inc	bl
	cmp	bl, 0x80
	jb	.sv
	mov	bl, 0x40
.wr:	cmp	bl, 0x7e
	je	.wn
	mov	ah, bl
	xor	ah, 0xc3
	mov	al, bl
	call	cmos_wr
.wn:	inc	bl
	cmp	bl, 0x80
	jb	.wr
	mov	bl, 0x40
	xor	dx, dx			; DX: bytes that did not read back
.ck:	cmp	bl, 0x7e
	je	.cn
	mov	al, bl
	call	cmos_rd
	mov	ah, bl
	xor	ah, 0xc3
	cmp	al, ah
	je	.cn
	inc	dx
.cn:	inc	bl
	cmp	bl, 0x80
	jb	.ck
	mov	bl, 0x40
	mov	si, nv_save
.rs:	mov	ah, [si]
	inc	si
	mov	al, bl
	cmp	al, 0x7e
	je	.rn
	call	cmos_wr
.rn:	inc	bl
	cmp	bl, 0x80
	jb	.rs
	mov	al, 0x0d		; leave the index on D with NMI enabled
	out	0x70, al
	sti
	or	dx, dx
	jnz	.bad26
	ret
.bad20:	FAIL	20
.bad21:	FAIL	21
.bad22:	FAIL	22
.bad24:	FAIL	24
.bad25:	FAIL	25
.bad26:	FAIL	26

%include "tail.inc"

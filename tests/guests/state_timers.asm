; state_timers: three timer-driven devices running at once, for the save-state test
; (savestate.sh saves it mid-run and expects the resumed run to print the same counts):
; PIT channel 0 at 1 kHz (IRQ0), the RTC's periodic interrupt at 1024 Hz (IRQ8, register
; C read to acknowledge) and the 16550's receive-FIFO character timeout (COM1 in loopback
; at 115200 baud with the trigger level at 14: one byte waits for the timeout, which the
; main loop sees in IIR (0Ch), reads, and sends the next byte). Meanwhile a checksum loop
; runs about 3 million instructions. Prints the three counts and the sums of the loop
; counter at each event (timing-dependent, so the oracles compare only the status: what
; matters is that a resumed run prints the same) and passes when each count is nonzero.
; expect-status: 1
; oracle: qemu bochs
; oracle-compare: status
%include "lib.inc"

UART	equ	0x3f8

main:
	PRINT	"state_timers", 10
	cli
	mov	ax, [8 * 4]
	mov	[old8], ax
	mov	ax, [8 * 4 + 2]
	mov	[old8 + 2], ax
	mov	ax, [0x70 * 4]
	mov	[old70], ax
	mov	ax, [0x70 * 4 + 2]
	mov	[old70 + 2], ax
	mov	word [8 * 4], irq0
	mov	word [8 * 4 + 2], 0
	mov	word [0x70 * 4], irq8
	mov	word [0x70 * 4 + 2], 0
	mov	al, 0x34		; PIT channel 0, mode 2, 1193 -> 1 kHz
	out	0x43, al
	mov	al, 1193 & 0xff
	out	0x40, al
	mov	al, 1193 >> 8
	out	0x40, al
	mov	al, 0x0a		; RTC register A: 32.768 kHz base, rate 6 = 1024 Hz
	out	0x70, al
	in	al, 0x71
	and	al, 0xf0
	or	al, 0x06
	mov	ah, al
	mov	al, 0x0a
	out	0x70, al
	mov	al, ah
	out	0x71, al
	mov	al, 0x0b		; register B: periodic interrupt on
	out	0x70, al
	in	al, 0x71
	mov	[old_b], al
	or	al, 0x40
	mov	ah, al
	mov	al, 0x0b
	out	0x70, al
	mov	al, ah
	out	0x71, al
	mov	al, 0x0c
	out	0x70, al
	in	al, 0x71		; clear anything pending
	in	al, 0x21
	mov	[old_imr], al
	mov	al, 0xfa		; IRQ0 and the cascade
	out	0x21, al
	in	al, 0xa1
	mov	[old_imr2], al
	and	al, 0xfe		; IRQ8
	out	0xa1, al

	mov	dx, UART + 3		; 115200 8N1, FIFO trigger 14, loopback, no IRQ
	mov	al, 0x80
	out	dx, al
	mov	dx, UART
	mov	al, 1
	out	dx, al
	inc	dx
	xor	al, al
	out	dx, al
	mov	dx, UART + 3
	mov	al, 0x03
	out	dx, al
	mov	dx, UART + 2
	mov	al, 0xc7
	out	dx, al
	mov	dx, UART + 4
	mov	al, 0x10
	out	dx, al
	mov	dx, UART + 1
	mov	al, 0x01		; receive interrupts, seen in IIR only
	out	dx, al
	mov	dx, UART
	mov	al, 'a'
	out	dx, al
	sti

	xor	bp, bp
	mov	di, 30000		; outer passes (polling COM1 every 10 iterations)
.outer:	mov	cx, 10
.inner:	rol	bp, 1
	add	bp, cx
	xor	bp, di
	loop	.inner
	mov	dx, UART + 2		; a character timeout waiting?
	in	al, dx
	and	al, 0x0f
	cmp	al, 0x0c
	jne	.next
	mov	dx, UART
	in	al, dx
	inc	al
	out	dx, al
	inc	word [uart_n]
	add	[uart_sig], di
.next:	dec	di
	jnz	.outer

	cli
	mov	al, 0x0b
	out	0x70, al
	mov	al, [old_b]
	out	0x71, al
	mov	al, 0x36
	out	0x43, al
	xor	al, al
	out	0x40, al
	out	0x40, al
	mov	ax, [old8]
	mov	[8 * 4], ax
	mov	ax, [old8 + 2]
	mov	[8 * 4 + 2], ax
	mov	ax, [old70]
	mov	[0x70 * 4], ax
	mov	ax, [old70 + 2]
	mov	[0x70 * 4 + 2], ax
	mov	al, [old_imr]
	out	0x21, al
	mov	al, [old_imr2]
	out	0xa1, al
	mov	dx, UART + 4
	xor	al, al
	out	dx, al
	mov	dx, UART + 1
	out	dx, al
	sti
	PRINT	"pit "
	mov	ax, [cs:pit_n]
	call	putdec
	PRINT	" rtc "
	mov	ax, [cs:rtc_n]
	call	putdec
	PRINT	" uart "
	mov	ax, [uart_n]
	call	putdec
	PRINT	" sum "
	mov	ax, bp
	call	puthex16
	PRINT	" when "		; sums of the loop counter at each event
	mov	ax, [cs:pit_sig]
	call	puthex16
	mov	ax, [cs:rtc_sig]
	call	puthex16
	mov	ax, [uart_sig]
	call	puthex16
	call	nl
	cmp	word [cs:pit_n], 0
	CHECK	ne, 1
	cmp	word [cs:rtc_n], 0
	CHECK	ne, 2
	cmp	word [uart_n], 0
	CHECK	ne, 3
	jmp	pass

irq0:
	inc	word [cs:pit_n]
	add	[cs:pit_sig], di	; where in the loop it came: any shift shows
	push	ax
	mov	al, 0x20
	out	0x20, al
	pop	ax
	iret

irq8:
	inc	word [cs:rtc_n]
	add	[cs:rtc_sig], di
	push	ax
	mov	al, 0x0c
	out	0x70, al
	in	al, 0x71
	mov	al, 0x20
	out	0xa0, al
	out	0x20, al
	pop	ax
	iret

pit_sig	dw	0
rtc_sig	dw	0
uart_sig dw	0
pit_n	dw	0
rtc_n	dw	0
uart_n	dw	0
old8	dd	0
old70	dd	0
old_imr	db	0
old_imr2 db	0
old_b	db	0

%include "tail.inc"

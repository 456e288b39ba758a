; hw_fdc: the 82077AA floppy controller and 8237 DMA channel 2 at register level,
; behind the BIOS's back. Resets the controller through the DOR (one IRQ6, four
; SENSE INTERRUPTs with ST0 C0h-C3h), SPECIFY, RECALIBRATE and SEEK (IRQ6, ST0 20h and
; the new cylinder), then reads the image's second sector by DMA and compares it with
; the copy the boot loader put at 7E00h, checks the result phase (ST0-ST2, C H R N)
; for a read that ends on terminal count and a multi-track read across heads, writes
; a sector and reads it back.  (A DMA read running into EOT before TC ends abnormally
; with EN per the datasheet, and non-DMA reads also end at EOT; QEMU and Bochs differ
; from the datasheet and from each other there, so only the unit tests check those.)
; expect-status: 1
; expect-debugcon: hw_fdc.debugcon
; oracle: qemu bochs
%include "lib.inc"

FDC_DOR	equ	0x3f2
FDC_MSR	equ	0x3f4
FDC_FIFO equ	0x3f5
FDC_CCR	equ	0x3f7
BUF	equ	0x9000			; DMA buffers: below 64K, no page crossing
BUF2	equ	0xa000

main:
	PRINT	"hw_fdc", 10
	cli
	mov	word [0x0e * 4], irq6
	mov	word [0x0e * 4 + 2], 0
	in	al, 0x21
	and	al, ~0x40
	out	0x21, al
	mov	al, 0xc0		; DMA channel 4 cascades controller 1
	out	0xd6, al
	xor	al, al
	out	0xd4, al
	sti

	; Reset: DOR bit 2 low then high; the controller interrupts once.
	mov	byte [irqs], 0
	mov	dx, FDC_DOR
	mov	al, 0x08
	out	dx, al
	mov	cx, 100
.dly:	loop	.dly
	mov	al, 0x1c		; motor A, DMA/IRQ enable, drive 0
	out	dx, al
	call	wait_irq
	CHECK	nc, 1
	mov	bl, 0xc0
.sense:	call	sense_int
	cmp	byte [res], bl
	CHECK	e, 2
	inc	bl
	cmp	bl, 0xc4
	jb	.sense
	PRINT	"reset ok", 10

	mov	dx, FDC_CCR		; 500 kbit/s for 1.44M media
	xor	al, al
	out	dx, al
	mov	si, cmd_specify
	call	command
	mov	si, cmd_version
	call	command
	call	results
	cmp	byte [res], 0x90
	CHECK	e, 3
	; SENSE INTERRUPT with nothing pending: invalid command, one byte.
	mov	si, cmd_sense
	call	command
	call	results
	cmp	cx, 1
	CHECK	e, 4
	cmp	byte [res], 0x80
	CHECK	e, 5
	PRINT	"version, invalid sense ok", 10

	mov	si, cmd_recal
	call	seek_cmd
	cmp	word [res], 0x0020	; ST0 20h, PCN 0
	CHECK	e, 6
	mov	si, cmd_seek5
	call	seek_cmd
	cmp	word [res], 0x0520
	CHECK	e, 7
	mov	si, cmd_seek0
	call	seek_cmd
	cmp	word [res], 0x0020
	CHECK	e, 8
	PRINT	"recalibrate, seek ok", 10

	; READ DATA C0 H0 R2, DMA count one sector: ends on TC.
	mov	ax, BUF
	mov	cx, 512
	mov	bl, 0x46
	call	dma_setup
	mov	si, cmd_read_r2
	call	data_cmd
	mov	si, want_r2
	call	check_result
	CHECK	e, 9
	mov	si, BUF
	mov	di, 0x7e00
	mov	cx, 256
	repe	cmpsw
	CHECK	e, 10
	PRINT	"dma read ok", 10

	; Multi-track: R18 of head 0 then R1 of head 1, TC after two sectors.
	mov	ax, BUF
	mov	cx, 1024
	mov	bl, 0x46
	call	dma_setup
	mov	si, cmd_read_mt
	call	data_cmd
	mov	si, want_mt
	call	check_result
	CHECK	e, 11
	PRINT	"multi-track ok", 10

	; WRITE DATA C0 H1 R10, then read it back elsewhere.
	mov	di, BUF
	mov	cx, 512
	xor	al, al
.fill:	stosb
	add	al, 7
	loop	.fill
	mov	ax, BUF
	mov	cx, 512
	mov	bl, 0x4a
	call	dma_setup
	mov	si, cmd_write
	call	data_cmd
	mov	si, want_write
	call	check_result
	CHECK	e, 13
	mov	ax, BUF2
	mov	cx, 512
	mov	bl, 0x46
	call	dma_setup
	mov	si, cmd_read_w
	call	data_cmd
	mov	si, want_write
	call	check_result
	CHECK	e, 14
	mov	si, BUF
	mov	di, BUF2
	mov	cx, 256
	repe	cmpsw
	CHECK	e, 15
	PRINT	"write, read back ok", 10

	mov	dx, FDC_DOR		; motor off
	mov	al, 0x0c
	out	dx, al
	jmp	pass

; wait_irq: waits for IRQ6 (about 2 s at most); CF set on timeout.
wait_irq:
	push	cx
	mov	cx, 40
.w:	cmp	byte [irqs], 0
	jne	.got
	hlt
	loop	.w
	pop	cx
	stc
	ret
.got:	mov	byte [irqs], 0
	pop	cx
	clc
	ret

; wait_msr: waits for (MSR & C0h) == AH; CF set on timeout.
wait_msr:
	push	cx
	push	dx
	mov	dx, FDC_MSR
	mov	cx, 0xffff
.l:	in	al, dx
	and	al, 0xc0
	cmp	al, ah
	je	.ok
	loop	.l
	pop	dx
	pop	cx
	stc
	ret
.ok:	pop	dx
	pop	cx
	clc
	ret

; command: sends the counted command at SI (length byte, then bytes).
command:
	push	cx
	push	dx
	lodsb
	mov	cl, al
	xor	ch, ch
	mov	dx, FDC_FIFO
.b:	mov	ah, 0x80
	call	wait_msr
	jc	.bad
	lodsb
	out	dx, al
	loop	.b
	pop	dx
	pop	cx
	ret
.bad:	FAIL	30

; results: reads the result phase into res; CX = bytes.
results:
	push	dx
	push	di
	mov	di, res
	xor	cx, cx
	mov	dx, FDC_FIFO
.r:	push	cx
	mov	cx, 0xffff
.w:	mov	dx, FDC_MSR
	in	al, dx
	and	al, 0xc0
	cmp	al, 0xc0
	je	.byte
	cmp	al, 0x80
	je	.done
	loop	.w
	pop	cx
	FAIL	31
.byte:	pop	cx
	mov	dx, FDC_FIFO
	in	al, dx
	stosb
	inc	cx
	cmp	cx, 16
	jb	.r
	FAIL	32
.done:	pop	cx
	pop	di
	pop	dx
	ret

sense_int:
	push	si
	mov	si, cmd_sense
	call	command
	call	results
	pop	si
	cmp	cx, 2
	CHECK	e, 33
	ret

; seek_cmd: sends the seek/recalibrate at SI, waits for IRQ6, senses it.
seek_cmd:
	call	command
	call	wait_irq
	CHECK	nc, 34
	jmp	sense_int

; data_cmd: sends a read/write command, waits for IRQ6 and the 7 result bytes.
data_cmd:
	call	command
	call	wait_irq
	CHECK	nc, 35
	call	results
	cmp	cx, 7
	CHECK	e, 36
	ret

; check_result: ZF set when res matches the 7 bytes at SI.
check_result:
	push	cx
	mov	di, res
	mov	cx, 7
	repe	cmpsb
	pop	cx
	je	.ok
	PRINT	"result:"
	mov	si, res
	mov	cx, 7
.p:	mov	al, ' '
	call	putc
	lodsb
	call	puthex8
	loop	.p
	call	nl
	or	al, 1			; ZF clear
.ok:	ret

; dma_setup: channel 2, address AX (page 0), CX bytes, mode BL.
dma_setup:
	push	ax
	mov	al, 0x06
	out	0x0a, al		; mask channel 2
	out	0x0c, al		; clear the flip-flop
	mov	al, bl
	out	0x0b, al
	pop	ax
	out	0x04, al
	mov	al, ah
	out	0x04, al
	xor	al, al
	out	0x81, al
	dec	cx
	mov	al, cl
	out	0x05, al
	mov	al, ch
	out	0x05, al
	mov	al, 0x02
	out	0x0a, al		; unmask
	ret

irq6:
	push	ax
	inc	byte [cs:irqs]
	mov	al, 0x20
	out	0x20, al
	pop	ax
	iret

irqs		db	0
res		times 16 db 0
cmd_specify	db	3, 0x03, 0xdf, 0x02
cmd_version	db	1, 0x10
cmd_sense	db	1, 0x08
cmd_recal	db	2, 0x07, 0x00
cmd_seek5	db	3, 0x0f, 0x00, 5
cmd_seek0	db	3, 0x0f, 0x00, 0
cmd_read_r2	db	9, 0xe6, 0x00, 0, 0, 2, 2, 18, 0x1b, 0xff
want_r2		db	0x00, 0x00, 0x00, 0, 0, 3, 2
cmd_read_mt	db	9, 0xe6, 0x00, 0, 0, 18, 2, 18, 0x1b, 0xff
want_mt		db	0x04, 0x00, 0x00, 0, 1, 2, 2
cmd_write	db	9, 0xc5, 0x04, 0, 1, 10, 2, 18, 0x1b, 0xff
want_write	db	0x04, 0x00, 0x00, 0, 1, 11, 2
cmd_read_w	db	9, 0xe6, 0x04, 0, 1, 10, 2, 18, 0x1b, 0xff

%include "tail.inc"

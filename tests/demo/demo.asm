; demo.asm: tandem's bundled demo disk (`make run` boots it). It clears the screen,
; shows a banner and what the BIOS reports (memory, equipment, drives, BIOS date, RTC
; time) in colour, then powers off through the exit device (port F4h, value 0): at once
; when CMOS byte 7Eh bit 0 says tandem runs headless, else after a key press.
; It runs on any PC BIOS; on one without an exit device it halts after saying so.
;
; Build: nasm -f bin -o demo.img demo.asm && truncate -s 1474560 demo.img

	cpu	8086
	bits	16
	org	0x7c00

EXIT_PORT	equ	0xf4
DEBUGCON	equ	0xe9
COM1		equ	0x3f8

A_TEXT		equ	0x07		; grey on black
A_LABEL		equ	0x0b		; light cyan
A_VALUE		equ	0x0f		; white
A_BANNER	equ	0x1e		; yellow on blue
A_NOTE		equ	0x0a		; light green
A_DIM		equ	0x08		; dark grey

boot:
	cli
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, 0x6000
	cld
	jmp	0:.flat
.flat:	sti
	mov	[boot_drive], dl
	mov	bx, 0x7e00		; load sectors 2.. (CHS, one at a time)
	mov	cx, 2
.next:	cmp	cl, LOAD_SECTORS + 2
	jae	main
	mov	di, 4
.retry:	mov	ax, 0x0201
	xor	dh, dh
	mov	dl, [boot_drive]
	push	cx
	push	bx
	int	0x13
	pop	bx
	pop	cx
	jnc	.ok
	xor	ax, ax
	int	0x13
	dec	di
	jnz	.retry
	mov	si, msg_ioerr
.err:	lodsb
	or	al, al
	jz	.halt
	mov	ah, 0x0e
	xor	bx, bx
	int	0x10
	jmp	.err
.halt:	hlt
	jmp	.halt
.ok:	add	bx, 512
	inc	cl
	jmp	.next

msg_ioerr	db	"demo: disk read error", 0
boot_drive	db	0

	times	510 - ($ - $$) db 0
	dw	0xaa55

; ---- output -------------------------------------------------------------------------
attr	db	A_TEXT

; putc: AL at the cursor in colour [attr]; CR/LF handled by teletype. Also mirrored to
; the debug console so a headless run leaves a text log.
putc:
	push	ax
	push	bx
	push	cx
	push	dx
	out	DEBUGCON, al
	cmp	al, 10
	je	.nl
	mov	ah, 0x09		; character with attribute, then advance by teletype
	mov	bh, 0
	mov	bl, [attr]
	mov	cx, 1
	int	0x10
	mov	ah, 0x0e
	int	0x10
	jmp	.done
.nl:	mov	ax, 0x0e0d
	mov	bx, 0
	int	0x10
	mov	ax, 0x0e0a
	int	0x10
.done:	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

puts:				; DS:SI zero-terminated
	push	ax
	push	si
.l:	lodsb
	or	al, al
	jz	.d
	call	putc
	jmp	.l
.d:	pop	si
	pop	ax
	ret

; PR attribute, "text": print a literal in a colour
%macro PR 2+
	jmp	%%after
%%s	db	%2, 0
%%after:
	mov	byte [attr], %1
	push	si
	mov	si, %%s
	call	puts
	pop	si
%endmacro

putdec:				; AX unsigned decimal
	push	ax
	push	bx
	push	cx
	push	dx
	mov	bx, 10
	xor	cx, cx
.d:	xor	dx, dx
	div	bx
	push	dx
	inc	cx
	or	ax, ax
	jnz	.d
.o:	pop	ax
	add	al, '0'
	call	putc
	loop	.o
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

puthex8:			; AL as two hex digits
	push	ax
	push	cx
	mov	cl, 4
	shr	al, cl
	call	.nib
	pop	cx
	pop	ax
	push	ax
	call	.nib
	pop	ax
	ret
.nib:	and	al, 0x0f
	add	al, '0'
	cmp	al, '9'
	jbe	.o
	add	al, 7
.o:	jmp	putc

puthex16:
	xchg	al, ah
	call	puthex8
	xchg	al, ah
	jmp	puthex8

; ---- the report ---------------------------------------------------------------------
main:
	mov	ax, 0x0003		; 80x25 colour text, cleared
	int	0x10
	mov	ax, 0x0600		; blue banner bar across the top row
	mov	bh, A_BANNER
	xor	cx, cx
	mov	dx, 0x004f
	int	0x10
	mov	ah, 0x02
	xor	bh, bh
	mov	dx, 0x0019
	int	0x10
	PR	A_BANNER, "tandem demo disk -- a PC emulator", 10
	PR	A_TEXT, 10, "What the BIOS reports:", 10, 10

	PR	A_LABEL, "  Base memory      "
	int	0x12
	mov	byte [attr], A_VALUE
	call	putdec
	PR	A_VALUE, " KiB", 10

	PR	A_LABEL, "  Extended memory  "
	mov	ah, 0x88
	clc
	int	0x15
	jc	.noext
	mov	byte [attr], A_VALUE
	call	putdec
	PR	A_VALUE, " KiB", 10
	jmp	.equip
.noext:	PR	A_VALUE, "none (XT class)", 10

.equip:	int	0x11
	mov	[equip], ax
	PR	A_LABEL, "  Equipment word   "
	mov	byte [attr], A_VALUE
	call	puthex16
	PR	A_DIM, "h", 10
	PR	A_LABEL, "    floppy drives  "
	mov	ax, [equip]
	xor	bx, bx
	test	al, 1
	jz	.nofd
	mov	bl, al
	mov	cl, 6
	shr	bl, cl
	inc	bx
.nofd:	mov	ax, bx
	mov	byte [attr], A_VALUE
	call	putdec
	call	newline
	PR	A_LABEL, "    initial video  "
	mov	bx, [equip]
	mov	cl, 4
	shr	bx, cl
	and	bx, 3
	shl	bx, 1
	mov	si, [video_names + bx]
	mov	byte [attr], A_VALUE
	call	puts
	call	newline
	PR	A_LABEL, "    serial ports   "
	mov	ax, [equip]
	mov	cl, 9
	shr	ax, cl
	and	ax, 7
	mov	byte [attr], A_VALUE
	call	putdec
	call	newline

	PR	A_LABEL, "  Drive A:         "
	mov	ah, 0x08
	xor	dl, dl
	xor	di, di
	push	es
	int	0x13
	pop	es
	jc	.nofda
	push	dx
	push	cx
	mov	al, ch			; cylinders = max cylinder + 1 (10 bits)
	mov	ah, cl
	mov	cl, 6
	shr	ah, cl
	inc	ax
	mov	byte [attr], A_VALUE
	call	putdec
	PR	A_DIM, " cylinders, "
	pop	cx
	pop	dx
	mov	al, dh
	xor	ah, ah
	inc	ax
	mov	byte [attr], A_VALUE
	call	putdec
	PR	A_DIM, " heads, "
	mov	al, cl
	and	ax, 0x3f
	mov	byte [attr], A_VALUE
	call	putdec
	PR	A_DIM, " sectors per track", 10
	jmp	.hd
.nofda:	PR	A_VALUE, "not reported", 10
.hd:	PR	A_LABEL, "  Hard disks       "
	mov	ah, 0x08
	mov	dl, 0x80
	xor	di, di
	push	es
	int	0x13
	pop	es
	mov	al, dl
	jnc	.hdn
	xor	al, al
.hdn:	xor	ah, ah
	mov	byte [attr], A_VALUE
	call	putdec
	call	newline

	PR	A_LABEL, "  BIOS date        "
	push	ds			; copy the date from ROM: putc reads [attr] via DS
	mov	ax, 0xf000
	mov	ds, ax
	mov	si, 0xfff5
	mov	di, date_buf
	mov	cx, 8
	rep movsb
	pop	ds
	mov	si, date_buf
	mov	cx, 8
	mov	byte [attr], A_VALUE
.date:	lodsb
	cmp	al, ' '			; print only printable characters
	jb	.dot
	cmp	al, '~'
	jbe	.dpr
.dot:	mov	al, '?'
.dpr:	call	putc
	loop	.date
	call	newline

	PR	A_LABEL, "  RTC time         "
	mov	ah, 0x02
	clc
	int	0x1a
	jc	.nortc
	mov	byte [attr], A_VALUE
	mov	al, ch
	call	puthex8
	mov	al, ':'
	call	putc
	mov	al, cl
	call	puthex8
	mov	al, ':'
	call	putc
	mov	al, dh
	call	puthex8
	call	newline
	jmp	.end
.nortc:	PR	A_VALUE, "not available", 10

.end:	call	newline
	mov	al, 0x7e		; CMOS 7Eh bit 0: tandem runs headless
	out	0x70, al
	in	al, 0x71
	cmp	al, 0xff		; no CMOS at all (an XT's floating bus)
	je	.wait
	test	al, 1
	jz	.wait
	PR	A_NOTE, "Headless run: powering off.", 10
	mov	si, msg_serial
	call	com_puts
	jmp	power_off
.wait:	PR	A_NOTE, "Press any key to power off."
	xor	ah, ah
	int	0x16
	call	newline
power_off:
	mov	al, 0			; exit device: tandem and QEMU stop with status 1
	out	EXIT_PORT, al
	mov	dx, 0x8900		; Bochs
	mov	si, msg_shutdown
.sd:	lodsb
	or	al, al
	jz	.sdd
	out	dx, al
	jmp	.sd
.sdd:	PR	A_NOTE, "No exit device here: you can switch the computer off now."
	cli
.h:	hlt
	jmp	.h

newline:
	push	ax
	mov	al, 10
	call	putc
	pop	ax
	ret

; com_puts: DS:SI to COM1 (polled, bounded wait per byte)
com_puts:
	push	ax
	push	cx
	push	dx
	push	si
.l:	lodsb
	or	al, al
	jz	.d
	mov	ah, al
	mov	dx, COM1 + 5
	mov	cx, 0xffff
.w:	in	al, dx
	test	al, 0x20
	jnz	.go
	loop	.w
.go:	mov	al, ah
	mov	dx, COM1
	out	dx, al
	jmp	.l
.d:	mov	dx, COM1 + 5		; wait until sent before powering off
	mov	cx, 0xffff
.t:	in	al, dx
	test	al, 0x40
	jnz	.x
	loop	.t
.x:	pop	si
	pop	dx
	pop	cx
	pop	ax
	ret

equip		dw	0
date_buf	times 8 db 0
video_names	dw	v_ega, v_cga40, v_cga80, v_mda
v_ega		db	"EGA/VGA", 0
v_cga40		db	"CGA 40 columns", 0
v_cga80		db	"CGA 80 columns", 0
v_mda		db	"monochrome (MDA)", 0
msg_serial	db	"tandem demo disk: headless run, powering off", 13, 10, 0
msg_shutdown	db	"Shutdown", 0

	align	512, db 0
image_end:
LOAD_SECTORS	equ	(image_end - $$) / 512 - 1
%if LOAD_SECTORS > 16
%error demo too large for its loader (track 0 head 0 only)
%endif

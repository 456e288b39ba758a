; snd_mpu: the MPU-401 at 330h. Reset (FFh) is acknowledged with FEh, the version query
; (ACh) with FEh 15h; data written before UART mode is ignored; 3Fh enters UART mode
; (FEh).  Then a short phrase goes out as MIDI: program change, four notes with running
; status and note-on velocity 0 as note off, a controller, a pitch bend, a real-time
; clock byte inside running status and a GM reset SysEx, spaced by BIOS ticks.  The
; --midi-capture file (1 ms ticks of emulated time) is compared bit for bit.
; tandem-args: --sound sb16
; expect-debugcon: snd_mpu.debugcon
; expect-midi-sha256: snd_mpu.midsum
; oracle: qemu (no MPU-401 in QEMU: checked on tandem only)
%include "lib.inc"

MPU	equ	0x330

main:
	PRINT	"snd_mpu", 10
	mov	al, 0xff
	call	cmd
	call	get
	cmp	al, 0xfe
	CHECK	e, 1
	mov	al, 0xac
	call	cmd
	call	get
	cmp	al, 0xfe
	CHECK	e, 2
	call	get
	cmp	al, 0x15
	CHECK	e, 3
	mov	al, 0x90		; not UART yet: dropped
	call	put
	mov	al, 0x3f
	call	cmd
	call	get
	cmp	al, 0xfe
	CHECK	e, 4
	mov	dx, MPU + 1		; nothing more to read
	in	al, dx
	test	al, 0x80
	CHECK	nz, 5
	PRINT	"uart mode", 10
	call	tick			; start on a tick edge
	mov	si, phrase
.m:	lodsb
	cmp	al, 0xfd		; FDh in the table: wait one tick
	je	.t
	cmp	al, 0xf9		; F9h: end
	je	.e
	call	put
	jmp	.m
.t:	call	tick
	jmp	.m
.e:	PRINT	"sent", 10
	jmp	pass

phrase	db	0xc0, 19			; church organ
	db	0x90, 60, 100, 64, 100, 67, 100	; running status
	db	0xfd
	db	72, 90, 0xfd
	db	0xf8				; clock, keeps running status
	db	60, 0, 64, 0, 67, 0, 72, 0, 0xfd
	db	0xb0, 7, 100
	db	0xe0, 0x00, 0x50
	db	0xf0, 0x7e, 0x7f, 0x09, 0x01, 0xf7
	db	0xf9

; tick: waits for the BIOS tick count to change (55 ms of emulated time).
tick:	push	ax
	push	es
	mov	ax, 0x40
	mov	es, ax
	mov	ax, [es:0x6c]
	sti
.w:	cmp	ax, [es:0x6c]
	je	.w
	pop	es
	pop	ax
	ret

cmd:	push	dx
	push	ax
	mov	dx, MPU + 1
.w:	in	al, dx
	test	al, 0x40
	jnz	.w
	pop	ax
	out	dx, al
	pop	dx
	ret

put:	push	dx
	push	ax
	mov	dx, MPU + 1
.w:	in	al, dx
	test	al, 0x40
	jnz	.w
	pop	ax
	dec	dx
	out	dx, al
	pop	dx
	ret

get:	push	dx
	push	cx
	mov	dx, MPU + 1
	mov	cx, 1000
.w:	in	al, dx
	test	al, 0x80
	jz	.r
	loop	.w
	mov	al, 0			; nothing came
	jmp	.d
.r:	dec	dx
	in	al, dx
.d:	pop	cx
	pop	dx
	ret

%include "tail.inc"

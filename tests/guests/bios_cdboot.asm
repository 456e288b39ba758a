; bios_cdboot: El Torito no-emulation boot from the ATAPI CD (--boot d). The image is
; its own ISO 9660 volume: a primary volume descriptor at block 16, the boot record at
; 17, the terminator at 18, the boot catalog at 19 and a 2048-byte boot image at block
; 20, loaded at 07C0:0000. The boot image checks DL = the CD's drive number (E0h or
; above), INT 13h AH=41h (EDD), AH=48h (2048-byte sectors), AX=4B01h (the emulation
; packet: no emulation, same drive, image at block 20), then reads blocks 16-17 with
; AH=42h and finds "CD001" and "EL TORITO SPECIFICATION" in them. Booted from the
; floppy instead, the image's first sector says so and fails. Standalone: the floppy
; loader of lib.inc cannot run from a CD.
; tandem-args: --boot d
; guest-cdrom: yes
; expect-status: 1
; oracle: none (oracle.sh boots the floppy; by hand, qemu -cdrom IMG -boot d prints PASS)
	cpu	8086
	bits	16
	org	0
%include "eltorito.inc"


; ---- sector 0 and blocks 16-19: the ISO volume and its boot catalog
	ELTORITO_VOLUME "TANDEM_CDBOOT", 0, 0, 4

; ---- block 20: the boot image, at 07C0:0000 (offsets below are from 7C00h)
IMG	equ	20 * BLOCK
%define A(x) (x - IMG + 0x7c00)

cd_main:
	cli
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, 0x6000
	jmp	0:A(.flat)
.flat:
	sti
	cld
	mov	[A(drive)], dl
	mov	si, A(msg_hello)
	call	puts
	cmp	dl, 0xe0
	jb	.bad1
	mov	ah, 0x41
	mov	bx, 0x55aa
	int	0x13
	jc	.bad2
	cmp	bx, 0xaa55
	jne	.bad2
	mov	si, 0x7000
	mov	word [si], 0x1a
	mov	ah, 0x48
	mov	dl, [A(drive)]
	int	0x13
	jc	.bad3
	cmp	word [si + 24], 2048
	jne	.bad3
	mov	si, 0x7100		; 4B01h: emulation status
	mov	byte [si], 0x13
	mov	ax, 0x4b01
	mov	dl, [A(drive)]
	int	0x13
	jc	.bad4
	cmp	byte [si + 1], 0	; no emulation
	jne	.bad4
	mov	al, [A(drive)]
	cmp	[si + 2], al
	jne	.bad4
	cmp	word [si + 4], 20
	jne	.bad4
	; blocks 16 and 17 to 1000:0000
	mov	si, A(dap)
	mov	ah, 0x42
	mov	dl, [A(drive)]
	int	0x13
	jc	.bad5
	cmp	word [A(dap) + 2], 2
	jne	.bad5
	push	ds
	mov	ax, 0x1000
	mov	ds, ax
	cmp	word [1], 'CD'
	jne	.bad6
	cmp	word [3], '00'
	jne	.bad6
	cmp	word [BLOCK + 7], 'EL'
	jne	.bad6
	cmp	word [BLOCK + 0x19], 'AT'	; "...SPECIFIC(AT)ION"
	jne	.bad6
	pop	ds
	mov	si, A(msg_pass)
	call	puts
	xor	al, al
	out	0xf4, al
	cli
	hlt
.bad1:	mov	al, 1
	jmp	fail
.bad2:	mov	al, 2
	jmp	fail
.bad3:	mov	al, 3
	jmp	fail
.bad4:	mov	al, 4
	jmp	fail
.bad5:	mov	al, 5
	jmp	fail
.bad6:	pop	ds
	mov	al, 6
	jmp	fail

fail:
	mov	bl, al
	mov	si, A(msg_fail)
	call	puts
	mov	al, bl
	add	al, '0'
	out	0xe9, al
	mov	al, 10
	out	0xe9, al
	mov	al, bl
	out	0xf4, al
	cli
	hlt

puts:
	lodsb
	or	al, al
	jz	.d
	out	0xe9, al
	jmp	puts
.d:	ret

drive		db	0
msg_hello	db	"bios_cdboot", 10, 0
msg_pass	db	"PASS", 10, 0
msg_fail	db	"FAIL ", 0
	align	4
dap	db	0x10, 0
	dw	2			; blocks
	dw	0, 0x1000		; buffer
	dd	16, 0			; LBA

	times	21 * BLOCK - ($ - $$) db 0

; bios_cdhdd: El Torito hard disk emulation (--boot d). The image is its own ISO 9660
; volume (primary volume descriptor at block 16, boot record at 17, terminator at 18,
; boot catalog at 19: initial entry media type 4) whose boot image, from block 20, is a
; 257-cylinder, 2-head, 5-sector hard disk (2570 sectors): an MBR whose first
; partition ends at CHS 256/1/5, this guest's code in sectors 1-9, then in every
; sector from 10 on "HEMU" and its LBA. A blank disk is attached as the IDE primary
; master (guest-hdd). The MBR, loaded at 07C0:0000 and entered with DL = 80h, reads
; the code with INT 13h AH=02h from drive 80h, then checks:
;   1 DL = 80h at boot
;   2 AH=08h on 80h: 2 heads, 5 sectors, 257 cylinders (CH/CL max 256; 255 also
;     accepted: SeaBIOS keeps the last cylinder back, as the IBM AT did), DL = 2 disks
;     (3 accepted: SeaBIOS 1.16 adds the image to BDA 0475h and again here); BDA
;     0475h = 2
;   3 AH=02h of 4 sectors at 1/0/1 (LBA 10-13, across a CD block): AL = 4, the stamps
;   4 AH=02h at 256/1/5 (cylinder bits 8-9 in CL): the last sector, LBA 2569
;   5 sector 6, head 2, cylinder 257: CF
;   6 AH=15h: AH = 3, CX:DX = 2570 (2560 accepted: SeaBIOS counts one cylinder less)
;   7 AH=03h: CF, AH = 03h (write protected)
;   8 AX=4B01h on 80h: packet size 13h, media 4, drive 80h, controller 1 (the CD is
;     the secondary master), image at block 20, load segment 07C0h, 1 sector
;   9 its bytes 10h-12h: the last cylinder's low byte, CL (sectors, cylinder bits
;     8-9) and DH as AH=08h gives them, as the El Torito spec says; also accepted:
;     SeaBIOS 1.16's copy of the partition entry's end CHS bytes in their own order
;     (head, sector, cylinder), the same values with 10h and 12h swapped
;  10 drive 81h is the blank disk: AH=08h succeeds, its sector 0 reads as zeros
;  11 AH=08h on 82h: CF (no third disk)
;  12 sector 0 of 80h is this MBR (partition table and 55AAh)
;  13 AX=4B00h on 80h: the same packet, emulation ends
;  14 then drive 80h is the blank disk again: sector 0 reads as zeros
; Booted from the floppy instead, the image's first sector says so and fails (2).
; Standalone: the floppy loader of lib.inc cannot run from a CD.
; tandem-args: --boot d
; guest-cdrom: yes
; guest-hdd: yes
; expect-status: 1
; oracle: none (oracle.sh boots the floppy; by hand, QEMU 7.2 with SeaBIOS 1.16.2,
;   qemu-system-i386 -cdrom IMG -drive file=BLANK,format=raw,if=ide,index=0 -boot d,
;   prints PASS; seabios.sh runs it under SeaBIOS on tandem)
	cpu	8086
	bits	16
	org	0
%include "eltorito.inc"

CYLS	equ	257
HEADS	equ	2
SPT	equ	5
SECTORS	equ	CYLS * HEADS * SPT
STAMP0	equ	10			; first stamped sector

; ---- sector 0 and blocks 16-19: the ISO volume and its boot catalog
	ELTORITO_VOLUME "TANDEM_CDHDD", 4, 6, 1

; ---- block 20: the emulated disk; its sector 0 at 07C0:0000 (offsets below from 7C00h)
IMG	equ	20 * BLOCK
%define A(x) (x - IMG + 0x7c00)

mbr:
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
	mov	word [A(lba)], 1
	mov	bx, 0x7e00
.next:	cmp	word [A(lba)], CODE_SECTORS + 1
	jae	.loaded
	mov	ax, [A(lba)]		; CHS on 2 heads, 5 sectors
	xor	dx, dx
	mov	cx, SPT
	div	cx
	inc	dl
	mov	cl, dl			; sector
	xor	dx, dx
	shr	ax, 1
	rcl	dh, 1			; head
	mov	ch, al			; cylinder
	mov	dl, [A(drive)]
	mov	ax, 0x0201
	push	bx
	int	0x13
	pop	bx
	jc	.dead
	add	bx, 512
	inc	word [A(lba)]
	jmp	.next
.dead:	mov	al, 'L'
	out	0xe9, al
	mov	al, 99
	out	0xf4, al
	cli
	hlt
.loaded:
	jmp	main
drive	db	0
lba	dw	0
	times	0x1be - ($ - mbr) db 0
	; partition 1: active, CHS 1/0/1 to 256/1/5, LBA 10, 2560 sectors
	db	0x80, 0, 1, 1
	db	0x06, 1, 5 | (256 >> 8) << 6, 256 & 0xff
	dd	STAMP0, SECTORS - STAMP0
	times	0x1fe - ($ - mbr) db 0
	dw	0xaa55

; ---- sectors 1-9: the rest of the guest
main:
	mov	si, A(msg_hello)
	call	puts
	cmp	byte [A(drive)], 0x80
	je	.t2
	mov	al, 1
	jmp	fail
.t2:	mov	ah, 0x08
	mov	dl, 0x80
	int	0x13
	jc	.bad2
	push	dx
	push	cx
	mov	si, A(msg_08)
	call	puts
	pop	ax
	push	ax
	call	puthex16
	mov	al, ' '
	out	0xe9, al
	mov	bp, sp
	mov	ax, [bp + 2]
	call	puthex16
	mov	al, 10
	out	0xe9, al
	pop	cx
	pop	dx
	mov	[A(geo)], ch
	mov	[A(geo) + 1], cl
	mov	[A(geo) + 2], dh
	cmp	dh, HEADS - 1
	jne	.bad2
	cmp	dl, 2
	je	.dl_ok
	cmp	dl, 3			; SeaBIOS counts the image twice here
	jne	.bad2
.dl_ok:	push	ds
	mov	ax, 0x40
	mov	ds, ax
	cmp	byte [0x75], 2		; BDA: the blank disk and the image
	pop	ds
	jne	.bad2
	mov	al, cl
	and	al, 0x3f
	cmp	al, SPT
	jne	.bad2
	mov	al, cl
	rol	al, 1
	rol	al, 1
	and	al, 3
	mov	ah, al
	mov	al, ch			; AX = last cylinder
	cmp	ax, CYLS - 1
	je	.t3
	cmp	ax, CYLS - 2
	je	.t3
.bad2:	mov	al, 2
	jmp	fail
.t3:	mov	ax, 0x1000
	mov	es, ax
	xor	bx, bx
	mov	ax, 0x0204		; 4 sectors at 1/0/1: LBA 10-13
	mov	cx, 0x0101
	mov	dx, 0x0080
	int	0x13
	jc	.bad3
	cmp	al, 4
	jne	.bad3
	xor	di, di
	mov	ax, STAMP0
.st:	call	stamp_ok
	jne	.bad3
	add	di, 512
	inc	ax
	cmp	ax, STAMP0 + 4
	jb	.st
	jmp	.t4
.bad3:	mov	al, 3
	jmp	fail
.t4:	xor	bx, bx			; 256/1/5: the last sector
	mov	ax, 0x0201
	mov	cx, 0x0045
	mov	dx, 0x0180
	int	0x13
	jc	.bad4
	xor	di, di
	mov	ax, SECTORS - 1
	call	stamp_ok
	je	.t5
.bad4:	mov	al, 4
	jmp	fail
.t5:	mov	ax, 0x0201		; sector 6
	mov	cx, 0x0006
	mov	dx, 0x0080
	int	0x13
	jnc	.bad5
	mov	ax, 0x0201		; head 2
	mov	cx, 0x0001
	mov	dx, 0x0280
	int	0x13
	jnc	.bad5
	mov	ax, 0x0201		; cylinder 257
	mov	cx, 0x0141
	mov	dx, 0x0080
	int	0x13
	jnc	.bad5
	jmp	.t6
.bad5:	mov	al, 5
	jmp	fail
.t6:	mov	ah, 0x15
	mov	dl, 0x80
	int	0x13
	jc	.bad6
	cmp	ah, 3
	jne	.bad6
	or	cx, cx
	jnz	.bad6
	cmp	dx, SECTORS
	je	.t7
	cmp	dx, SECTORS - HEADS * SPT
	je	.t7
.bad6:	mov	al, 6
	jmp	fail
.t7:	mov	ax, 0x1000
	mov	es, ax
	xor	bx, bx
	mov	ax, 0x0301
	mov	cx, 0x0001
	mov	dx, 0x0080
	int	0x13
	jnc	.bad7
	cmp	ah, 3
	je	.t8
.bad7:	mov	al, 7
	jmp	fail
.t8:	mov	ax, 0x4b01
	call	packet_ok		; AL = failure, 0 when good
	or	al, al
	jz	.t10
	jmp	fail
.t10:	mov	ah, 0x08
	mov	dl, 0x81
	int	0x13
	jc	.bad10
	mov	dl, 0x81
	call	sector0_zero
	je	.t11
.bad10:	mov	al, 10
	jmp	fail
.t11:	mov	ah, 0x08
	mov	dl, 0x82
	int	0x13
	jc	.t12
	mov	al, 11
	jmp	fail
.t12:	mov	ax, 0x1000
	mov	es, ax
	xor	bx, bx
	mov	ax, 0x0201
	mov	cx, 0x0001
	mov	dx, 0x0080
	int	0x13
	jc	.bad12
	push	ds
	mov	ax, 0x1000
	mov	ds, ax
	mov	si, 0x1be
	mov	di, 0x7c00 + 0x1be
	xor	ax, ax
	mov	es, ax
	mov	cx, 0x42 / 2
	repe	cmpsw
	pop	ds
	je	.t13
.bad12:	mov	al, 12
	jmp	fail
.t13:	mov	ax, 0x4b00
	call	packet_ok
	or	al, al
	jz	.t14
	mov	al, 13
	jmp	fail
.t14:	mov	dl, 0x80
	call	sector0_zero
	je	.pass
	mov	al, 14
	jmp	fail
.pass:	mov	si, A(msg_pass)
	call	puts
	xor	al, al
	out	0xf4, al
	cli
	hlt

; ZF when the sector at 1000:DI holds "HEMU" and LBA AX.
stamp_ok:
	push	ds
	push	bx
	mov	bx, 0x1000
	mov	ds, bx
	cmp	word [di], 'HE'
	jne	.r
	cmp	word [di + 2], 'MU'
	jne	.r
	cmp	[di + 4], ax
	jne	.r
	cmp	word [di + 6], 0
.r:	pop	bx
	pop	ds
	ret

; INT 13h AX (4B00h/4B01h) on drive 80h into the packet: AL = 0 when it is right,
; 8 (fields) or 9 (geometry bytes) otherwise.
packet_ok:
	mov	si, A(pkt)
	mov	cx, 0x13
	push	ax
	xor	ax, ax
	mov	es, ax
	mov	di, si
	mov	al, 0xee
	rep	stosb
	pop	ax
	mov	dl, 0x80
	int	0x13
	jc	.bad8
	cmp	byte [si], 0x13
	jne	.bad8
	cmp	byte [si + 1], 4
	jne	.bad8
	cmp	byte [si + 2], 0x80
	jne	.bad8
	cmp	byte [si + 3], 1
	jne	.bad8
	cmp	word [si + 4], 20
	jne	.bad8
	cmp	word [si + 6], 0
	jne	.bad8
	cmp	byte [si + 8], 0
	jne	.bad8
	cmp	word [si + 0x0c], 0x07c0
	jne	.bad8
	cmp	word [si + 0x0e], 1
	jne	.bad8
	; bytes 10h-12h: AH=08h's CH, CL, DH (tandem's CH = 256 & FFh: all cylinders)
	cmp	byte [si + 0x10], (CYLS - 1) & 0xff
	jne	.seabios
	mov	al, [A(geo) + 1]
	cmp	[si + 0x11], al
	jne	.seabios
	mov	al, [A(geo) + 2]
	cmp	[si + 0x12], al
	je	.ok
.seabios:			; or the partition entry's end head, sector, cylinder
	cmp	byte [si + 0x10], HEADS - 1
	jne	.bad9
	cmp	byte [si + 0x11], SPT | ((CYLS - 1) >> 8) << 6
	jne	.bad9
	cmp	byte [si + 0x12], (CYLS - 1) & 0xff
	jne	.bad9
.ok:	xor	al, al
	ret
.bad8:	mov	al, 8
	ret
.bad9:	mov	ax, [si + 0x10]		; show what came
	xchg	al, ah
	call	puthex16
	mov	al, [si + 0x12]
	mov	ah, ' '
	xchg	al, ah
	call	puthex16
	mov	al, 10
	out	0xe9, al
	mov	al, 9
	ret

; ZF when sector 0/0/1 of drive DL reads and its first 32 bytes are zero.
sector0_zero:
	mov	ax, 0x1000
	mov	es, ax
	xor	bx, bx
	mov	word [es:0], 0xffff
	mov	ax, 0x0201
	mov	cx, 0x0001
	mov	dh, 0
	int	0x13
	jc	.no
	xor	di, di
	mov	cx, 16
	xor	ax, ax
	repe	scasw
	ret
.no:	or	sp, sp			; ZF clear
	ret

fail:
	mov	bl, al
	mov	si, A(msg_fail)
	call	puts
	mov	al, bl
	aam
	add	ax, '00'
	xchg	al, ah
	out	0xe9, al
	mov	al, ah
	out	0xe9, al
	mov	al, 10
	out	0xe9, al
	mov	al, bl
	out	0xf4, al
	cli
	hlt

; AX in hex to the debug console.
puthex16:
	mov	cx, 4
.d:	rol	ax, 1
	rol	ax, 1
	rol	ax, 1
	rol	ax, 1
	push	ax
	and	al, 15
	add	al, '0'
	cmp	al, '9'
	jbe	.o
	add	al, 'A' - '9' - 1
.o:	out	0xe9, al
	pop	ax
	loop	.d
	ret

puts:
	lodsb
	or	al, al
	jz	.d
	out	0xe9, al
	jmp	puts
.d:	ret

geo		db	0, 0, 0
msg_hello	db	"bios_cdhdd", 10, 0
msg_08		db	"AH=08h on 80h: CX DX ", 0
msg_pass	db	"PASS", 10, 0
msg_fail	db	"FAIL ", 0
pkt		times 0x13 db 0

	align	512, db 0
code_end:
CODE_SECTORS	equ	(code_end - main) / 512
%if CODE_SECTORS > STAMP0 - 1
%error guest code overlaps the stamped sectors
%endif
	times	IMG + STAMP0 * 512 - ($ - $$) db 0
; ---- sectors 10-2569: "HEMU" and the sector's LBA
%assign n STAMP0
%rep SECTORS - STAMP0
	db	"HEMU"
	dd	n
	times	504 db 0
%assign n n + 1
%endrep

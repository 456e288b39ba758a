; bios_disk: INT 13h on the hard disk 80h (a blank 2880-sector disk on the IDE primary
; master). AH=08h (a disk, sane geometry), AH=41h (EDD present, 42h-44h/48h supported),
; AH=48h with a 42h-byte buffer (2880 sectors of 512 bytes; the EDD 3.0 device path
; checksum when the key BEDDh is there), AH=43h writes three pattern sectors at LBA 100,
; AH=42h reads them back, AH=02h reads LBA 101 through the CHS address that AH=08h's
; geometry gives and must see the same bytes, AH=44h verifies them, and AH=42h past the
; end of the disk fails.
; expect-status: 1
; guest-hdd: yes
; oracle: qemu bochs
; oracle-compare: status
%include "lib.inc"

BUF	equ	0x9000			; 3 sectors written from here
BUF2	equ	0xa000			; read back here
BUF3	equ	0xb000			; CHS read here
PARAMS	equ	0x7000

main:
	PRINT	"bios_disk", 10
	mov	ah, 0x08
	mov	dl, 0x80
	int	0x13
	jc	.bad1
	cmp	dl, 1			; number of hard disks
	jb	.bad1
	mov	al, cl
	and	al, 0x3f
	jz	.bad1
	mov	[spt], al
	inc	dh
	mov	[heads], dh
	PRINT	"heads "
	mov	al, dh
	xor	ah, ah
	call	putdec
	PRINT	" sectors "
	mov	al, [spt]
	call	putdec
	call	nl
	mov	ah, 0x41
	mov	bx, 0x55aa
	mov	dl, 0x80
	int	0x13
	jc	.bad2
	cmp	bx, 0xaa55
	jne	.bad2
	test	cl, 1
	jz	.bad2
	PRINT	"EDD version "
	mov	al, ah
	call	puthex8
	call	nl
	; 48h: parameters
	mov	si, PARAMS
	mov	word [si], 0x42
	mov	ah, 0x48
	mov	dl, 0x80
	int	0x13
	jc	.bad3
	cmp	word [si + 16], 2880
	jne	.bad3
	cmp	word [si + 18], 0
	jne	.bad3
	cmp	word [si + 24], 512
	jne	.bad3
	cmp	word [si], 0x1e
	jb	.bad3
	cmp	word [si], 0x42
	jb	.nodp
	cmp	word [si + 0x1e], 0xbedd
	jne	.nodp
	xor	al, al			; device path checksum 1Eh-41h
	mov	bx, 0x1e
.dp:	add	al, [si + bx]
	inc	bx
	cmp	bx, 0x42
	jb	.dp
	or	al, al
	jnz	.bad3
	PRINT	"EDD 3.0 device path ok", 10
.nodp:
	; the pattern: byte i of sector s = i * 7 + s
	mov	di, BUF
	xor	cx, cx
.fill:	mov	ax, cx
	mov	bl, 7
	mul	bl
	mov	bx, cx
	shr	bx, 1			; sector number = cx / 512 (cx < 1536)
	mov	bl, bh
	shr	bl, 1
	add	al, bl
	mov	[di], al
	inc	di
	inc	cx
	cmp	cx, 1536
	jb	.fill
	mov	ah, 0x43		; write LBA 100-102
	mov	al, 0
	mov	word [dap + 2], 3
	mov	word [dap + 4], BUF
	mov	word [dap + 8], 100
	call	ext
	jc	.bad4
	cmp	word [dap + 2], 3
	jne	.bad4
	mov	ah, 0x42
	mov	word [dap + 2], 3
	mov	word [dap + 4], BUF2
	call	ext
	jc	.bad5
	mov	si, BUF
	mov	di, BUF2
	mov	cx, 768
	repe	cmpsw
	jne	.bad5
	; CHS of LBA 101: sector = 101 mod spt + 1, head = (101 / spt) mod heads,
	; cylinder = 101 / spt / heads
	mov	ax, 101
	mov	bl, [spt]
	div	bl			; AL = track, AH = sector - 1
	mov	cl, ah
	inc	cl
	xor	ah, ah
	mov	bl, [heads]
	div	bl			; AL = cylinder, AH = head
	mov	ch, al
	mov	dh, ah
	mov	dl, 0x80
	mov	bx, BUF3
	mov	ax, 0x0201
	int	0x13
	jc	.bad6
	mov	si, BUF + 512
	mov	di, BUF3
	mov	cx, 256
	repe	cmpsw
	jne	.bad6
	mov	ah, 0x44		; verify
	mov	word [dap + 2], 3
	call	ext
	jc	.bad7
	mov	ah, 0x42		; past the end
	mov	word [dap + 2], 1
	mov	word [dap + 8], 2880
	call	ext
	jnc	.bad8
	jmp	pass
.bad1:	FAIL	1
.bad2:	FAIL	2
.bad3:	FAIL	3
.bad4:	FAIL	4
.bad5:	FAIL	5
.bad6:	FAIL	6
.bad7:	FAIL	7
.bad8:	FAIL	8

ext:				; AH = 42h/43h/44h with the packet below
	mov	si, dap
	mov	dl, 0x80
	mov	al, 0
	int	0x13
	ret

spt	db	0
heads	db	0
	align	4
dap	db	0x10, 0
	dw	0			; count
	dw	0, 0			; buffer offset, segment
	dd	0, 0			; LBA

%include "tail.inc"

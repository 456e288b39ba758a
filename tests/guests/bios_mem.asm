; bios_mem: the INT 15h memory services on an AT. AH=88h and AX=E801h must agree
; (E801h AX = min(88h, 15 MiB), CX = AX, DX = BX); on a 386 or later, the E820h map must
; start with usable RAM at 0, keep 9FC00h-FFFFFh out of usable RAM, end with EBX = 0,
; and its usable RAM above 1 MiB must be within 1 MiB of what E801h reports. On a 286
; or later, AH=87h copies a pattern to 2 MiB and back through protected mode (on a 286
; our BIOS returns through a CPU reset with CMOS shutdown code 09h) and leaves A20 as
; it was. QEMU and Bochs run it as a 386+ (SeaBIOS, Bochs
; BIOS), which also checks E820h. On tandem it runs as an 80386 (E820h, the 386 path of
; 87h); the 80286 model cannot start the BIOS yet (its reset fetch at FFFFF0h finds RAM,
; not the ROM), so the 286 path (CPU reset with shutdown code 09h) is not covered here.
; tandem-args: --cpu 80386 -m 16M
; requires-cpu: 80386
; expect-status: 1
; oracle: qemu bochs
; oracle-compare: status
%include "lib.inc"

BUF_A	equ	0x2000			; 0000:2000 pattern, 0000:3000 read back
BUF_B	equ	0x3000
WORDS	equ	0x400			; 2 KiB
DEST	equ	0x200000		; 2 MiB

main:
	PRINT	"bios_mem", 10
	call	cpu_type
	mov	[cpu_class], al
	PRINT	"cpu class: "
	call	puthex8
	call	nl
	mov	ah, 0x88
	int	0x15
	jc	.bad1
	mov	[kb88], ax
	PRINT	"88h KiB: "
	call	putdec
	call	nl
	mov	ax, 0xe801
	xor	bx, bx
	xor	cx, cx
	xor	dx, dx
	int	0x15
	jc	.bad2
	cmp	ax, cx
	jne	.bad3
	cmp	bx, dx
	jne	.bad3
	mov	[e801_lo], ax
	mov	[e801_hi], bx
	PRINT	"E801h KiB 1-16M: "
	call	putdec
	PRINT	", 64K blocks above 16M: "
	mov	ax, bx
	call	putdec
	call	nl
	mov	ax, [kb88]		; 88h is E801h's low part, uncapped
	cmp	ax, 0x3c00
	jbe	.c88
	mov	ax, 0x3c00
.c88:	cmp	ax, [e801_lo]
	jne	.bad4
	cmp	byte [cpu_class], 2
	jb	.no386
	call	test_e820
	PRINT	"E820h ok", 10
.no386:
	cmp	byte [cpu_class], 1
	jb	.done
	call	test_87
	PRINT	"87h ok", 10
.done:
	jmp	pass
.bad1:	FAIL	1
.bad2:	FAIL	2
.bad3:	FAIL	3
.bad4:	FAIL	4

; AL = 0 for an 8086/80186, 1 for a 286, 2 for a 386 or later.
cpu_type:
	pushf
	xor	ax, ax
	push	ax
	popf
	pushf
	pop	ax
	and	ax, 0xf000
	cmp	ax, 0xf000
	je	.i86
	mov	ax, 0x7000
	push	ax
	popf
	pushf
	pop	ax
	popf
	test	ax, 0x7000
	mov	al, 1
	jz	.r
	mov	al, 2
.r:	ret
.i86:	popf
	xor	al, al
	ret

	cpu	386
test_e820:
	xor	ebx, ebx
	mov	di, e820_buf
	xor	si, si			; entries seen
	mov	dword [usable_hi], 0
.next:
	mov	eax, 0xe820
	mov	edx, 0x534d4150
	mov	ecx, 20
	int	0x15
	jc	.bad10
	cmp	eax, 0x534d4150
	jne	.bad11
	cmp	ecx, 20
	jb	.bad11
	push	ebx
	call	show_entry
	call	check_entry
	pop	ebx
	inc	si
	cmp	si, 64
	ja	.bad12
	or	ebx, ebx
	jnz	.next
	cmp	si, 3
	jb	.bad12
	cmp	byte [seen_zero], 1
	jne	.bad13
	; usable bytes above 1 MiB versus E801h's total
	movzx	eax, word [e801_lo]
	shl	eax, 10
	movzx	edx, word [e801_hi]
	shl	edx, 16
	add	eax, edx
	mov	edx, [usable_hi]
	cmp	edx, eax
	ja	.bad14
	add	edx, 0x100000
	cmp	edx, eax
	jb	.bad14
	ret
.bad10:	FAIL	10
.bad11:	FAIL	11
.bad12:	FAIL	12
.bad13:	FAIL	13
.bad14:	FAIL	14

show_entry:
	mov	ax, [di + 6]
	call	puthex16
	mov	ax, [di + 4]
	call	puthex16
	mov	ax, [di + 2]
	call	puthex16
	mov	ax, [di]
	call	puthex16
	mov	al, ' '
	call	putc
	mov	ax, [di + 14]
	call	puthex16
	mov	ax, [di + 12]
	call	puthex16
	mov	ax, [di + 10]
	call	puthex16
	mov	ax, [di + 8]
	call	puthex16
	mov	al, ' '
	call	putc
	mov	al, [di + 16]
	call	puthex8
	call	nl
	ret

; One entry at DI: usable RAM must not overlap 9FC00h-FFFFFh; count usable
; bytes above 1 MiB (below 4 GiB).
check_entry:
	cmp	dword [di + 16], 1
	jne	.r
	cmp	dword [di + 12], 0	; over 4 GiB long: not on these machines
	jne	.bad15
	cmp	dword [di + 4], 0
	jne	.r
	mov	eax, [di]
	or	eax, eax
	jnz	.nz
	mov	byte [seen_zero], 1
	cmp	dword [di + 8], 0x80000	; at least 512 KiB at 0
	jb	.bad15
.nz:	mov	edx, eax
	add	edx, [di + 8]		; end
	cmp	eax, 0x100000
	jae	.hi
	cmp	edx, 0x9fc00		; low RAM must end by the EBDA
	ja	.bad16
	ret
.hi:	mov	edx, [di + 8]
	add	[usable_hi], edx
.r:	ret
.bad15:	FAIL	15
.bad16:	FAIL	16
	cpu	8086

; AH=87h: BUF_A -> DEST -> BUF_B, compare.
test_87:
	in	al, 0x92
	and	al, 2
	mov	[a20], al
	mov	di, BUF_A		; pattern: word i = i * 3 + 1
	mov	cx, WORDS
	xor	ax, ax
.fill:	mov	bx, ax
	add	bx, ax
	add	bx, ax
	inc	bx
	mov	[di], bx
	add	di, 2
	inc	ax
	loop	.fill
	mov	di, BUF_B		; the read-back buffer starts out different
	mov	cx, WORDS
	mov	ax, 0xdead
	rep	stosw
	mov	ax, BUF_A
	mov	dx, DEST >> 16
	mov	bx, DEST & 0xffff
	call	move_to
	jc	.bad20
	mov	ax, BUF_B
	call	move_from
	jc	.bad21
	mov	si, BUF_A
	mov	di, BUF_B
	mov	cx, WORDS
	repe	cmpsw
	jne	.bad22
	in	al, 0x92
	and	al, 2
	cmp	al, [a20]
	jne	.bad23
	ret
.bad20:	FAIL	20
.bad21:	FAIL	21
.bad22:	FAIL	22
.bad23:	FAIL	23

; Descriptor at DI: limit FFFFh, base DX:BX (24 bits), data read/write.
set_desc:
	mov	word [di], 0xffff
	mov	[di + 2], bx
	mov	[di + 4], dl
	mov	byte [di + 5], 0x93
	mov	word [di + 6], 0
	ret

move_to:			; AX = low buffer offset (segment 0), DX:BX = destination
	push	ax
	call	clear_gdt
	mov	di, gdt + 0x18
	call	set_desc
	pop	bx
	xor	dx, dx
	mov	di, gdt + 0x10
	call	set_desc
	jmp	do_move
move_from:			; AX = low buffer offset, from DEST
	push	ax
	call	clear_gdt
	mov	dx, DEST >> 16
	mov	bx, DEST & 0xffff
	mov	di, gdt + 0x10
	call	set_desc
	pop	bx
	xor	dx, dx
	mov	di, gdt + 0x18
	call	set_desc
do_move:
	push	ds
	pop	es
	mov	si, gdt
	mov	cx, WORDS
	mov	ah, 0x87
	int	0x15
	jc	.r
	or	ah, ah
	jz	.r
	stc
.r:	ret

clear_gdt:
	mov	di, gdt
	mov	cx, 24
	xor	ax, ax
	push	ds
	pop	es
	rep	stosw
	ret

cpu_class	db	0
a20		db	0
seen_zero	db	0
kb88		dw	0
e801_lo		dw	0
e801_hi		dw	0
usable_hi	dd	0
	align	8
gdt		times 48 db 0
e820_buf	times 24 db 0

%include "tail.inc"

; bios_pci: the INT 1Ah PCI BIOS. On a 386 or later: B101h installation check ("PCI ",
; mechanism #1, version >= 2.0), B102h finds the PIIX3 ISA bridge (8086:7000), B103h
; finds the VGA (class 030000h), B10Ah/B109h read its BAR 0 and command register (memory
; decoding on, a BAR assigned at POST), B10Bh/B108h write and read back the VGA's
; interrupt-line byte, a bad vendor (FFFFh) fails (AH=83h, or 86h as SeaBIOS says), a missing device AH=86h, and
; VBE 4F01h reports BAR 0 as the linear framebuffer. On an 8086/80186 (tandem's default
; at CPU) the PCI BIOS must be absent: B101h returns CF=1 or AH!=0. Run on tandem as an
; 80386.
; tandem-args: --cpu 80386
; requires-cpu: 80386
; expect-status: 1
; oracle: qemu
; oracle-compare: status
%include "lib.inc"

MODE	equ	0x1200

main:
	PRINT	"bios_pci", 10
	pushf				; 8086/80186: FLAGS bits 12-15 stay set
	xor	ax, ax
	push	ax
	popf
	pushf
	pop	ax
	popf
	and	ax, 0xf000
	cmp	ax, 0xf000
	jne	.is286
	mov	ax, 0xb101
	int	0x1a
	jc	.absent
	or	ah, ah
	jnz	.absent
	FAIL	1
.absent:
	PRINT	"8086-class CPU: no PCI BIOS", 10
	jmp	pass
.is286:
	mov	ax, 0x7000		; a 286 cannot set IOPL/NT in real mode
	push	ax
	popf
	pushf
	pop	ax
	test	ax, 0x7000
	jnz	test386
	PRINT	"286: not tested", 10
	jmp	pass

	cpu	386
test386:
	mov	ax, 0xb101
	xor	edi, edi
	int	0x1a
	jc	.bad2
	or	ah, ah
	jnz	.bad2
	cmp	edx, 0x20494350
	jne	.bad2
	test	al, 1
	jz	.bad2
	cmp	bx, 0x0200
	jb	.bad2
	PRINT	"PCI BIOS version "
	mov	ax, bx
	call	puthex16
	call	nl
	mov	ax, 0xb102		; PIIX3 ISA bridge
	mov	cx, 0x7000
	mov	dx, 0x8086
	xor	si, si
	int	0x1a
	jc	.bad3
	or	ah, ah
	jnz	.bad3
	PRINT	"PIIX3 at "
	mov	ax, bx
	call	puthex16
	call	nl
	mov	ax, 0xb102		; a second PIIX3: none
	mov	cx, 0x7000
	mov	dx, 0x8086
	mov	si, 1
	int	0x1a
	jnc	.bad4
	cmp	ah, 0x86
	jne	.bad4
	mov	ax, 0xb102		; bad vendor
	mov	cx, 0x1234
	mov	dx, 0xffff
	xor	si, si
	int	0x1a
	jnc	.bad5
	cmp	ah, 0x83		; ours; SeaBIOS says 86h (not found)
	je	.v_ok
	cmp	ah, 0x86
	jne	.bad5
.v_ok:
	mov	ax, 0xb103		; the VGA
	mov	ecx, 0x030000
	xor	si, si
	int	0x1a
	jc	.bad6
	mov	[vga], bx
	mov	ax, 0xb10a
	mov	di, 0x10
	int	0x1a
	jc	.bad7
	mov	[bar0], ecx
	PRINT	"VGA BAR0 "
	mov	eax, ecx
	shr	eax, 16
	call	puthex16
	mov	ax, cx
	call	puthex16
	call	nl
	and	ecx, 0xfffffff0
	jz	.bad7
	mov	ax, 0xb109
	mov	di, 0x04
	int	0x1a
	jc	.bad8
	test	cl, 0x02		; memory space enabled
	jz	.bad8
	mov	ax, 0xb108		; interrupt line: write, read back, restore
	mov	di, 0x3c
	int	0x1a
	jc	.bad9
	mov	[line], cl
	mov	ax, 0xb10b
	mov	cl, 0x5a
	int	0x1a
	jc	.bad9
	mov	ax, 0xb108
	xor	cl, cl
	int	0x1a
	cmp	cl, 0x5a
	jne	.bad9
	mov	ax, 0xb10b
	mov	cl, [line]
	int	0x1a
	; VBE: the framebuffer is BAR 0
	mov	di, MODE
	mov	ax, 0x4f01
	mov	cx, 0x111
	int	0x10
	cmp	ax, 0x004f
	jne	.bad10
	mov	eax, [bar0]
	and	eax, 0xfffffff0
	cmp	eax, [MODE + 0x28]
	jne	.bad10
	jmp	pass
.bad2:	FAIL	2
.bad3:	FAIL	3
.bad4:	FAIL	4
.bad5:	FAIL	5
.bad6:	FAIL	6
.bad7:	FAIL	7
.bad8:	FAIL	8
.bad9:	FAIL	9
.bad10:	FAIL	10
	cpu	8086

vga	dw	0
line	db	0
	align	4
bar0	dd	0

%include "tail.inc"

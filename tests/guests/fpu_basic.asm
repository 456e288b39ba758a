; fpu_basic: the x87 seen from real mode on a CPU with a built-in FPU.  Detection the
; classic way (FNINIT, FNSTSW to a word preset to 5A5Ah must give 0, FNSTCW 037Fh) and
; INT 11h bit 1; -2/3 (FIDIV) and sqrt(2) (FSQRT) under every precision control (24, 53,
; 64 bits) and rounding control, stored with FSTP m80 and compared with values computed
; exactly (fpu_basic_gen.py); FISTP of 2.5, -2.5 and 3.5 under each rounding control;
; FBSTP of -123456789012345678; FSAVE/FRSTOR with 16- and 32-bit operand size: control,
; status and tag words in the image, FINIT after FSAVE, registers back after FRSTOR.
; tandem-args: --cpu 80486
; expect-status: 1
; expect-debugcon: fpu_basic.debugcon
; oracle: qemu bochs
%include "lib.inc"
	cpu	486

main:
	PRINT	"fpu_basic", 10
	call	test_detect
	PRINT	"detect ok", 10
	call	test_arith
	PRINT	"arith ok", 10
	call	test_fist
	PRINT	"fist ok", 10
	call	test_fbstp
	PRINT	"fbstp ok", 10
	mov	word [save_osz], 0	; 16-bit image
	call	test_fsave
	PRINT	"fsave16 ok", 10
	mov	word [save_osz], 1
	call	test_fsave
	PRINT	"fsave32 ok", 10
	jmp	pass

test_detect:
	fninit
	mov	word [tmp], 0x5a5a
	fnstsw	[tmp]
	cmp	word [tmp], 0
	CHECK	e, 1
	mov	word [tmp], 0x5a5a
	fnstcw	[tmp]
	cmp	word [tmp], 0x037f
	CHECK	e, 2
	int	0x11
	test	al, 2
	CHECK	nz, 3
	ret

; cw for row i: all exceptions masked, PC and RC from the loop counters.
test_arith:
	mov	si, arith_table
	xor	bp, bp			; bp = index into pc_list
.pc:	xor	dx, dx			; dx = rounding control 0..3
.rc:	mov	al, [pc_list + bp]
	mov	ah, dl
	shl	ah, 1
	shl	ah, 1
	or	ah, al
	mov	al, 0x7f
	mov	[tmp], ax
	fninit
	fldcw	[tmp]
	fild	word [minus2]
	fidiv	word [three]
	fstp	tword [res]
	call	cmp10
	CHECK	e, 10
	fild	word [two]
	fsqrt
	fstp	tword [res]
	call	cmp10
	CHECK	e, 11
	inc	dx
	cmp	dx, 4
	jb	.rc
	inc	bp
	cmp	bp, 3
	jb	.pc
	ret

; cmp10: 10 bytes at res against [si]; si advances; ZF set when equal.  Prints the
; result bytes when they differ.
cmp10:
	push	cx
	push	di
	mov	di, res
	mov	cx, 10
	repe	cmpsb
	je	.ok
	add	si, cx
	push	ax
	mov	cx, 10
	mov	di, res + 9
.p:	mov	al, [di]
	call	puthex8
	dec	di
	loop	.p
	call	nl
	pop	ax
	or	cx, 1			; ZF clear
.ok:	pop	di
	pop	cx
	ret

test_fist:
	mov	si, fist_expect
	xor	dx, dx
.rc:	mov	ah, dl
	shl	ah, 1
	shl	ah, 1
	or	ah, 3
	mov	al, 0x7f
	mov	[tmp], ax
	fninit
	fldcw	[tmp]
	xor	bx, bx
.v:	fld	dword [fist_in + bx]
	fistp	word [res]
	lodsw
	cmp	ax, [res]
	CHECK	e, 20
	add	bx, 4
	cmp	bx, 12
	jb	.v
	inc	dx
	cmp	dx, 4
	jb	.rc
	ret

test_fbstp:
	fninit
	fild	qword [big]
	fbstp	tword [res]
	mov	si, bcd_expect
	call	cmp10
	CHECK	e, 30
	fnstsw	ax
	test	ax, 0x3800		; TOP back to 0
	CHECK	z, 31
	ret

; FSAVE with the operand size in [save_osz]: 0 = 16-bit image (94 bytes, words at
; 0/2/4, registers at 14), 1 = 32-bit image (108 bytes, dwords, registers at 28).
test_fsave:
	fninit
	fldcw	[cw_027f]
	fld1
	fldpi
	fldz
	mov	di, image
	mov	cx, 108 / 2
	mov	ax, 0xeeee
	rep	stosw
	cmp	word [save_osz], 0
	jne	.s32
	fsave	[image]
	mov	bx, 2
	mov	di, image + 14
	jmp	.saved
.s32:	o32 fsave [image]
	mov	bx, 4
	mov	di, image + 28
.saved:	fnstcw	[tmp]			; FSAVE ends with FNINIT
	cmp	word [tmp], 0x037f
	CHECK	e, 40
	fnstsw	ax
	cmp	ax, 0
	CHECK	e, 41
	cmp	word [image], 0x027f
	CHECK	e, 42
	cmp	word [image + bx], 0x2800	; TOP = 5, no flags
	CHECK	e, 43
	add	bx, bx
	cmp	word [image + bx], 0x07ff	; R7 R6 valid, R5 zero, rest empty
	CHECK	e, 44
	mov	si, di			; ST0 in the image: +0
	mov	di, zero80
	mov	cx, 10
	repe	cmpsb
	CHECK	e, 45
	mov	di, pi80		; ST1 follows
	mov	cx, 10
	repe	cmpsb
	CHECK	e, 46
	cmp	word [save_osz], 0
	jne	.r32
	frstor	[image]
	jmp	.rest
.r32:	o32 frstor [image]
.rest:	fnstcw	[tmp]
	cmp	word [tmp], 0x027f
	CHECK	e, 47
	fnstsw	ax
	cmp	ax, 0x2800
	CHECK	e, 48
	fstp	tword [res]
	mov	si, zero80
	call	cmp10
	CHECK	e, 49
	fstp	tword [res]
	mov	si, pi80
	call	cmp10
	CHECK	e, 50
	fstp	tword [res]
	mov	si, one80
	call	cmp10
	CHECK	e, 51
	ret

	align	4
tmp	dw	0
save_osz dw	0
minus2	dw	-2
three	dw	3
two	dw	2
cw_027f	dw	0x027f
pc_list	db	0, 2, 3
	align	4
fist_in	dd	2.5, -2.5, 3.5
; nearest, down, up, zero
fist_expect dw	2, -2, 4,  2, -3, 3,  3, -2, 4,  2, -2, 3
big	dq	-123456789012345678
bcd_expect db	0x78, 0x56, 0x34, 0x12, 0x90, 0x78, 0x56, 0x34, 0x12, 0x80
zero80	db	0, 0, 0, 0, 0, 0, 0, 0, 0, 0
pi80	db	0x35, 0xc2, 0x68, 0x21, 0xa2, 0xda, 0x0f, 0xc9, 0x00, 0x40
one80	db	0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f
; -2/3 then sqrt(2) for pc 24, 53, 64 bits x rc nearest, down, up, zero
arith_table:
%include "fpu_basic_table.inc"
res	times 10 db 0
	align	4
image	times 108 db 0

%include "tail.inc"

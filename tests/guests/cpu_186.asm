; cpu_186: the instructions the 80186 added to the 8086: PUSHA/POPA, ENTER/LEAVE (nesting
; levels 0, 1 and 3), BOUND in range and out of range (INT 5 pushes the address of the
; BOUND itself), three-operand IMUL with imm8/imm16, shifts and rotates by an immediate,
; shift counts masked to 5 bits, PUSH imm8/imm16, OUTSB to the debug console and INSB from
; the PIC mask register. The 386 and later are a superset, so QEMU and Bochs run it too.
; tandem-args: --cpu 80186
; expect-status: 1
; expect-debugcon: cpu_186.debugcon
; oracle: qemu bochs
%include "lib.inc"
	cpu	186

main:
	PRINT	"cpu_186", 10
	call	test_pusha
	PRINT	"pusha/popa ok", 10
	call	test_enter
	PRINT	"enter/leave ok", 10
	call	test_bound
	PRINT	"bound ok", 10
	call	test_imul
	PRINT	"imul imm ok", 10
	call	test_shifts
	PRINT	"shift imm ok", 10
	call	test_push_imm
	PRINT	"push imm ok", 10
	call	test_string_io
	PRINT	"ins/outs ok", 10
	jmp	pass

test_pusha:
	mov	ax, 0x1111
	mov	cx, 0x2222
	mov	dx, 0x3333
	mov	bx, 0x4444
	mov	bp, 0x6666
	mov	si, 0x7777
	mov	di, 0x8888
	mov	[.sp0], sp
	pusha
	mov	bp, sp
	mov	ax, [.sp0]
	sub	ax, 16
	cmp	bp, ax
	jne	.bad
	; from the top of the stack: DI SI BP SP BX DX CX AX
	cmp	word [bp + 0], 0x8888
	jne	.bad
	cmp	word [bp + 2], 0x7777
	jne	.bad
	cmp	word [bp + 4], 0x6666
	jne	.bad
	mov	ax, [.sp0]		; the SP before PUSHA
	cmp	[bp + 6], ax
	jne	.bad
	cmp	word [bp + 8], 0x4444
	jne	.bad
	cmp	word [bp + 10], 0x3333
	jne	.bad
	cmp	word [bp + 12], 0x2222
	jne	.bad
	cmp	word [bp + 14], 0x1111
	jne	.bad
	mov	word [bp + 6], 0x1234	; POPA skips the saved SP
	xor	ax, ax
	mov	bx, ax
	mov	cx, ax
	mov	dx, ax
	mov	si, ax
	mov	di, ax
	popa
	cmp	sp, [.sp0]
	jne	.bad
	cmp	ax, 0x1111
	jne	.bad
	cmp	cx, 0x2222
	jne	.bad
	cmp	dx, 0x3333
	jne	.bad
	cmp	bx, 0x4444
	jne	.bad
	cmp	bp, 0x6666
	jne	.bad
	cmp	si, 0x7777
	jne	.bad
	cmp	di, 0x8888
	jne	.bad
	ret
.bad:	FAIL	2
.sp0	dw	0

test_enter:
	mov	[.sp0], sp
	mov	bp, 0xabcd
	enter	8, 0			; push bp; bp = sp; sp -= 8
	mov	ax, [.sp0]
	sub	ax, 2
	cmp	bp, ax
	jne	.bad3
	sub	ax, 8
	cmp	sp, ax
	jne	.bad3
	cmp	word [bp], 0xabcd
	jne	.bad3
	leave
	cmp	sp, [.sp0]
	jne	.bad4
	cmp	bp, 0xabcd
	jne	.bad4
	; nesting: an outer frame at level 1, then an inner one at level 3 copies two
	; frame pointers from the outer display and pushes its own
	enter	4, 1			; push bp; push frame; bp = frame; sp -= 4
	mov	[.outer], bp
	mov	ax, [.sp0]
	sub	ax, 2
	cmp	bp, ax
	jne	.bad5
	cmp	word [bp - 2], ax	; level 1 pushes the new frame pointer
	jne	.bad5
	mov	word [bp - 4], 0x5151	; a local of the outer frame
	enter	2, 3
	mov	ax, [.outer]
	cmp	word [bp], ax		; saved BP = outer frame
	jne	.bad6
	mov	ax, [.outer]		; copied: [outer-2] (outer's own display entry) ...
	cmp	word [bp - 2], ax
	jne	.bad6
	mov	ax, [.outer]		; ... and [outer-4]
	mov	bx, ax
	mov	ax, [bx - 4]
	cmp	word [bp - 4], ax
	jne	.bad6
	cmp	word [bp - 6], bp	; then the new frame pointer
	jne	.bad6
	lea	ax, [bp - 8]
	cmp	sp, ax
	jne	.bad6
	leave
	cmp	bp, [.outer]
	jne	.bad7
	leave
	cmp	sp, [.sp0]
	jne	.bad7
	cmp	bp, 0xabcd
	jne	.bad7
	ret
.bad3:	FAIL	3
.bad4:	FAIL	4
.bad5:	FAIL	5
.bad6:	FAIL	6
.bad7:	FAIL	7
.sp0	dw	0
.outer	dw	0

bounds	dw	-10, 100
b5_hits	dw	0
b5_ip	dw	0
b5_resume dw	0

int5:
	pop	word [b5_ip]
	add	sp, 4			; CS, FLAGS
	inc	word [b5_hits]
	sti
	jmp	word [b5_resume]

test_bound:
	cli
	mov	word [5 * 4], int5
	mov	word [5 * 4 + 2], 0
	sti
	mov	ax, -10
	bound	ax, [bounds]
	mov	ax, 100
	bound	ax, [bounds]
	mov	ax, 0
	bound	ax, [bounds]
	cmp	word [b5_hits], 0
	jne	.bad8
	mov	word [b5_resume], .r1
	mov	ax, 101
.b1:	bound	ax, [bounds]
	FAIL	9
.r1:	cmp	word [b5_ip], .b1	; the 186 and later push the BOUND's address
	jne	.bad9
	mov	word [b5_resume], .r2
	mov	ax, -11
.b2:	bound	ax, [bounds]
	FAIL	9
.r2:	cmp	word [b5_ip], .b2
	jne	.bad9
	cmp	word [b5_hits], 2
	jne	.bad9
	ret
.bad8:	FAIL	8
.bad9:	FAIL	9

test_imul:
	mov	bx, 1234
	imul	ax, bx, 56		; 69104 = 10DF0h: truncated, CF=OF=1
	jno	.bad10
	jnc	.bad10
	cmp	ax, 0x0df0
	jne	.bad10
	mov	dx, -300
	imul	cx, dx, 100		; -30000 fits: CF=OF=0
	jo	.bad10
	jc	.bad10
	cmp	cx, -30000
	jne	.bad10
	mov	si, 7
	imul	si, -3			; imm8 sign-extended
	cmp	si, -21
	jne	.bad10
	mov	word [.mem], -1000
	imul	di, [.mem], 1000	; -1000000 = FFF0BDC0h: low word BDC0h, OF=1
	jno	.bad10
	cmp	di, 0xbdc0
	jne	.bad10
	ret
.bad10:	FAIL	10
.mem	dw	0

test_shifts:
	mov	ax, 0x8421
	shl	ax, 5
	jc	.bad11			; the last bit out is bit 11 of 8421h: 0
	cmp	ax, 0x8420
	jne	.bad11
	mov	bl, 0x90
	sar	bl, 3
	cmp	bl, 0xf2
	jne	.bad11
	mov	dx, 0x1234
	rol	dx, 4
	cmp	dx, 0x2341
	jne	.bad11
	mov	dx, 0x1234
	ror	dx, 8
	cmp	dx, 0x3412
	jne	.bad11
	stc
	mov	cl, 0x80
	rcr	cl, 2			; 9-bit rotate of CF:80h right by 2
	cmp	cl, 0x60
	jne	.bad11
	mov	word [.mem], 0x00ff
	shr	word [.mem], 4
	jnc	.bad11			; bit 3 went out last
	cmp	word [.mem], 0x000f
	jne	.bad11
	mov	ax, 1			; counts are masked to 5 bits: 33 shifts by 1
	mov	cl, 33
	shl	ax, cl
	cmp	ax, 2
	jne	.bad12
	mov	ax, 0x8000
	shr	ax, 35			; immediate counts are masked too: 3
	cmp	ax, 0x1000
	jne	.bad12
	ret
.bad11:	FAIL	11
.bad12:	FAIL	12
.mem	dw	0

test_push_imm:
	mov	bx, sp
	push	word 0x1234
	push	byte -5			; 6Ah: sign-extended to FFFBh
	pop	ax
	pop	cx
	cmp	bx, sp
	jne	.bad
	cmp	ax, 0xfffb
	jne	.bad
	cmp	cx, 0x1234
	jne	.bad
	ret
.bad:	FAIL	13

outs_msg	db	"outsb to port e9", 10
OUTS_LEN	equ	$ - outs_msg

test_string_io:
	mov	si, outs_msg
	mov	cx, OUTS_LEN
	mov	dx, 0xe9
	rep outsb
	cmp	si, outs_msg + OUTS_LEN
	jne	.bad14
	or	cx, cx
	jnz	.bad14
	cli
	in	al, 0x21		; INSB reads the PIC mask register we set
	mov	[.imr], al
	mov	al, 0xba
	out	0x21, al
	mov	di, .buf
	mov	cx, 4
	mov	dx, 0x21
	rep insb
	mov	al, [.imr]
	out	0x21, al
	sti
	cmp	di, .buf + 4
	jne	.bad15
	cmp	word [.buf], 0xbaba
	jne	.bad15
	cmp	word [.buf + 2], 0xbaba
	jne	.bad15
	ret
.bad14:	FAIL	14
.bad15:	FAIL	15
.imr	db	0
.buf	db	0, 0, 0, 0

%include "tail.inc"

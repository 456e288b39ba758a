; bios_smbios: the SMBIOS 2.x entry point in F0000h-FFFFFh (16-byte steps): "_SM_" with a
; good checksum over its length, "_DMI_" with a good intermediate checksum, version 2.x;
; when the structure table is below 1 MiB (ours; SeaBIOS keeps it high), walk it: type 0
; first, formatted lengths >= 4, string sets ending in two zeros, a type 1 and a type 127
; within the table length, and a type 19 (memory mapped address) from 0 whose size is
; between 88h's KiB and that plus 2 MiB.
; tandem-args: --cpu 80386 -m 16M
; requires-cpu: 80386
; expect-status: 1
; oracle: qemu
; oracle-compare: status
%include "lib.inc"

main:
	PRINT	"bios_smbios", 10
	mov	ax, 0xf000
	mov	es, ax
	xor	di, di
.scan:	cmp	word [es:di], '_S'
	jne	.n
	cmp	word [es:di + 2], 'M_'
	jne	.n
	mov	cl, [es:di + 5]		; entry length
	xor	ch, ch
	cmp	cx, 0x1f
	jb	.n
	call	sum_es_di
	jz	.found
.n:	add	di, 16
	jnz	.scan
	FAIL	1
.found:
	PRINT	"entry at F000:"
	mov	ax, di
	call	puthex16
	PRINT	" version "
	mov	al, [es:di + 6]
	call	puthex8
	mov	al, [es:di + 7]
	call	puthex8
	call	nl
	cmp	byte [es:di + 6], 2
	jne	.bad2
	cmp	word [es:di + 0x10], '_D'
	jne	.bad2
	cmp	word [es:di + 0x12], 'MI'
	jne	.bad2
	push	di
	add	di, 0x10
	mov	cx, 0x0f
	call	sum_es_di
	pop	di
	jnz	.bad2
	; the table
	mov	ax, [es:di + 0x18]	; address
	mov	dx, [es:di + 0x1a]
	mov	cx, [es:di + 0x16]	; length
	cmp	dx, 0x10
	jae	.high
	; DX:AX -> segment:offset
	mov	si, ax
	and	si, 15
	mov	bx, cx
	mov	cl, 4
	shr	ax, cl
	mov	cl, 12
	shl	dx, cl
	or	ax, dx
	mov	es, ax
	mov	cx, bx
	add	cx, si			; CX = end offset
	mov	di, si
	cmp	byte [es:di], 0
	jne	.bad3
	xor	bx, bx			; bit 0: type 1 seen, bit 1: type 19 ok
.walk:	cmp	di, cx
	jae	.bad3			; ran off the end without type 127
	mov	al, [es:di]
	cmp	byte [es:di + 1], 4
	jb	.bad3
	cmp	al, 1
	jne	.t19
	or	bl, 1
.t19:	cmp	al, 19
	jne	.t127
	call	check_t19
	jc	.bad4
	or	bl, 2
.t127:	cmp	al, 127
	je	.end
	mov	dl, [es:di + 1]		; skip the formatted area and the strings
	xor	dh, dh
	add	di, dx
.str:	cmp	di, cx
	jae	.bad3
	cmp	word [es:di], 0
	je	.strend
	inc	di
	jmp	.str
.strend:
	add	di, 2
	jmp	.walk
.end:	cmp	bl, 3
	jne	.bad5
	PRINT	"table ok", 10
	jmp	pass
.high:	PRINT	"table above 1 MiB: not walked", 10
	jmp	pass
.bad2:	FAIL	2
.bad3:	FAIL	3
.bad4:	FAIL	4
.bad5:	FAIL	5

; ZF when CX bytes at ES:DI sum to zero.
sum_es_di:
	push	cx
	push	di
	xor	al, al
.s:	add	al, [es:di]
	inc	di
	loop	.s
	pop	di
	pop	cx
	or	al, al
	ret

; Type 19 at ES:DI: it starts at 0 and its end (KiB, inclusive) lies in the last
; MiB of RAM (RAM = 88h KiB + 1024; SeaBIOS and ours differ in the details).
check_t19:
	push	ax
	push	dx
	PRINT	"type 19: "
	mov	ax, [es:di + 6]
	call	puthex16
	mov	ax, [es:di + 4]
	call	puthex16
	mov	al, '-'
	call	putc
	mov	ax, [es:di + 10]
	call	puthex16
	mov	ax, [es:di + 8]
	call	puthex16
	call	nl
	mov	ah, 0x88
	int	0x15
	mov	dx, ax			; DX = 88h KiB
	cmp	word [es:di + 4], 0
	jne	.bad
	cmp	word [es:di + 6], 0
	jne	.bad
	cmp	word [es:di + 10], 0
	jne	.bad
	mov	ax, [es:di + 8]
	inc	ax			; AX = KiB covered
	cmp	ax, dx
	jb	.bad
	add	dx, 2048		; 1 MiB below 1 MiB, and 1 MiB of slack for
	cmp	ax, dx			; RAM a BIOS keeps for itself (SeaBIOS)
	ja	.bad
	pop	dx
	pop	ax
	clc
	ret
.bad:	pop	dx
	pop	ax
	stc
	ret

%include "tail.inc"

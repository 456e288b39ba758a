; testguest.asm: a one-sector floppy guest for tools/tracediff/test.sh.  The prologue
; (outside the traced range) sets every register to a known value, whatever the BIOS
; left; the code at 7D00h-7DFFh (the range test.sh traces under tandem and QEMU) runs a
; checksum loop with REP string instructions, calls, the stack and flag-reading
; arithmetic, then writes 0 to the isa-debug-exit port F4h.  It avoids instructions that
; leave flags undefined (logic ops and shifts leave AF undefined, MUL most flags), so
; the two traces must agree flag for flag.
	cpu	386
	bits	16
	org	0x7c00

	cli
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, 0x6000
	jmp	0:prologue
prologue:
	xor	eax, eax
	xor	ebx, ebx
	xor	ecx, ecx
	xor	edx, edx
	xor	esi, esi
	xor	edi, edi
	xor	ebp, ebp
	mov	esp, 0x6000
	push	word 0x0002		; FLAGS: IF clear, DF clear, arithmetic flags clear
	popf
	jmp	traced

	times	0x100 - ($ - $$) db 0
traced:					; 7D00h
	mov	cx, 40
	mov	bx, 0x1234
	mov	dx, 0
.loop:
	mov	si, src
	mov	di, 0x600
	push	cx
	mov	cx, 8
	rep	movsb			; QEMU logs each iteration; tandem the instruction
	pop	cx
	mov	di, 0x640
	mov	ax, bx
	push	cx
	mov	cx, 4
	rep	stosw
	pop	cx
	mov	si, 0x600
	mov	di, src
	push	cx
	mov	cx, 8
	repe	cmpsb
	pop	cx
	call	mix
	add	bx, ax
	adc	dx, 0
	sub	bx, cx
	sbb	dx, 0
	neg	ax
	inc	bp
	dec	word [0x640]
	cmp	bx, 0x8000
	jb	.low
	add	dx, 3
.low:	loop	.loop
	mov	eax, 0x12345678
	add	eax, ebx
	lea	esi, [eax + 4 * edx + 8]
	cbw
	cwd
	mov	al, 0
	out	0xf4, al		; isa-debug-exit: both emulators stop here
	hlt

mix:
	push	bx
	add	bx, 0x9e37
	adc	ax, bx
	xchg	ax, bx
	sub	ax, bx
	pop	bx
	ret

src	db	"tracedif"

	times	510 - ($ - $$) db 0
	dw	0xaa55

; bios_pir: the BIOS's PCI IRQ Routing Table, as an OS without ACPI interrupt routing
; (Linux's pirq code, acpi=off) finds it: "$PIR" on a 16-byte boundary in F0000h-FFFFFh,
; version 1.0, a size of 32 + 16n bytes that sums to 0, and a router function that is
; the PIIX3 (8086:7000). Then every PCI function of bus 0 with an interrupt pin must have
; an entry for its device whose link for that pin is a PIIX3 routing register (60h-63h)
; holding the IRQ the BIOS wrote into the function's Interrupt Line (the router's own
; device is left out: a PIIX4's power management function uses the SCI). Run on tandem
; with an RTL8139, so at least one function is checked there (QEMU's e1000 on the oracle).
; tandem-args: --cpu 80386 --nic model=rtl8139,none
; requires-cpu: 80386
; expect-status: 1
; oracle: qemu bochs
; oracle-compare: status
%include "lib.inc"

main:
	PRINT	"bios_pir", 10
	cpu	386
	push	ds
	mov	ax, 0xf000
	mov	ds, ax
	xor	si, si
.scan:	cmp	dword [si], '$PIR'
	je	.cand
.next:	add	si, 16
	jnz	.scan
	pop	ds
	FAIL	2
.cand:	mov	cx, [si + 6]		; size
	cmp	cx, 32
	jb	.next
	mov	ax, cx
	and	ax, 15
	jnz	.next
	mov	bx, si
	xor	al, al
.sum:	add	al, [bx]
	inc	bx
	loop	.sum
	or	al, al
	jnz	.next
	cmp	word [si + 4], 0x0100	; version 1.0
	jne	.next
	; copy the table down (at most 1 KiB) so the rest runs with DS = 0
	mov	cx, [si + 6]
	cmp	cx, 1024
	jbe	.fits
	mov	cx, 1024
.fits:	xor	ax, ax
	mov	es, ax
	mov	di, pir
	rep	movsb
	pop	ds
	PRINT	"$PIR found, "
	mov	ax, [pir + 6]
	sub	ax, 32
	shr	ax, 4
	mov	[nent], ax
	call	putdec
	PRINT	" entries", 10
	; the router: bus 0, devfn at +9, must be the PIIX3
	cmp	byte [pir + 8], 0
	CHECK	e, 3
	mov	bl, [pir + 9]
	mov	[router], bl
	xor	cl, cl
	call	cfg_rd
	cmp	eax, 0x70008086
	CHECK	e, 4
	; every function with a pin, but the chipset's own (a PIIX4's power
	; management function signals the SCI on its own line)
	xor	bx, bx			; BL = devfn
.func:	mov	al, bl
	xor	al, [router]
	and	al, 0xf8
	jz	.fnext
	xor	cl, cl
	call	cfg_rd
	cmp	ax, 0xffff
	je	.fnext
	mov	cl, 0x3c
	call	cfg_rd			; AL line, AH pin
	or	ah, ah
	jz	.fnext
	mov	[line], al
	mov	[pin], ah
	cmp	ah, 4
	CHECK	be, 5
	; its device's entry
	mov	si, pir + 32
	mov	cx, [nent]
.ent:	jcxz	.noent
	mov	al, [si + 1]
	xor	al, bl
	and	al, 0xf8
	jnz	.enext
	cmp	byte [si], 0		; bus 0
	je	.got
.enext:	add	si, 16
	dec	cx
	jmp	.ent
.noent:	FAIL	6
.got:	mov	al, [pin]
	mov	ah, 3
	mul	ah
	add	si, ax
	mov	al, [si - 1]		; the pin's link value
	cmp	al, 0x60
	CHECK	ae, 7
	cmp	al, 0x63
	CHECK	be, 7
	push	bx
	mov	cl, al
	mov	bl, [router]
	call	cfg_rd			; AL = the IRQ that PIRQ is routed to
	pop	bx
	test	al, 0x80
	CHECK	z, 8			; routing enabled
	cmp	al, [line]
	CHECK	e, 9
	inc	byte [checked]
.fnext:	inc	bl
	jnz	.func
	PRINT	"functions with a routed pin: "
	xor	ah, ah
	mov	al, [checked]
	call	putdec
	call	nl
	jmp	pass

; EAX = configuration space of bus 0 devfn BL from register CL on (the dword
; it is in, shifted down).  Keeps the rest.
cfg_rd:
	push	dx
	push	cx
	movzx	eax, bl
	shl	eax, 8
	mov	al, cl
	and	al, 0xfc
	or	eax, 0x80000000
	mov	dx, 0xcf8
	out	dx, eax
	mov	dx, 0xcfc
	in	eax, dx
	and	cl, 3
	shl	cl, 3
	shr	eax, cl
	pop	cx
	pop	dx
	ret
	cpu	8086

nent	dw	0
router	db	0
line	db	0
pin	db	0
checked	db	0
	align	16
pir	times	1024 db 0

%include "tail.inc"

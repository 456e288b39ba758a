; hw_pci: PCI configuration mechanism #1 and the i440FX/PIIX3 functions (needs a 386
; for 32-bit port I/O). IDs and class codes of 00:00.0, 00:01.0 (multi-function) and
; 00:01.1, all ones from an absent device, BAR4 (BMIBA) size probing, moving BMIBA and
; using the bus master registers there, a PIRQ route register, PAM shadow RAM at D0000h
; (DRAM read/write, then hidden again), and a READ DMA of a sector written by PIO,
; through a PRD table, with the bus master's interrupt and active bits afterwards.
; expect-status: 1
; expect-debugcon: hw_pci.debugcon
; tandem-args: --cpu 80386
; requires-cpu: 80386
; guest-hdd: yes
; oracle: qemu bochs
%include "lib.inc"
	cpu	386

IDE	equ	0x1f0
IDE_CTL	equ	0x3f6
BM	equ	0xc100
BUF	equ	0x9000
BUF2	equ	0xa000
PRD	equ	0x8800

; CFG dev, fn, reg: EAX = the configuration address.
%macro CFGADDR 3
	mov	eax, 0x80000000 | (%1 << 11) | (%2 << 8) | (%3 & 0xfc)
%endmacro

main:
	PRINT	"hw_pci", 10
	cli
	mov	word [0x76 * 4], irq14
	mov	word [0x76 * 4 + 2], 0
	in	al, 0xa1
	and	al, ~0x40
	out	0xa1, al
	in	al, 0x21
	and	al, ~0x04
	out	0x21, al
	sti
	CFGADDR	0, 0, 0
	call	cfg_read32
	cmp	eax, 0x12378086
	CHECK	e, 1
	CFGADDR	0, 0, 8
	call	cfg_read32
	shr	eax, 8
	cmp	eax, 0x060000
	CHECK	e, 2
	CFGADDR	1, 0, 0
	call	cfg_read32
	cmp	eax, 0x70008086
	CHECK	e, 3
	CFGADDR	1, 0, 0x0c
	call	cfg_read32
	test	eax, 0x00800000		; header type bit 7: multi-function
	CHECK	nz, 4
	CFGADDR	1, 1, 0
	call	cfg_read32
	cmp	eax, 0x70108086
	CHECK	e, 5
	CFGADDR	1, 1, 8
	call	cfg_read32
	shr	eax, 8
	cmp	eax, 0x010180
	CHECK	e, 6
	CFGADDR	31, 0, 0
	call	cfg_read32
	cmp	eax, 0xffffffff
	CHECK	e, 7
	PRINT	"ids ok", 10

	; BAR4 of the IDE function: a 16-byte I/O BAR.
	CFGADDR	1, 1, 0x20
	call	cfg_read32
	mov	[old_bar], eax
	CFGADDR	1, 1, 0x20
	mov	ebx, 0xffffffff
	call	cfg_write32
	CFGADDR	1, 1, 0x20
	call	cfg_read32
	cmp	eax, 0xfffffff1
	CHECK	e, 8
	CFGADDR	1, 1, 0x20
	mov	ebx, BM
	call	cfg_write32
	CFGADDR	1, 1, 4
	call	cfg_read32
	mov	[old_cmd], ax
	or	ax, 0x0005		; I/O space, bus master
	mov	bx, ax
	CFGADDR	1, 1, 4
	call	cfg_write16
	mov	dx, BM + 4
	mov	eax, 0x12345678
	out	dx, eax
	in	eax, dx
	cmp	eax, 0x12345678
	CHECK	e, 9
	PRINT	"bar probe, bus master registers ok", 10

	; PIRQA route register: writable, read back.
	CFGADDR	1, 0, 0x60
	call	cfg_read32
	mov	[old_pirq], eax
	mov	ebx, eax
	mov	bl, 0x0b
	CFGADDR	1, 0, 0x60
	call	cfg_write32
	CFGADDR	1, 0, 0x60
	call	cfg_read32
	cmp	al, 0x0b
	CHECK	e, 10
	mov	ebx, [old_pirq]
	CFGADDR	1, 0, 0x60
	call	cfg_write32
	PRINT	"pirq route ok", 10

	; PAM3 low nibble: D0000h-D3FFFh. 3 = DRAM, 0 = bus (nothing: all ones).
	CFGADDR	0, 0, 0x5c
	call	cfg_read32
	mov	[old_pam], eax
	mov	ebx, eax
	and	ebx, 0xfffffff0		; PAM3 is byte 5Ch: bits 3-0 of the dword
	or	ebx, 0x00000003
	CFGADDR	0, 0, 0x5c
	call	cfg_write32
	push	ds
	mov	ax, 0xd000
	mov	ds, ax
	mov	byte [0], 0x5a
	mov	al, [0]
	pop	ds
	cmp	al, 0x5a
	CHECK	e, 11
	mov	ebx, [old_pam]
	and	ebx, 0xfffffff0
	CFGADDR	0, 0, 0x5c
	call	cfg_write32
	push	ds
	mov	ax, 0xd000
	mov	ds, ax
	mov	al, [0]
	pop	ds
	cmp	al, 0x5a		; the DRAM is hidden again (QEMU has its
	CHECK	ne, 12			; option ROM RAM there, a PC the bus: FFh)
	mov	ebx, [old_pam]
	CFGADDR	0, 0, 0x5c
	call	cfg_write32
	PRINT	"pam ok", 10

	; A sector by PIO, then back by bus-master DMA.
	mov	dx, IDE_CTL
	mov	al, 0x02		; polled
	out	dx, al
	mov	di, BUF
	mov	cx, 256
	mov	ax, 0x1357
.pat:	stosw
	add	ax, 0x0b0d
	loop	.pat
	mov	al, 0x30
	call	lba100
	call	wait_drq
	CHECK	nc, 13
	mov	si, BUF
	mov	dx, IDE
	mov	cx, 256
	rep	outsw
	call	wait_nb
	mov	dword [PRD], BUF2
	mov	dword [PRD + 4], 0x80000000 | 512
	mov	dx, BM
	mov	al, 0x00		; stop, direction will be "to memory"
	out	dx, al
	mov	dx, BM + 2
	mov	al, 0x06		; clear interrupt and error
	out	dx, al
	mov	dx, BM + 4
	mov	eax, PRD
	out	dx, eax
	mov	dx, BM
	mov	al, 0x08
	out	dx, al
	mov	al, 0xc8		; READ DMA
	call	lba100
	mov	dx, IDE_CTL		; the bus master sees INTRQ only with nIEN 0
	xor	al, al
	out	dx, al
	mov	dx, BM
	mov	al, 0x09		; start, to memory
	out	dx, al
	mov	cx, 40			; QEMU finishes DMA asynchronously: wait
	mov	dx, BM + 2		; up to 40 timer ticks
.wait:	in	al, dx
	test	al, 0x04
	jnz	.irq
	hlt
	loop	.wait
	FAIL	14
.irq:	hlt				; let QEMU's completion settle
	in	al, dx
	and	al, 0x07
	cmp	al, 0x04		; interrupt, not active, no error
	je	.bmok
	call	puthex8
	call	nl
	FAIL	15
.bmok:
	mov	dx, BM
	mov	al, 0x00
	out	dx, al
	call	wait_nb
	mov	dx, IDE + 7
	in	al, dx
	and	al, 0x89
	CHECK	z, 16
	mov	si, BUF
	mov	di, BUF2
	mov	cx, 256
	repe	cmpsw
	CHECK	e, 17
	PRINT	"bus master dma ok", 10

	mov	bx, [old_cmd]
	CFGADDR	1, 1, 4
	call	cfg_write16
	mov	ebx, [old_bar]
	CFGADDR	1, 1, 0x20
	call	cfg_write32
	jmp	pass

; lba100: command AL on sector 100, count 1, master, LBA.
lba100:
	push	ax
	mov	dx, IDE + 2
	mov	al, 1
	out	dx, al
	inc	dx
	mov	al, 100
	out	dx, al
	inc	dx
	xor	al, al
	out	dx, al
	inc	dx
	out	dx, al
	inc	dx
	mov	al, 0xe0
	out	dx, al
	inc	dx
	pop	ax
	out	dx, al
	ret

wait_nb:				; BSY clear: poll, then sleep a tick (~2 s)
	push	bx
	mov	dx, IDE_CTL
	mov	bx, 40
.o:	mov	cx, 2000
.l:	in	al, dx
	test	al, 0x80
	jz	.d
	loop	.l
	hlt
	dec	bx
	jnz	.o
.d:	pop	bx
	ret

wait_drq:
	call	wait_nb
	in	al, dx
	and	al, 0x89
	cmp	al, 0x08
	je	.ok
	stc
	ret
.ok:	clc
	ret

; cfg_read32: EAX = address -> EAX = dword.
cfg_read32:
	mov	dx, 0xcf8
	out	dx, eax
	mov	dx, 0xcfc
	in	eax, dx
	ret

; cfg_write32: EAX = address, EBX = value.
cfg_write32:
	mov	dx, 0xcf8
	out	dx, eax
	mov	dx, 0xcfc
	mov	eax, ebx
	out	dx, eax
	ret

; cfg_write16: EAX = address (dword aligned), BX = value for its low word.
cfg_write16:
	mov	dx, 0xcf8
	out	dx, eax
	mov	dx, 0xcfc
	mov	ax, bx
	out	dx, ax
	ret

irq14:
	push	ax
	mov	al, 0x20
	out	0xa0, al
	out	0x20, al
	pop	ax
	iret

old_bar		dd	0
old_pirq	dd	0
old_pam		dd	0
old_cmd		dw	0

%include "tail.inc"

; hw_virtio_msix: MSI-X on virtio-pci (a virtio-console on the Pentium II board, which
; has APICs). The capability (ID 11h) offers 3 vectors with the table and the PBA in
; BAR0; the vector registers read back (config 2, queue 1 0; a vector past the table
; reads NO_VECTOR, FFFFh). With MSI-X enabled and queue 1 on table entry 0 (FEE00000h,
; vector 61h) a transmit request ends with one interrupt 61h through the local APIC and
; no ISR bit. With queue 1 on the masked entry 1 (vector 62h) the next request sets PBA
; bit 1 and raises nothing; unmasking the entry sends 62h and clears the bit.
; tandem-args: --cpu pentium2
; expect-virtio-console: hw_virtio_msix.vcon
; expect-debugcon: hw_virtio_msix.debugcon
; oracle: none (tandem only)
%include "lib.inc"
%include "vguest.inc"
	cpu	686

APIC		equ	0xfee00000
BAR		equ	0xc0000000

main:
	PRINT	"virtio-msix", 10
	ENTER_PM32 pm

	bits	32
pm:	lidt	[idt_ptr]
	mov	ebp, ctx
	mov	eax, 0x10431af4
	xor	ecx, ecx
	mov	edi, BAR
	mov	esi, 0x20000
	call	vpci_open
	CHECK32	nc, 1
	mov	bl, 0x34			; find the MSI-X capability
	call	vpci_rd
	movzx	esi, al
	mov	ecx, 48
.cap:	and	esi, 0xfc
	CHECK32	nz, 2
	mov	ebx, esi
	call	vpci_rd
	cmp	al, 0x11
	je	.msix
	movzx	esi, ah
	loop	.cap
	FAIL32	2
.msix:	mov	[msix_cap], esi
	shr	eax, 16
	and	eax, 0x7ff
	inc	eax
	call	hex32				; 3 vectors
	lea	ebx, [esi + 4]
	call	vpci_rd
	mov	edx, eax
	and	eax, 7
	call	hex32				; 0: table in BAR0
	and	edx, ~7
	add	edx, BAR
	mov	[table], edx
	lea	ebx, [esi + 8]
	call	vpci_rd
	mov	edx, eax
	and	eax, 7
	call	hex32				; 0: PBA in BAR0
	and	edx, ~7
	add	edx, BAR
	mov	[pba], edx
	call	nl32

	xor	eax, eax
	call	v_negotiate
	CHECK32	nc, 3
	xor	ecx, ecx
	call	v_queue_setup
	CHECK32	nc, 4
	mov	ecx, 1
	call	v_queue_setup
	CHECK32	nc, 5
	mov	edi, [table]
	mov	dword [edi], APIC		; entry 0: vector 61h
	mov	dword [edi + 4], 0
	mov	dword [edi + 8], 0x61
	mov	dword [edi + 12], 0
	mov	dword [edi + 16], APIC		; entry 1: vector 62h, masked
	mov	dword [edi + 20], 0
	mov	dword [edi + 24], 0x62
	mov	dword [edi + 28], 1
	mov	ebx, [msix_cap]			; MSI-X enable (message control bit 15)
	call	vpci_rd
	or	eax, 0x80000000
	mov	ecx, eax
	call	vpci_wr
	mov	esi, [ebp + D_COMMON]
	mov	word [esi + 0x10], 2		; msix_config
	movzx	eax, word [esi + 0x10]
	call	hex32				; 2
	mov	word [esi + CC_QSEL], 1
	mov	word [esi + CC_QMSIX], 0
	movzx	eax, word [esi + CC_QMSIX]
	call	hex32				; 0
	mov	word [esi + CC_QSEL], 0
	mov	word [esi + CC_QMSIX], 7
	movzx	eax, word [esi + CC_QMSIX]
	call	hex32				; ffff
	call	nl32
	mov	al, 0xff			; the 8259As stay quiet (no IDT entries)
	out	0x21, al
	out	0xa1, al
	mov	dword [APIC + 0xf0], 0x1ff
	mov	al, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK
	call	v_set_status
	sti

	mov	esi, list1
	mov	edx, 1
	mov	ecx, 1
	call	v_submit
	call	v_wait
	CHECK32	nc, 6
	call	settle
	mov	eax, [cnt61]
	call	hex32				; 1
	call	v_isr
	movzx	eax, al
	call	hex32				; 0: no ISR bit with MSI-X
	call	nl32

	mov	esi, [ebp + D_COMMON]
	mov	word [esi + CC_QSEL], 1
	mov	word [esi + CC_QMSIX], 1
	mov	esi, list2
	mov	edx, 1
	mov	ecx, 1
	call	v_submit
	call	v_wait
	CHECK32	nc, 7
	call	settle
	mov	eax, [cnt62]
	call	hex32				; 0: masked
	mov	edi, [pba]
	mov	eax, [edi]
	call	hex32				; 2: pending
	mov	edi, [table]
	mov	dword [edi + 28], 0		; unmask entry 1
	call	settle
	mov	eax, [cnt62]
	call	hex32				; 1
	mov	edi, [pba]
	mov	eax, [edi]
	call	hex32				; 0
	mov	eax, [cnt61]
	call	hex32				; 1: still
	call	nl32
	jmp	pass32

; settle: a few thousand instructions with interrupts on
settle:
	push	ecx
	mov	ecx, 20000
.l:	loop	.l
	pop	ecx
	ret

isr61:	inc	dword [cnt61]
	mov	dword [APIC + 0xb0], 0
	iretd
isr62:	inc	dword [cnt62]
	mov	dword [APIC + 0xb0], 0
	iretd
spurious:
	iretd
bad_int:
	FAIL32	9

%include "virtio.inc"

	align	4
msix_cap	dd	0
table		dd	0
pba		dd	0
cnt61		dd	0
cnt62		dd	0
	align	8
idt:
%assign v 0
%rep 256
%if v == 0x61
		dw	isr61, 0x08, 0x8e00, 0
%elif v == 0x62
		dw	isr62, 0x08, 0x8e00, 0
%elif v == 0xff
		dw	spurious, 0x08, 0x8e00, 0
%else
		dw	bad_int, 0x08, 0x8e00, 0
%endif
%assign v v + 1
%endrep
idt_end:
idt_ptr		dw	idt_end - idt - 1
		dd	idt
	align	16
ctx:	times	VCTX_SIZE db 0
line1:	db	"first line, MSI-X vector 61h", 10
line1_end:
line2:	db	"second line, held while masked", 10
line2_end:
list1:	dd	line1, line1_end - line1
	dw	0
list2:	dd	line2, line2_end - line2
	dw	0
	bits	16
%include "tail.inc"

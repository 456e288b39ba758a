; smp_start: four CPUs. The BSP (APIC ID 0, BSP flag in IA32_APIC_BASE) sends INIT and
; two start-up IPIs (vector 20h) to all but itself; each AP starts in real mode at
; 2000:0000, switches to protected mode, reads its APIC ID register, counts itself with
; LOCK INC, sets its ID's bit with LOCK BTS and sends a fixed IPI to APIC 0 (vector 50h +
; ID: one each, as an IRR holds a vector once). The BSP waits for 3 APs, IDs 1-3 (bits
; 0Eh) and 3 IPIs; then it broadcasts IPI 42h to all but itself and waits until each AP's
; handler counted it; lowest-priority delivery of 43h to all APs reaches exactly one.
; tandem-args: --cpu pentium2 --smp 4
; expect-status: 1
; expect-debugcon: smp_start.debugcon
; oracle: qemu
; qemu-args: -smp 4
%include "lib.inc"
%include "pm32_boot.inc"
%include "smp_tramp.inc"
	cpu	686

STACK32		equ	0x90000
APIC		equ	0xfee00000
TRAMP		equ	0x20000		; start-up vector 20h
NAPS		equ	3

main:
	PRINT	"smp_start", 10
	cli
	mov	al, 0xff			; no 8259A interrupts: PIT polled
	out	0x21, al
	out	0xa1, al
	mov	al, 0x34			; PIT 0: mode 2, 1 kHz
	out	0x43, al
	mov	ax, 1193
	out	0x40, al
	mov	al, ah
	out	0x40, al
	; the trampoline at 2000:0000
	TRAMP_INSTALL
	PM32_ENTER	STACK32

	mov	ecx, 0x1b
	rdmsr
	shr	eax, 8
	and	eax, 1
	call	hex32				; 1: this is the BSP
	mov	eax, [APIC + 0x20]
	shr	eax, 24
	call	hex32				; 0
	mov	dword [APIC + 0xf0], 0x1ff
	sti
	; INIT, 10 ms, SIPI, 1 ms, SIPI
	mov	dword [APIC + 0x310], 0
	mov	dword [APIC + 0x300], 0xc4500
	mov	ecx, 10
	call	pit_wraps
	mov	dword [APIC + 0x300], 0xc4600 | (TRAMP >> 12)
	mov	ecx, 2
	call	pit_wraps
	mov	dword [APIC + 0x300], 0xc4600 | (TRAMP >> 12)
	; wait up to 200 ms for the APs and their IPIs
	mov	ebx, 200
.wait:	cmp	dword [ap_count], NAPS
	jb	.more
	cmp	dword [bsp_ipis], NAPS
	jae	.came
.more:	mov	ecx, 1
	call	pit_wraps
	dec	ebx
	jnz	.wait
.came:	mov	eax, [ap_count]
	call	hex32				; 3
	mov	eax, [id_bits]
	call	hex32				; 0000000e
	mov	eax, [bsp_ipis]
	call	hex32				; 3
	call	nl32

	; all excluding self: vector 42h
	mov	dword [APIC + 0x300], 0xc0042
	mov	ebx, 100
.w2:	cmp	dword [ap_ipis], NAPS
	jae	.got
	mov	ecx, 1
	call	pit_wraps
	dec	ebx
	jnz	.w2
.got:	mov	eax, [ap_ipis]
	call	hex32				; 3
	; lowest priority to all but self: one AP takes it
	mov	dword [APIC + 0x300], 0xc0143
	mov	ecx, 5
	call	pit_wraps
	mov	eax, [lowest_ipis]
	call	hex32				; 1
	call	nl32
	jmp	pass32

; pit_wraps: poll PIT channel 0 until its count wrapped ECX times (1 ms each)
pit_wraps:
	push	ebx
	push	eax
	call	.rd
	mov	bx, ax
.l:	call	.rd
	cmp	ax, bx
	mov	bx, ax
	jbe	.l
	loop	.l
	pop	eax
	pop	ebx
	ret
.rd:	mov	al, 0
	out	0x43, al
	in	al, 0x40
	mov	ah, al
	in	al, 0x40
	xchg	al, ah
	ret

; --- application processors, 32-bit ------------------------------------------
ap32:
	mov	ax, 0x10
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	eax, [APIC + 0x20]
	shr	eax, 24
	mov	esp, eax
	shl	esp, 12
	neg	esp
	add	esp, 0x80000			; 80000h - ID * 1000h
	lidt	[idt_ptr]
	mov	dword [APIC + 0xf0], 0x1ff
	lock inc dword [ap_count]
	lock bts dword [id_bits], eax
	mov	dword [APIC + 0x310], 0		; fixed IPI 50h + ID to APIC 0
	add	eax, 0x4050
	mov	[APIC + 0x300], eax
	sti
.idle:	hlt
	jmp	.idle

bsp_ipi_isr:
	lock inc dword [bsp_ipis]
	mov	dword [APIC + 0xb0], 0
	iretd

ap_ipi_isr:
	lock inc dword [ap_ipis]
	mov	dword [APIC + 0xb0], 0
	iretd

lowest_isr:
	lock inc dword [lowest_ipis]
	mov	dword [APIC + 0xb0], 0
	iretd

spurious_isr:
	iretd

%include "pm32_exit.inc"

; --- the trampoline, copied to 2000:0000 ---------------------------------------
	TRAMP_CODE

	align	4
ap_count	dd	0
id_bits		dd	0
bsp_ipis	dd	0
ap_ipis		dd	0
lowest_ipis	dd	0

	PM32_GDT
	PM32_GDT_END
	PM32_IDT 256, 0x51, bsp_ipi_isr, 0x52, bsp_ipi_isr, 0x53, bsp_ipi_isr, 0x42, ap_ipi_isr, 0x43, lowest_isr, 0xff, spurious_isr

%include "tail.inc"

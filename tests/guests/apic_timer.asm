; apic_timer: the local APIC of a Pentium II. CPUID.1 EDX bit 9, IA32_APIC_BASE (FEE00000h,
; enabled, BSP), the ID and version registers; the 8259A's IRQ0 still arrives through LINT0
; (virtual wire) once the APIC is software-enabled; the timer calibrated against the PIT
; (set to 1 kHz): periodic at 1 ms must give 50 interrupts in 50 PIT ticks (+-2), one-shot
; exactly one and a current count of 0; the ISR bit seen in the handler; TPR 40h holds
; vector 40h in the IRR (PPR 40h) until TPR drops to 0; a self IPI through the ICR
; shorthand, and the ICR's delivery status idle afterwards.
; tandem-args: --cpu pentium2
; expect-status: 1
; expect-debugcon: apic_timer.debugcon
; oracle: qemu
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	686

STACK32		equ	0x90000
APIC		equ	0xfee00000
TIMER_VEC	equ	0x40
IPI_VEC		equ	0x50

main:
	PRINT	"apic_timer", 10
	cli
	mov	al, 0xfe			; 8259A: IRQ0 only
	out	0x21, al
	mov	al, 0xff
	out	0xa1, al
	mov	al, 0x34			; PIT 0: mode 2, 1193 counts = 1000.15 Hz
	out	0x43, al
	mov	ax, 1193
	out	0x40, al
	mov	al, ah
	out	0x40, al
	PM32_ENTER	STACK32

	mov	eax, 1
	cpuid
	bt	edx, 9
	setc	al
	movzx	eax, al
	call	hex32				; 1: CPUID says APIC
	mov	ecx, 0x1b
	rdmsr
	and	eax, 0xfffff900
	call	hex32				; fee00900
	mov	eax, [APIC + 0x30]
	and	eax, 0xf0
	call	hex32				; 10: an integrated APIC
	mov	eax, [APIC + 0x20]
	shr	eax, 24
	call	hex32				; 0: the BSP's ID
	call	nl32

	mov	dword [APIC + 0xf0], 0x1ff	; software enable, spurious vector FFh
	mov	dword [APIC + 0x3e0], 3		; divide by 16
	mov	dword [APIC + 0x320], 0x10000 | TIMER_VEC
	sti
	mov	ecx, 1				; PIT ticks still arrive (ExtINT)
	call	wait_ticks
	mov	dword [APIC + 0x380], 0xffffffff
	mov	ecx, 10
	call	wait_ticks
	mov	eax, 0xffffffff
	sub	eax, [APIC + 0x390]
	xor	edx, edx
	mov	ecx, 10
	div	ecx
	mov	[per_ms], eax
	cmp	eax, 100			; a bus clock of at least 1.6 MHz
	setae	al
	movzx	eax, al
	call	hex32				; 1

	; periodic, 1 ms
	mov	ecx, 1
	call	wait_ticks
	mov	dword [ticks], 0
	mov	dword [apic_count], 0
	mov	dword [APIC + 0x320], 0x20000 | TIMER_VEC
	mov	eax, [per_ms]
	mov	[APIC + 0x380], eax
	mov	ecx, 50
	call	wait_ticks
	mov	dword [APIC + 0x320], 0x10000 | TIMER_VEC
	mov	dword [APIC + 0x380], 0
	mov	eax, [apic_count]
	sub	eax, 48
	cmp	eax, 4
	setbe	al
	movzx	eax, al
	call	hex32				; 1: 48..52
	mov	eax, [isr_seen]
	call	hex32				; 1: ISR bit 40h set in the handler
	mov	eax, [APIC + 0x120]
	call	hex32				; 0: and clear after EOI

	; one-shot, 2 ms
	mov	dword [apic_count], 0
	mov	dword [APIC + 0x320], TIMER_VEC
	mov	eax, [per_ms]
	add	eax, eax
	mov	[APIC + 0x380], eax
	mov	ecx, 5
	call	wait_ticks
	mov	eax, [apic_count]
	call	hex32				; 1
	mov	eax, [APIC + 0x390]
	call	hex32				; 0
	call	nl32

	; TPR 40h holds vector 40h
	cli
	mov	dword [apic_count], 0
	mov	dword [APIC + 0x80], 0x40
	mov	dword [APIC + 0x380], 50
	mov	ecx, 1000000
.irr:	test	dword [APIC + 0x220], 1		; IRR bit 40h
	jnz	.pend
	loop	.irr
.pend:	mov	eax, [APIC + 0x220]
	and	eax, 1
	call	hex32				; 1: requested
	call	window
	mov	eax, [apic_count]
	call	hex32				; 0: blocked
	mov	eax, [APIC + 0xa0]
	call	hex32				; 40: PPR = TPR
	mov	dword [APIC + 0x80], 0
	call	window
	mov	eax, [apic_count]
	call	hex32				; 1: delivered
	mov	eax, [APIC + 0x220]
	and	eax, 1
	call	hex32				; 0

	; self IPI
	mov	dword [APIC + 0x300], 0x40000 | IPI_VEC
	call	window
	mov	eax, [ipi_count]
	call	hex32				; 1
	mov	eax, [APIC + 0x300]
	and	eax, 0x1000
	call	hex32				; 0: delivery status idle
	call	nl32
	jmp	pass32

; window: interrupts on for a while (not just STI's shadow and one instruction: under
; KVM with a userspace interrupt controller the injection waits for an exit), then off
window:
	push	ecx
	mov	ecx, 100000
	sti
.l:	loop	.l
	cli
	pop	ecx
	ret

; wait_ticks: ECX PIT interrupts (interrupts on)
wait_ticks:
	add	ecx, [ticks]
.w:	hlt
	cmp	[ticks], ecx
	jb	.w
	ret

pit_isr:
	push	eax
	inc	dword [ticks]
	mov	al, 0x20
	out	0x20, al
	pop	eax
	iretd

timer_isr:
	push	eax
	inc	dword [apic_count]
	mov	eax, [APIC + 0x120]
	and	eax, 1
	mov	[isr_seen], eax
	mov	dword [APIC + 0xb0], 0
	pop	eax
	iretd

ipi_isr:
	inc	dword [ipi_count]
	mov	dword [APIC + 0xb0], 0
	iretd

spurious_isr:
	iretd

%include "pm32_exit.inc"

	align	4
ticks		dd	0
per_ms		dd	0
apic_count	dd	0
isr_seen	dd	0
ipi_count	dd	0

	PM32_GDT
	PM32_GDT_END
	PM32_IDT 256, 8, pit_isr, TIMER_VEC, timer_isr, IPI_VEC, ipi_isr, 0xff, spurious_isr

%include "tail.inc"

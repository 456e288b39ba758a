; ioapic_route: the I/O APIC at FEC00000h with both 8259As masked. Version register (24
; entries); the PIT's IRQ0 on pin 2, edge triggered, to vector 60h on APIC 0: 20
; interrupts, each with ISR bit 60h set in the handler and an EOI; none while the entry is
; masked, and again once unmasked. The RTC's periodic interrupt on pin 8, level triggered:
; remote IRR set in the handler until the EOI; an EOI while the RTC still asserts its
; line (register C not read yet) sends the interrupt again at once.
; tandem-args: --cpu pentium2
; expect-status: 1
; expect-debugcon: ioapic_route.debugcon
; oracle: qemu
; qemu-machine: pc,hpet=off
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	686

STACK32		equ	0x90000
APIC		equ	0xfee00000
IOAPIC		equ	0xfec00000
PIT_VEC		equ	0x60
RTC_VEC		equ	0x68

main:
	PRINT	"ioapic_route", 10
	cli
	mov	al, 0xff			; both 8259As masked
	out	0x21, al
	out	0xa1, al
	mov	al, 0x34			; PIT 0: mode 2, 1 kHz
	out	0x43, al
	mov	ax, 1193
	out	0x40, al
	mov	al, ah
	out	0x40, al
	PM32_ENTER	STACK32

	mov	dword [APIC + 0xf0], 0x1ff	; APIC on, spurious vector FFh
	mov	eax, 1
	call	ioapic_read
	shr	eax, 16
	and	eax, 0xff
	call	hex32				; 17: entries 0-23

	; PIT: pin 2, edge, vector 60h, physical destination 0
	mov	eax, 0x15
	xor	edx, edx
	call	ioapic_write
	mov	eax, 0x14
	mov	edx, PIT_VEC
	call	ioapic_write
	sti
.w20:	hlt
	cmp	dword [pit_count], 20
	jb	.w20
	mov	eax, [isr_seen]
	call	hex32				; 1
	mov	eax, 0x14
	call	ioapic_read
	and	eax, 0x1ffff
	call	hex32				; 00060: no remote IRR on an edge entry
	call	nl32

	; masked: nothing in about 5 ms of PIT time
	mov	eax, 0x14
	mov	edx, 0x10000 | PIT_VEC
	call	ioapic_write
	mov	ebx, [pit_count]
	mov	ecx, 5
	call	pit_wraps
	mov	eax, [pit_count]
	sub	eax, ebx
	call	hex32				; 0
	mov	eax, 0x14
	mov	edx, PIT_VEC
	call	ioapic_write
.again:	hlt
	cmp	[pit_count], ebx
	je	.again
	mov	eax, 1
	call	hex32				; 1: arrives again
	mov	eax, 0x14
	mov	edx, 0x10000 | PIT_VEC
	call	ioapic_write
	call	nl32

	; RTC: pin 8, level, vector 68h
	mov	eax, 0x21
	xor	edx, edx
	call	ioapic_write
	mov	eax, 0x20
	mov	edx, 0x8000 | RTC_VEC
	call	ioapic_write
	mov	al, 0x0c			; clear any old flags
	out	0x70, al
	in	al, 0x71
	mov	dword [rtc_mode], 0
	cli				; each RTC interrupt comes once: it must
	call	rtc_on			; not slip in before the HLT (STI shadow)
.rtc1:	sti
	hlt
	cli
	cmp	dword [rtc_count], 1
	jb	.rtc1
	sti
	mov	eax, [rtc_count]
	call	hex32				; 1
	mov	eax, [rirr_in]
	call	hex32				; 1: remote IRR while in service
	mov	eax, [rirr_after]
	call	hex32				; 0: cleared by the EOI
	mov	dword [rtc_count], 0
	mov	dword [rtc_mode], 1
	cli
	call	rtc_on
.rtc2:	sti
	hlt
	cli
	cmp	dword [rtc_count], 2
	jb	.rtc2
	sti
	mov	ecx, 3				; nothing more comes
	call	pit_wraps
	mov	eax, [rtc_count]
	call	hex32				; 2: EOI with the line high sends again
	call	nl32
	jmp	pass32

; ioapic_read: EAX register -> EAX.  ioapic_write: EAX register, EDX value.
ioapic_read:
	mov	[IOAPIC], eax
	mov	eax, [IOAPIC + 0x10]
	ret
ioapic_write:
	mov	[IOAPIC], eax
	mov	[IOAPIC + 0x10], edx
	ret

; rtc_on: periodic interrupt at 1024 Hz (register A rate 6, register B PIE)
rtc_on:
	mov	al, 0x0a
	out	0x70, al
	mov	al, 0x26
	out	0x71, al
	mov	al, 0x0b
	out	0x70, al
	in	al, 0x71
	or	al, 0x40
	mov	ah, al
	mov	al, 0x0b
	out	0x70, al
	mov	al, ah
	out	0x71, al
	ret

rtc_off:
	mov	al, 0x0b
	out	0x70, al
	in	al, 0x71
	and	al, ~0x40
	mov	ah, al
	mov	al, 0x0b
	out	0x70, al
	mov	al, ah
	out	0x71, al
	ret

; pit_wraps: poll PIT channel 0 until its count wrapped ECX times (1 ms each)
pit_wraps:
	push	ebx
	xor	ebx, ebx
.l:	mov	al, 0				; latch channel 0
	out	0x43, al
	in	al, 0x40
	mov	ah, al
	in	al, 0x40
	xchg	al, ah
	cmp	ax, bx
	mov	bx, ax
	jbe	.l
	loop	.l
	pop	ebx
	ret

pit_isr:
	push	eax
	inc	dword [pit_count]
	mov	eax, [APIC + 0x130]		; ISR bits 60h-7Fh
	and	eax, 1
	mov	[isr_seen], eax
	mov	dword [APIC + 0xb0], 0
	pop	eax
	iretd

rtc_isr:
	push	eax
	inc	dword [rtc_count]
	cmp	dword [rtc_mode], 1
	je	.first
	mov	eax, 0x20
	call	ioapic_read
	shr	eax, 14
	and	eax, 1
	mov	[rirr_in], eax
	call	rtc_off
	mov	al, 0x0c			; read C: the RTC drops its line
	out	0x70, al
	in	al, 0x71
	mov	dword [APIC + 0xb0], 0
	mov	eax, 0x20
	call	ioapic_read
	shr	eax, 14
	and	eax, 1
	mov	[rirr_after], eax
	pop	eax
	iretd
.first:	mov	dword [rtc_mode], 2		; EOI only: the line is still high
	mov	dword [APIC + 0xb0], 0
	pop	eax
	iretd

spurious_isr:
	iretd

%include "pm32_exit.inc"

	align	4
pit_count	dd	0
isr_seen	dd	0
rtc_count	dd	0
rtc_mode	dd	0
rirr_in		dd	0
rirr_after	dd	0

	PM32_GDT
	PM32_GDT_END
	PM32_IDT 256, PIT_VEC, pit_isr, RTC_VEC, rtc_isr, 0xff, spurious_isr

%include "tail.inc"

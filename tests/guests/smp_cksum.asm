; smp_cksum: a long computation on four CPUs while every CPU's local APIC timer ticks,
; for the save-state and hand-off tests (savestate.sh splits it across a save and a load,
; handoff.sh hands it between engines many times; each expects the uninterrupted run's
; output and instruction count). The BSP starts the APs (INIT, SIPI, SIPI to all but
; itself, vector 20h); every CPU runs a periodic 1 kHz-ish APIC timer (vector 60h, count
; 6250 + 1000 * APIC ID at divide 16) whose handler counts its CPU's ticks, takes a
; ticket with LOCK XADD (BSP 0, APs 1-3 in whatever order they come) and computes the
; checksum of its ticket; the BSP waits in HLT for the three, then prints the four sums
; by ticket and, per APIC ID, 1 if that CPU ticked. Checksum of ticket t (Python model):
;   x=t+1; s=0
;   for i in range(N): x=(x*1103515245+12345)&0xffffffff; s=((s<<1|s>>31)^x)+i&0xffffffff
; tandem-args: --cpu pentium2 --smp 4
; expect-status: 1
; expect-debugcon: smp_cksum.debugcon
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
N		equ	200000

main:
	PRINT	"smp_cksum", 10
	cli
	mov	al, 0xff			; no 8259A interrupts
	out	0x21, al
	out	0xa1, al
	TRAMP_INSTALL
	PM32_ENTER	STACK32

	call	timer_on
	; INIT, 10 ticks, SIPI, 2 ticks, SIPI
	mov	dword [APIC + 0x310], 0
	mov	dword [APIC + 0x300], 0xc4500
	mov	ecx, 10
	call	wait_ticks
	mov	dword [APIC + 0x300], 0xc4600 | (TRAMP >> 12)
	mov	ecx, 2
	call	wait_ticks
	mov	dword [APIC + 0x300], 0xc4600 | (TRAMP >> 12)
	call	work
	; wait up to 100000 ticks for the APs' sums (QEMU ticks ten times as fast)
	mov	ecx, 100000
.wait:	cmp	dword [done], NAPS
	jae	.all
	hlt
	loop	.wait
.all:	mov	eax, [done]
	call	hex32				; 3
	call	nl32
	xor	ebx, ebx
.sums:	mov	eax, [sums + ebx * 4]
	call	hex32
	inc	ebx
	cmp	ebx, NAPS + 1
	jb	.sums
	call	nl32
	xor	ebx, ebx
.tk:	xor	eax, eax
	cmp	dword [ticks + ebx * 4], 0
	setne	al
	call	hex32
	inc	ebx
	cmp	ebx, NAPS + 1
	jb	.tk
	call	nl32
	jmp	pass32

; timer_on: this CPU's APIC enabled, its timer periodic at vector 60h; interrupts on
timer_on:
	mov	dword [APIC + 0xf0], 0x1ff
	mov	dword [APIC + 0x3e0], 3		; divide by 16
	mov	dword [APIC + 0x320], 0x20060	; periodic, vector 60h
	mov	eax, [APIC + 0x20]
	shr	eax, 24
	imul	eax, eax, 1000
	add	eax, 6250
	mov	[APIC + 0x380], eax
	sti
	ret

; wait_ticks: HLT until this (the boot) CPU's timer ticked ECX times
wait_ticks:
	add	ecx, [ticks]
.w:	hlt
	cmp	[ticks], ecx
	jb	.w
	ret

; work: take a ticket, store its checksum, count it done
work:
	mov	eax, 1
	lock xadd [ticket], eax
	push	eax
	lea	ebx, [eax + 1]			; x
	xor	esi, esi			; s
	xor	ecx, ecx			; i
.l:	imul	ebx, ebx, 1103515245
	add	ebx, 12345
	rol	esi, 1
	xor	esi, ebx
	add	esi, ecx
	inc	ecx
	cmp	ecx, N
	jb	.l
	pop	eax
	mov	[sums + eax * 4], esi
	test	eax, eax
	jz	.bsp
	lock inc dword [done]
.bsp:	ret

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
	call	timer_on
	call	work
.idle:	hlt
	jmp	.idle

timer_isr:
	push	eax
	mov	eax, [APIC + 0x20]
	shr	eax, 24
	lock inc dword [ticks + eax * 4]
	mov	dword [APIC + 0xb0], 0
	pop	eax
	iretd

spurious_isr:
	iretd

%include "pm32_exit.inc"

; --- the trampoline, copied to 2000:0000 ---------------------------------------
	TRAMP_CODE

	align	4
ticket		dd	0
done		dd	0
sums		times 8 dd 0
ticks		times 8 dd 0

	PM32_GDT
	PM32_GDT_END
	PM32_IDT 256, 0x60, timer_isr, 0xff, spurious_isr

%include "tail.inc"

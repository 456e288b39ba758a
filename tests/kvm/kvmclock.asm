; kvmclock: KVM's paravirtual clock as --cpu host offers it (accel/kvm/kvm_cpuid.c,
; cpu/x86-interp/x86i_kvmclock.c).  CPUID 40000000h must say "KVMKVMKVM" and
; 40000001h offer CLOCKSOURCE2; the wall-clock MSR (4B564D00h) must fill its record
; with a plausible date; the system-time MSR (4B564D01h) must read back and fill the
; pvclock record (even version, non-zero TSC multiplier).  Then, in 3 phases, the
; guest reads its time the way Linux does (system_time + scaled TSC delta) over 6 BIOS
; timer ticks: the time must never go back, and the time that passed must match the
; ticks (the PIT and kvmclock follow the same machine clock).  tests/kvm/handoff.sh
; also runs it with --handoff-at handoff_point, so that the MSRs are written on the
; interpreter and the phases alternate between the engines (the time must not jump
; at a switch), and with --handoff-after-insns.
; Self-checking: PASS (exit status 1) or FAIL n.  Real mode only; needs --cpu host.
%include "lib.inc"
	cpu	686

PV	equ	0x580			; struct pvclock_vcpu_time_info (32 bytes)
WALL	equ	0x5c0			; struct pvclock_wall_clock (12 bytes)
TICKS	equ	0x46c			; BIOS timer ticks (18.2 Hz)
NTICKS	equ	6			; per phase (late ticks under load: a few ms)
NPHASES	equ	3

main:
	PRINT	"kvmclock: paravirtual clock under --cpu host", 10
	call	check_cpuid
	; handoff.sh runs this with --handoff-at handoff_point: the MSRs are then
	; written on the interpreter, and each phase below runs on the other engine.
	call	handoff_point
	call	check_cpuid

	mov	ecx, 0x4b564d00		; MSR_KVM_WALL_CLOCK_NEW
	xor	edx, edx
	mov	eax, WALL
	wrmsr
	test	byte [WALL], 1		; version even once written
	jnz	.f3
	cmp	dword [WALL + 4], 1577836800	; seconds: after 2020-01-01
	jb	.f3

	mov	ecx, 0x4b564d01		; MSR_KVM_SYSTEM_TIME_NEW, enable bit 0
	xor	edx, edx
	mov	eax, PV | 1
	wrmsr
	xor	eax, eax
	rdmsr
	cmp	eax, PV | 1
	jne	.f4
	test	edx, edx
	jnz	.f4
	test	byte [PV], 1
	jnz	.f5
	cmp	dword [PV + 24], 0	; tsc_to_system_mul
	je	.f5
	PRINT	"pvclock record written: version even, multiplier set", 10

	mov	cx, NPHASES
.phase:	call	measure
	dec	cx
	jz	.done
	call	switch_engine
	jmp	.phase
.done:	PRINT	"kvmclock ok", 10
	jmp	pass
.f3:	PRINT	"wall clock record not written", 10
	mov	al, 3
	jmp	fail
.f4:	PRINT	"MSR 4B564D01h does not read back", 10
	mov	al, 4
	jmp	fail
.f5:	PRINT	"pvclock record not written", 10
	mov	al, 5
	jmp	fail

check_cpuid:
	mov	eax, 0x40000000
	cpuid
	cmp	ebx, 'KVMK'
	jne	.f1
	cmp	ecx, 'VMKV'
	jne	.f1
	cmp	edx, 'M'
	jne	.f1
	cmp	eax, 0x40000001
	jb	.f1
	mov	eax, 0x40000001
	cpuid
	test	al, 1 << 3		; KVM_FEATURE_CLOCKSOURCE2
	jz	.f2
	ret
.f1:	PRINT	"CPUID 40000000h: no KVM signature", 10
	mov	al, 1
	jmp	fail
.f2:	PRINT	"CPUID 40000001h: no CLOCKSOURCE2", 10
	mov	al, 2
	jmp	fail

; switch_engine: calls handoff_point (where --handoff-at moves the guest to the other
; engine); the time read just after must follow the time read just before by less
; than 20 ms.
switch_engine:
	pushad
	call	read_time
	mov	[t0], eax
	mov	[t0 + 4], edx
	call	handoff_point
	call	read_time
	sub	eax, [t0]
	sbb	edx, [t0 + 4]
	jb	.f9			; back
	jnz	.f9
	cmp	eax, 20000000
	jae	.f9
	popad
	ret
.f9:	PRINT	"kvmclock jumped across the engine hand-off", 10
	mov	al, 9
	jmp	fail

handoff_point:
	nop
	ret

; measure: from a timer tick's edge, reads the time until NTICKS more ticks passed;
; the time must never go back, and must advance NTICKS * 54.925 ms (+-10%: a hand-off
; that loses or gains a few microseconds each time, thousands of times, shows).
measure:
	pushad
	mov	bx, [TICKS]
.edge:	cmp	bx, [TICKS]
	je	.edge
	mov	bx, [TICKS]
	mov	[tick0], bx
	call	read_time
	mov	[t0], eax
	mov	[t0 + 4], edx
	mov	[prev], eax
	mov	[prev + 4], edx
	mov	dword [reads], 0
.loop:
	call	read_time
	cmp	edx, [prev + 4]		; never back
	jb	.f6
	ja	.fwd
	cmp	eax, [prev]
	jb	.f6
.fwd:	mov	[prev], eax
	mov	[prev + 4], edx
	inc	dword [reads]
	mov	ax, [TICKS]
	sub	ax, [tick0]
	cmp	ax, NTICKS
	jb	.loop

	mov	eax, [prev]		; elapsed in ms
	mov	edx, [prev + 4]
	sub	eax, [t0]
	sbb	edx, [t0 + 4]
	mov	ecx, 1000000
	cmp	edx, ecx
	jae	.f7
	div	ecx
	PRINT	"kvmclock advanced "
	call	putdec
	PRINT	" ms over ", '0' + NTICKS, " timer ticks", 10
	cmp	eax, NTICKS * 54925 * 9 / 10000
	jb	.f7
	cmp	eax, NTICKS * 54925 * 11 / 10000
	ja	.f7
	cmp	dword [reads], 100
	jb	.f8
	mov	ecx, 0x4b564d01		; still enabled (a hand-off or a save state kept it)
	rdmsr
	cmp	eax, PV | 1
	jne	.f10
	popad
	ret
.f10:	PRINT	"MSR 4B564D01h lost its value", 10
	mov	al, 10
	jmp	fail
.f6:	PRINT	"kvmclock went back", 10
	mov	al, 6
	jmp	fail
.f7:	PRINT	"kvmclock and the timer ticks disagree", 10
	mov	al, 7
	jmp	fail
.f8:	PRINT	"too few reads", 10
	mov	al, 8
	jmp	fail

; read_time: EDX:EAX = kvmclock ns, as Linux's pvclock_clocksource_read computes it:
; system_time + ((tsc - tsc_timestamp) << shift) * mul >> 32, retried while the
; version is odd or changed.
read_time:
	push	ebx
	push	ecx
	push	esi
	push	edi
.retry:
	mov	esi, [PV]
	test	esi, 1
	jnz	.retry
	rdtsc
	sub	eax, [PV + 8]
	sbb	edx, [PV + 12]
	mov	cl, [PV + 28]
	test	cl, cl
	js	.right
	shld	edx, eax, cl
	shl	eax, cl
	jmp	.scale
.right:	neg	cl
	shrd	eax, edx, cl
	shr	edx, cl
.scale:	mov	ebx, [PV + 24]
	mov	ecx, edx
	mul	ebx			; low half * mul
	mov	edi, edx
	mov	eax, ecx
	mul	ebx			; high half * mul
	add	eax, edi
	adc	edx, 0
	add	eax, [PV + 16]
	adc	edx, [PV + 20]
	cmp	esi, [PV]
	jne	.retry
	pop	edi
	pop	esi
	pop	ecx
	pop	ebx
	ret

	align	4
t0	dd	0, 0
prev	dd	0, 0
reads	dd	0
tick0	dw	0

%include "tail.inc"

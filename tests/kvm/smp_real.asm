; smp_real: two or more CPUs in real mode, for KVMs that run real mode only (see run.sh).
; The BSP reaches its local APIC at FEE00000h in big real mode ("unreal": a short
; protected-mode excursion without paging loads FS with a 4 GiB limit, which stays when
; CR0.PE goes back to 0), sends INIT and two start-up IPIs (vector 02h: 0200:0000) to all
; but itself and waits with HLT on the BIOS's 18.2 Hz tick. The APs stay in real mode:
; each takes a ticket with LOCK XADD (BSP 0, APs 1...), computes the checksum of its
; ticket and counts itself done with LOCK INC. The BSP prints how many APs came (the
; CPU count from CMOS 5Fh, as --smp set it) and the sums of tickets 0-3 (0000 for a
; ticket no CPU took). Before, it checks its APIC ID (0) and, through FS, the I/O APIC's
; version register (11h; QEMU's 20h); after, that the TSC an AP last read (they spin
; reading it once done) is within one BIOS tick of the BSP's (under KVM an AP's TSC
; counts on while it waits for its turn).
; Checksum of ticket t (Python model, as smp_real.debugcon was made):
;   x=t+1; s=0
;   for i in range(30000): x=(x*25173+13849)&0xffff; s=(((s<<1|s>>15)&0xffff)^x)+i&0xffff
; Self-checking: PASS (exit status 1) or FAIL n.
; tandem-args: --smp 2
%include "lib.inc"
	cpu	586

APIC		equ	0xfee00000
IOAPIC		equ	0xfec00000
TRAMP		equ	0x2000		; start-up vector 02h
N		equ	30000

main:
	PRINT	"smp_real", 10
	; the trampoline at 0200:0000
	push	es
	mov	ax, TRAMP >> 4
	mov	es, ax
	mov	si, tramp
	xor	di, di
	mov	cx, tramp_end - tramp
	cld
.copy:	lodsb
	stosb
	loop	.copy
	pop	es
	; big real mode for FS
	cli
	lgdt	[gdt_ptr]
	mov	eax, cr0
	or	al, 1
	mov	cr0, eax
	mov	bx, 0x08
	mov	fs, bx
	and	al, 0xfe
	mov	cr0, eax
	xor	bx, bx
	mov	fs, bx			; base 0 again; the 4 GiB limit stays
	sti
	mov	ebx, APIC
	mov	eax, [fs:ebx + 0x20]
	shr	eax, 24
	test	ax, ax			; the BSP's APIC ID: 0
	CHECK	z, 1
	mov	dword [fs:ebx + 0xf0], 0x1ff
	mov	dword [fs:ebx + 0x310], 0
	mov	dword [fs:ebx + 0x300], 0xc4500	; INIT to all but self
	call	tick
	mov	dword [fs:ebx + 0x300], 0xc4600 | (TRAMP >> 12)
	call	tick
	mov	dword [fs:ebx + 0x300], 0xc4600 | (TRAMP >> 12)
	mov	ebx, IOAPIC
	mov	dword [fs:ebx], 1	; IOREGSEL: version
	mov	eax, [fs:ebx + 0x10]
	cmp	al, 0x11		; the 82093AA's (QEMU's I/O APIC says 20h)
	je	.ver
	cmp	al, 0x20
	CHECK	e, 2
.ver:
	; the APs, then the BSP's own share
	call	work
	; CPUs from CMOS 5Fh (--smp - 1 APs); wait up to ~5 s for them
	mov	al, 0x5f
	out	0x70, al
	in	al, 0x71
	xor	ah, ah
	mov	[naps], ax
	mov	cx, 91
.wait:	mov	ax, [done]
	cmp	ax, [naps]
	jae	.all
	call	tick
	loop	.wait
.all:	mov	ax, [done]
	call	puthex16
	call	nl
	mov	bx, 0
.sums:	mov	ax, [sums + bx]
	call	puthex16
	mov	al, ' '
	call	putc
	add	bx, 2
	cmp	bx, 8
	jb	.sums
	call	nl
	mov	ax, [done]
	cmp	ax, [naps]
	CHECK	e, 3			; every AP came
	; the APs' TSCs run with the BSP's: an AP's last reading is less than one BIOS
	; tick (55 ms) of the BSP's TSC away from the BSP's own
	call	tick
	call	tsc256
	mov	ebp, eax
	call	tick
	call	tsc256
	sub	eax, ebp		; 55 ms
	mov	ebp, eax
	call	tsc256
	sub	eax, [ap_tsc]
	jns	.pos
	neg	eax
.pos:	cmp	eax, ebp
	CHECK	b, 4
	jmp	pass

; tsc256: EAX = this CPU's TSC / 256
tsc256:
	push	edx
	rdtsc
	shrd	eax, edx, 8
	pop	edx
	ret

; tick: HLT until the BIOS's tick count at 0040:006C moved
tick:
	push	ax
	push	ds
	mov	ax, 0x40
	mov	ds, ax
	mov	ax, [0x6c]
.h:	hlt
	cmp	ax, [0x6c]
	je	.h
	pop	ds
	pop	ax
	ret

; work (DS = 0): take a ticket, store its checksum at sums, the APs count themselves
work:
	mov	ax, 1
	lock xadd [ticket], ax
	mov	bx, ax
	inc	ax
	mov	di, ax			; x
	xor	si, si			; s
	xor	cx, cx			; i
.l:	mov	ax, di
	mov	dx, 25173
	mul	dx
	add	ax, 13849
	mov	di, ax
	rol	si, 1
	xor	si, ax
	add	si, cx
	inc	cx
	cmp	cx, N
	jb	.l
	cmp	bx, 3
	ja	.more			; a fifth CPU and on: counted, not shown
	shl	bx, 1
	mov	[sums + bx], si
	shr	bx, 1
.more:	test	bx, bx
	jz	.bsp
	lock inc word [done]
.bsp:	ret

; --- the trampoline, copied to 0200:0000: real mode, DS = 0, a stack per ticket ---
tramp:
	cli
	xor	ax, ax
	mov	ds, ax
	mov	ss, ax
	mov	ax, 1
	lock xadd [stack_ticket], ax
	shl	ax, 8
	mov	sp, 0x5000		; 5000h - 100h * n, below the BSP's stack
	sub	sp, ax
	jmp	0:ap_main
tramp_end:

ap_main:
	call	work
.spin:	rdtsc				; its time-stamp counter, in 256-tick units
	shrd	eax, edx, 8
	mov	[ap_tsc], eax
	jmp	.spin

	align	4
ticket		dw	0
stack_ticket	dw	1
done		dw	0
naps		dw	0
	align	4
ap_tsc		dd	0
sums		times 4 dw 0

	align	8
gdt		dq	0
		dq	0x00cf92000000ffff	; 08: flat data, 4 GiB
gdt_end:
gdt_ptr		dw	gdt_end - gdt - 1
		dd	gdt

%include "tail.inc"

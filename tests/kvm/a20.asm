; a20: the A20 gate under KVM, which cannot mask address bit 20 itself: tandem aliases
; the HMA (FFFF:0010-FFFF:FFFF) to the first 64 KiB while the gate is closed and maps
; RAM there while it is open (accel/kvm/kvm_mem.c).  Toggles the gate (keyboard
; controller and port 92h) and checks both ways, twice (each change re-registers KVM's
; memory slots).
; Self-checking: PASS (exit status 1) or FAIL n.  Needs a 286+ CPU (--cpu host).
%include "lib.inc"

main:
	PRINT	"a20: port 92h gate under KVM", 10
	push	ds
	mov	cx, 2
.again:
	call	gate_off
	call	wraps
	jnz	.f1
	call	gate_on
	call	wraps
	jz	.f2
	loop	.again
	pop	ds
	PRINT	"a20 ok", 10
	jmp	pass
.f1:	pop	ds
	PRINT	"closed gate does not wrap", 10
	mov	al, 1
	jmp	fail
.f2:	pop	ds
	PRINT	"open gate wraps", 10
	mov	al, 2
	jmp	fail

; The board ORs the two gates (keyboard controller output port bit 1, port 92h bit 1):
; close both, open through port 92h alone.
gate_off:
	in	al, 0x92
	and	al, 0xfc
	out	0x92, al
	mov	al, 0xdd		; 8042 output port: A20 off, reset line inactive
	jmp	kbc_output

gate_on:
	in	al, 0x92
	and	al, 0xfe
	or	al, 2
	out	0x92, al
	ret

kbc_output:				; writes AL to the 8042's output port (command D1h)
	push	ax
	call	kbc_wait
	mov	al, 0xd1
	out	0x64, al
	call	kbc_wait
	pop	ax
	out	0x60, al
	jmp	kbc_wait

kbc_wait:				; until the input buffer is empty
	push	ax
.w:	in	al, 0x64
	test	al, 2
	jnz	.w
	pop	ax
	ret

; ZF=1 when FFFF:0510 and 0000:0500 are the same byte (wrap-around).
wraps:
	push	es
	push	ax
	xor	ax, ax
	mov	es, ax
	mov	ax, 0xffff
	mov	ds, ax
	mov	byte [es:0x500], 0x11
	mov	byte [0x510], 0x22	; 10FFF0h + 510h - 10h... = 100500h, or 500h if wrapped
	cmp	byte [es:0x500], 0x22
	pop	ax
	pop	es
	ret

%include "tail.inc"

; tcg_seglimit: segment limits that tcg-lite's native code took as constants change
; under it (accel/tcg-lite/tl_mem.c: a data segment whose limit is FFFFh or
; FFFFFFFFh when a block is translated gets a compare of the offset with that constant,
; and the run's entry guard sends the block back for translation when the limit
; differs).  A probe routine reads ES:EDI (a word, then a byte) 40 times with ES's
; limit at FFFFh (the block turns hot after 16), then with ES reloaded with a limit of
; 0FFFh: a word at 0FFEh is read, a word at 0FFFh and a byte at 1000h raise #GP(0).
; The same after 40 rounds with the flat 4 GiB ES, then ES limited to FFFFh: FFFEh
; reads, FFFFh and 10000h fault.  The #GP handler counts the faults and steps over
; the faulting instruction; the counts and the bytes read are checked, and
; tests/tcg/run.sh compares the run, cycles included, with the interpreter's.
; QEMU's TCG does not check data segment limits, so Bochs is the oracle.
; tandem-args: --cpu 80386
; expect-status: 1
; oracle: bochs
%include "lib.inc"
%include "pm32_boot.inc"
	cpu	386

STACK32		equ	0x90000

; CHK n: unless the last compare found equal, exit with failure n.
%macro CHK 1
	je	%%ok
	mov	al, %1
	jmp	exit32
%%ok:
%endmacro
SEL_LIM64K	equ	0x18			; data, base 0, limit FFFFh
SEL_LIM4K	equ	0x20			; data, base 0, limit 0FFFh

main:
	PRINT	"tcg_seglimit", 10
	cli
	PM32_ENTER	STACK32
	mov	dword [0x0ffe], 0x0100fffe	; the bytes read: low byte of the address
	mov	dword [0xfffe], 0x0100fffe

	; --- translated with limit FFFFh, run with 0FFFh ------------------------
	mov	ax, SEL_LIM64K
	mov	es, ax
	mov	ecx, 40
.hot1:	mov	edi, 0x0ffe
	call	probe
	loop	.hot1
	cmp	dword [faults], 0
	CHK	3
	mov	ax, SEL_LIM4K
	mov	es, ax
	mov	edi, 0x0ffe			; word at 0FFEh-0FFFh: inside
	call	probe
	cmp	dword [faults], 0
	CHK	4
	cmp	word [got_w], 0xfffe
	CHK	5
	mov	edi, 0x0fff			; the word faults, the byte reads
	call	probe
	cmp	dword [faults], 1
	CHK	6
	cmp	byte [got_b], 0xff
	CHK	7
	mov	edi, 0x1000			; both fault
	call	probe
	cmp	dword [faults], 3
	CHK	8
	mov	ecx, 20				; hot again, retranslated: still checked
.hot2:	mov	edi, 0x0ffe
	call	probe
	loop	.hot2
	mov	edi, 0x0fff
	call	probe
	cmp	dword [faults], 4
	CHK	9

	; --- translated with the flat 4 GiB ES, run with FFFFh -----------------
	mov	ax, 0x10
	mov	es, ax
	mov	ecx, 40
.hot3:	mov	edi, 0xfffe
	call	probe2
	loop	.hot3
	mov	dword [faults], 0
	mov	ax, SEL_LIM64K
	mov	es, ax
	mov	edi, 0xfffe
	call	probe2
	cmp	dword [faults], 0
	CHK	10
	cmp	word [got_w], 0xfffe
	CHK	11
	mov	edi, 0xffff
	call	probe2
	cmp	dword [faults], 1
	CHK	12
	cmp	byte [got_b], 0xff
	CHK	13
	mov	edi, 0x10000
	call	probe2
	cmp	dword [faults], 3
	CHK	14
	mov	ax, 0x10			; flat again: nothing faults
	mov	es, ax
	mov	edi, 0x10000
	call	probe2
	cmp	dword [faults], 3
	CHK	15
	cmp	word [got_w], 0x0100
	CHK	16
	jmp	pass32

; probe/probe2 (two copies: two blocks, each translated under one limit):
; got_w = word [es:edi], got_b = byte [es:edi].
%macro PROBE 0
	mov	ax, [es:edi]
	mov	[got_w], ax
	mov	al, [es:edi]
	mov	[got_b], al
	ret
%endmacro
probe:	PROBE
probe2:	PROBE

; #GP: count it and step over the load that raised it (26 66 8B 07, or 26 8A 07).
gp_skip:
	push	eax
	mov	eax, [esp + 8]
	cmp	byte [eax + 1], 0x66
	mov	eax, 3
	jne	.len
	inc	eax
.len:	add	[esp + 8], eax
	pop	eax
	inc	dword [faults]
	add	esp, 4				; the error code
	iretd

%include "pm32_exit.inc"

	align	4
faults		dd	0
got_w		dw	0
got_b		db	0

	PM32_GDT
		dq	0x00009200_0000ffff	; 18: data, limit FFFFh
		dq	0x00009200_00000fff	; 20: data, limit 0FFFh
	PM32_GDT_END
	PM32_IDT 32, 13, gp_skip

%include "tail.inc"

; cpu386: can this tandem's 386-class CPU model boot a guest and run 32-bit port I/O
; and register code in real mode? tests/net/rtl8139.sh runs the RTL8139 guest on
; tandem only when this passes (it says SKIP otherwise).
%include "lib.inc"
	cpu	386

main:
	mov	eax, 0x12345678
	rol	eax, 8
	cmp	eax, 0x34567812
	CHECK	e, 1
	mov	dx, 0xcf8		; PCI configuration address: a dword port
	mov	eax, 0x80000000
	out	dx, eax
	in	eax, dx
	cmp	eax, 0x80000000
	CHECK	e, 2
	xor	eax, eax
	out	dx, eax
	jmp	pass

%include "tail.inc"

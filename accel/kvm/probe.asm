; KVM probe guest: OUT to port 0x511 in real mode -> 32-bit protected mode -> paging on, a write
; through a remapped page, the value read back out of port 0x510, then HLT.
; Loaded at 0x3000 with CS base 0; memory (built by the host): 0x0000 page
; directory, 0x1000 page table (virtual 6000h -> physical 5000h), 0x2000 GDT.
bits 16
org 0x3000
	cli
	mov dx, 0x511		; "real mode runs"
	out dx, al
	o32 lgdt [gdtr]
	mov eax, cr0
	or eax, 1
	mov cr0, eax
	jmp dword 0x08:pm
bits 32
pm:	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov cr3, eax
	mov eax, cr0
	or eax, 0x80000000
	mov cr0, eax
	jmp .flush
.flush:	mov dword [0x6000], 0x5a17c0de
	mov eax, [0x6000]
	mov dx, 0x510
	out dx, eax
	hlt
	jmp $
align 8
gdtr:	dw 23
	dd 0x2000

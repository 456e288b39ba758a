; tandem BIOS: the INT 15h services that need a 286/386 (87h, 89h, E820h)
; and the memory map (E820h, E801h).  Included by int15.asm.  Each is
; reached only after POST's CPU detection (BDA_MACHINE MACH_286/MACH_386)
; said the instructions exist; the 8086 paths never run them.

E820_COUNT	equ 0FEh	; EBDA word: entries in the map
E820_TABLE	equ 100h	; EBDA: 20-byte entries (base, length, type)
E820_MAX	equ 8

; POST (at with CMOS): the memory map into the EBDA.  DS = BDA.
e820_build:
	test byte [BDA_MACHINE], MACH_CMOS
	jz .done
	push es
	mov es, [BDA_EBDASEG]
	mov word [es:E820_COUNT], 0
	mov di, E820_TABLE
	; conventional memory up to the EBDA
	mov ax, [BDA_EBDASEG]
	call seg_lin
	mov bx, ax
	mov cx, dx
	xor ax, ax
	xor dx, dx
	mov si, 1
	call e820_put
	; the EBDA up to 640 KiB (it holds the ACPI tables too)
	mov ax, [BDA_EBDASEG]
	call seg_lin
	xor bx, bx
	sub bx, ax
	mov cx, 0Ah
	sbb cx, dx
	mov si, 2
	call e820_put
	; this ROM
	xor ax, ax
	mov dx, 0Fh
	xor bx, bx
	mov cx, 1
	call e820_put
	; extended memory: 64 KiB blocks above 16 MiB (CMOS 34h/35h) when
	; there are any, else KiB above 1 MiB (CMOS 17h/18h)
	mov al, 35h
	call cmos_read
	mov ah, al
	mov al, 34h
	call cmos_read
	or ax, ax
	jz .kb
	cmp ax, 0DF00h		; keep RAM below the PCI hole at E0000000h
	jbe .blocks
	mov ax, 0DF00h
.blocks:
	add ax, 0F0h		; + the 15 MiB from 1 MiB to 16 MiB
	mov cx, ax
	xor bx, bx
	jmp .ext
.kb:
	mov al, 18h
	call cmos_read
	mov ah, al
	mov al, 17h
	call cmos_read
	or ax, ax
	jz .top
	mov bx, ax
	mov cl, 6
	shr ax, cl
	mov cl, 10
	shl bx, cl
	mov cx, ax		; CX:BX = KiB * 1024
.ext:
	xor ax, ax
	mov dx, 10h
	mov si, 1
	call e820_put
.top:
	; the BIOS alias below 4 GiB
	xor ax, ax
	mov dx, 0FFFCh
	xor bx, bx
	mov cx, 4
	mov si, 2
	call e820_put
	pop es
.done:
	ret

; DX:AX = AX * 16 (a segment's linear address).  Clobbers CL.
seg_lin:
	mov dx, ax
	mov cl, 4
	shl ax, cl
	mov cl, 12
	shr dx, cl
	ret

; Store the entry base DX:AX, length CX:BX, type SI at ES:DI (DI advances).
e820_put:
	cmp word [es:E820_COUNT], E820_MAX
	jae .full
	stosw
	mov ax, dx
	stosw
	xor ax, ax
	stosw
	stosw
	mov ax, bx
	stosw
	mov ax, cx
	stosw
	xor ax, ax
	stosw
	stosw
	mov ax, si
	stosw
	xor ax, ax
	stosw
	inc word [es:E820_COUNT]
.full:
	ret

; Set or clear CF in the caller's FLAGS (an IRET frame on the stack) and
; return from the interrupt.
iret_cf:
	push bp
	mov bp, sp
	or byte [bp + 6], FL_CF
	pop bp
	iret
iret_nc:
	push bp
	mov bp, sp
	and byte [bp + 6], ~FL_CF
	pop bp
	iret

; AX=E801h: AX = CX = KiB from 1 MiB to 16 MiB, BX = DX = 64 KiB blocks
; above 16 MiB.  (FRAME_ENTER frame.)
s_e801:
	test byte [BDA_MACHINE], MACH_CMOS
	jnz .go
	jmp s_unsupported
.go:
	mov al, 18h
	call cmos_read
	mov ah, al
	mov al, 17h
	call cmos_read
	cmp ax, 3C00h
	jbe .low
	mov ax, 3C00h
.low:
	mov [bp + F_AX], ax
	mov [bp + F_CX], ax
	mov al, 35h
	call cmos_read
	mov ah, al
	mov al, 34h
	call cmos_read
	mov [bp + F_BX], ax
	mov [bp + F_DX], ax
	and word [bp + F_FLAGS], ~FL_CF
	ret

	cpu 386
; EAX=E820h (386 only, checked by int15): EDX = 'SMAP', EBX = index,
; ECX >= 20, ES:DI = buffer.  Returns the entry, EBX = next index (0 after
; the last), EAX = 'SMAP', ECX = 20.
s_e820:
	cmp edx, 534D4150h
	jne .bad
	cmp ecx, 20
	jb .bad
	push ds
	push si
	push di
	push cx
	mov ax, BDA_SEG
	mov ds, ax
	mov ds, [BDA_EBDA]
	movzx eax, word [E820_COUNT]
	cmp ebx, eax
	jae .bad_pop
	imul si, bx, 20
	add si, E820_TABLE
	mov cx, 10
	cld
	rep movsw
	inc ebx
	cmp ebx, eax
	jb .more
	xor ebx, ebx
.more:
	pop cx
	pop di
	pop si
	pop ds
	mov eax, 534D4150h
	mov ecx, 20
	jmp iret_nc
.bad_pop:
	pop cx
	pop di
	pop si
	pop ds
.bad:
	mov ah, 86h
	jmp iret_cf

	cpu 286
; AH=87h: copy CX words from the descriptor at ES:SI+10h to the one at
; ES:SI+18h (a caller-built GDT; we fill 08h, 20h and 28h).  Interrupts
; stay off throughout.  A 386 leaves protected mode by clearing CR0.PE; a
; 286 cannot, so it resets the CPU with shutdown code 09h and POST comes
; back to bm_resume with the stack saved at 0040:0067.
s_blockmove:
	push ds
	push ax
	mov ax, BDA_SEG
	mov ds, ax
	test byte [BDA_MACHINE], MACH_286
	pop ax
	pop ds
	jnz .go
	mov ah, 86h
	jmp iret_cf
.go:
	cmp cx, 8000h
	jbe .size_ok
	mov ah, 03h		; more than 64 KiB: refuse
	jmp iret_cf
.size_ok:
	cli
	pusha
	push ds
	push es
	; 08h: the GDT itself
	mov ax, es
	mov dx, ax
	shl ax, 4
	shr dx, 12
	add ax, si
	adc dl, 0
	mov word [es:si + 08h], 2Fh
	mov [es:si + 0Ah], ax
	mov [es:si + 0Ch], dl
	mov byte [es:si + 0Dh], 93h
	mov word [es:si + 0Eh], 0
	; 20h: this code; 28h: the current stack
	mov word [es:si + 20h], 0FFFFh
	mov word [es:si + 22h], 0
	mov byte [es:si + 24h], 0Fh
	mov byte [es:si + 25h], 9Bh
	mov word [es:si + 26h], 0
	mov ax, ss
	mov dx, ax
	shl ax, 4
	shr dx, 12
	mov word [es:si + 28h], 0FFFFh
	mov [es:si + 2Ah], ax
	mov [es:si + 2Ch], dl
	mov byte [es:si + 2Dh], 93h
	mov word [es:si + 2Eh], 0
	lgdt [es:si + 08h]
	in al, 92h		; A20 on for the copy, as it was afterwards
	push ax
	or al, 02h
	and al, 0FEh
	out 92h, al
	mov ax, BDA_SEG
	mov ds, ax
	test byte [BDA_MACHINE], MACH_386
	jnz .pm386
	mov [67h], sp
	mov [69h], ss
	mov al, 0Fh
	out 70h, al
	mov al, 09h
	out 71h, al
	smsw ax
	or al, 1
	lmsw ax
	jmp 20h:.pm286
.pm286:
	call bm_copy
	mov al, 0FEh		; pulse the CPU reset line through the i8042
	out 64h, al
.hang:
	hlt
	jmp .hang

	cpu 386
.pm386:
	push eax
	mov dx, ss
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 20h:.pm386b
.pm386b:
	call bm_copy
	mov eax, cr0
	and al, 0FEh
	mov cr0, eax
	jmp BIOS_SEG:.rm386
.rm386:
	mov ss, dx
	pop eax
	jmp bm_done

	cpu 286
; POST's shutdown code 09h lands here in real mode, SS:SP as saved.
bm_resume:
bm_done:
	pop ax
	and al, 0FEh
	out 92h, al
	pop es
	pop ds
	popa
	xor ah, ah
	push bp
	mov bp, sp
	and byte [bp + 6], ~FL_CF
	or byte [bp + 6], FL_ZF
	pop bp
	iret

; In protected mode at selector 20h: the copy itself.  CX = words.  Leaves
; DS and ES with real-mode-like 64 KiB descriptors.
bm_copy:
	mov ax, 28h
	mov ss, ax
	mov ax, 10h
	mov ds, ax
	mov ax, 18h
	mov es, ax
	xor si, si
	xor di, di
	cld
	rep movsw
	mov ax, 28h
	mov ds, ax
	mov es, ax
	ret

; AH=89h: switch to protected mode for the caller.  ES:SI = its GDT
; (08h GDT, 10h IDT, 18h DS, 20h ES, 28h SS, 30h CS; we fill 38h with this
; code), BH/BL = vector bases for IRQ 0-7 / 8-15.  Returns at CS=30h with
; AH=0, CF=0, the PICs re-based and masked, A20 on, interrupts off.
s_protmode:
	push ds
	push ax
	mov ax, BDA_SEG
	mov ds, ax
	test byte [BDA_MACHINE], MACH_286
	pop ax
	pop ds
	jnz .go
	mov ah, 86h
	jmp iret_cf
.go:
	cli
	in al, 92h
	or al, 02h
	and al, 0FEh
	out 92h, al
	mov al, 11h
	out 20h, al
	out 0A0h, al
	mov al, bh
	out 21h, al
	mov al, bl
	out 0A1h, al
	mov al, 04h
	out 21h, al
	mov al, 02h
	out 0A1h, al
	mov al, 01h
	out 21h, al
	out 0A1h, al
	mov al, 0FFh
	out 21h, al
	out 0A1h, al
	mov word [es:si + 38h], 0FFFFh
	mov word [es:si + 3Ah], 0
	mov byte [es:si + 3Ch], 0Fh
	mov byte [es:si + 3Dh], 9Bh
	mov word [es:si + 3Eh], 0
	lgdt [es:si + 08h]
	lidt [es:si + 10h]
	pop bp			; return IP; CS and FLAGS are dropped
	add sp, 4
	smsw ax
	or al, 1
	lmsw ax
	jmp 38h:.pm
.pm:
	mov ax, 18h
	mov ds, ax
	mov ax, 20h
	mov es, ax
	mov ax, 28h
	mov ss, ax
	push word 30h
	push bp
	xor ax, ax		; AH = 0, CF = 0
	retf

	cpu 8086

; tandem BIOS: PCI on an AT with a 386 or later (configuration mechanism
; #1 needs 32-bit port accesses): the INT 1Ah AX=B1xxh PCI BIOS 2.10
; (real mode), and POST enumeration of bus 0: BAR sizing and assignment,
; command register, PIIX3 PIRQ routing and interrupt lines.

PCI_ADDR	equ 0CF8h
PCI_DATA	equ 0CFCh
PCI_IO_BASE	equ 0C000h	; I/O BARs are assigned upwards from here
PCI_IO_END	equ 0FFFFh
PCI_MEM_TOP	equ 0FEC0h	; memory BARs downwards from FEC00000h
PCI_MEM_BOTTOM	equ 0E000h	; ... but never below E0000000h (RAM ends there)
PIIX3_DEVFN	equ 08h		; 00:01.0
PCI_PIRQ_IRQS	equ 0B0Bh	; PIRQA-D -> IRQ 10, 10, 11, 11 (high/low bytes)
EBDA_PCI	equ 0F6h	; EBDA byte: 1 when PCI was found at POST

	cpu 386

; Point CF8h at bus 0, devfn BL, register DI (dword aligned) and return
; DX = the data port for that byte.  Keeps everything else.
pci_addr:
	push eax
	movzx eax, bl
	shl eax, 8
	or eax, 80000000h
	mov dx, di
	and dl, 0FCh
	or al, dl
	mov dx, PCI_ADDR
	out dx, eax
	pop eax
	mov dx, di
	and dx, 3
	add dx, PCI_DATA
	ret

pci_read32:			; EAX = config dword BL:DI
	push dx
	call pci_addr
	in eax, dx
	pop dx
	ret
pci_read16:
	push dx
	call pci_addr
	in ax, dx
	pop dx
	ret
pci_read8:
	push dx
	call pci_addr
	in al, dx
	pop dx
	ret
pci_write32:			; config dword BL:DI = EAX
	push dx
	call pci_addr
	out dx, eax
	pop dx
	ret
pci_write16:
	push dx
	call pci_addr
	out dx, ax
	pop dx
	ret
pci_write8:
	push dx
	call pci_addr
	out dx, al
	pop dx
	ret

; INT 1Ah AH=B1h, entered from int1a on a 386 with PCI (no frame: the
; 32-bit registers are the interface).
pcibios:
	cmp al, 01h
	je .check
	cmp al, 02h
	je .find_dev
	cmp al, 03h
	je .find_class
	cmp al, 08h
	jb .unsup
	cmp al, 0Dh
	jbe pci_config_fn
.unsup:
	mov ah, 81h
	jmp iret_cf
.check:
	mov ax, 0001h		; present, configuration mechanism #1
	mov bx, 0210h		; version 2.10
	xor cl, cl		; last bus: 0
	mov edx, 20494350h	; "PCI "
	xor edi, edi		; no protected-mode entry point
	jmp iret_nc
.find_dev:			; CX device, DX vendor, SI index -> BH:BL
	cmp dx, 0FFFFh
	jne .fd
	mov ah, 83h
	jmp iret_cf
.fd:
	push eax
	push ecx
	push esi
	push di
	shl ecx, 16
	mov cx, dx		; ECX = device:vendor as in register 0
	xor bx, bx
	xor di, di
.fd_next:
	call pci_read32
	cmp eax, ecx
	jne .fd_skip
	or si, si
	jz .found
	dec si
.fd_skip:
	inc bl
	jnz .fd_next
	pop di
	pop esi
	pop ecx
	pop eax
	mov ah, 86h
	jmp iret_cf
.found:
	pop di
	pop esi
	pop ecx
	pop eax
	xor ah, ah
	jmp iret_nc
.find_class:			; ECX bits 0-23 class, SI index -> BH:BL
	push eax
	push ecx
	push esi
	push di
	and ecx, 00FFFFFFh
	xor bx, bx
.fc_next:
	xor di, di
	call pci_read16
	cmp ax, 0FFFFh
	je .fc_skip
	mov di, 08h
	call pci_read32
	shr eax, 8
	cmp eax, ecx
	jne .fc_skip
	or si, si
	jz .found
	dec si
.fc_skip:
	inc bl
	jnz .fc_next
	pop di
	pop esi
	pop ecx
	pop eax
	mov ah, 86h
	jmp iret_cf

; AL = 08h-0Dh: read/write byte/word/dword; BH bus, BL devfn, DI register,
; CL/CX/ECX the value.  Buses other than 0 do not exist (reads FFh...).
pci_config_fn:
	cmp di, 0FFh
	ja .badreg
	push ax
	sub al, 08h		; 0 rb, 1 rw, 2 rd, 3 wb, 4 ww, 5 wd
	mov ah, al
	cmp ah, 3
	jb .w
	sub ah, 3
.w:				; AH = 0 byte, 1 word, 2 dword: alignment
	test ah, ah
	jz .aligned
	test di, 1
	jnz .badreg_pop
	cmp ah, 2
	jne .aligned
	test di, 2
	jnz .badreg_pop
.aligned:
	or bh, bh
	jnz .nobus
	cmp al, 1
	jb .rb
	je .rw
	cmp al, 3
	jb .rd
	je .wb
	cmp al, 4
	je .ww
	mov eax, ecx		; wd
	call pci_write32
	jmp .ok
.wb:
	mov al, cl
	call pci_write8
	jmp .ok
.ww:
	mov ax, cx
	call pci_write16
	jmp .ok
.rb:
	call pci_read8
	mov cl, al
	jmp .ok
.rw:
	call pci_read16
	mov cx, ax
	jmp .ok
.rd:
	push eax
	call pci_read32
	mov ecx, eax
	pop eax
.ok:
	pop ax
	xor ah, ah
	jmp iret_nc
.nobus:
	cmp al, 3
	jae .ok			; writes to nothing
	mov ecx, 0FFFFFFFFh
	jmp .ok
.badreg_pop:
	pop ax
.badreg:
	mov ah, 87h
	jmp iret_cf

; POST (DS = BDA): find the host bridge, then give every function's BARs
; addresses, enable decoding and route the interrupts.  386 + AT only.
pci_init:
	test byte [BDA_MACHINE], MACH_386
	jz .none
	test byte [BDA_MACHINE], MACH_AT
	jz .none
	push es
	mov es, [BDA_EBDASEG]
	mov byte [es:EBDA_PCI], 0
	xor bx, bx		; 00:00.0 must answer
	xor di, di
	call pci_read16
	cmp ax, 0FFFFh
	je .out
	mov byte [es:EBDA_PCI], 1
	; PIIX3 PIRQ routing (harmless if the function is something else:
	; only written when it is the PIIX3 ISA bridge)
	mov bl, PIIX3_DEVFN
	call pci_read32
	cmp eax, 70008086h
	jne .noroute
	mov di, 60h
	mov eax, (PCI_PIRQ_IRQS << 16) | 0A0Ah
	call pci_write32
	mov dx, 4D1h		; IRQ 10 and 11 level triggered
	in al, dx
	or al, 0Ch
	out dx, al
.noroute:
	push ebp
	mov si, PCI_IO_BASE	; SI = next I/O address
	mov ebp, PCI_MEM_TOP << 16	; EBP = top of free memory space
	xor bl, bl
.func:
	xor di, di
	call pci_read16
	cmp ax, 0FFFFh
	je .next
	call pci_setup_func
.next:
	; functions 1-7 only on multi-function devices
	test bl, 7
	jnz .step
	mov di, 0Eh
	call pci_read8
	test al, 80h
	jnz .step
	or bl, 7		; single function: skip to the next device
.step:
	inc bl
	jnz .func
	pop ebp
.out:
	pop es
.none:
	ret

; One function BL (ES = EBDA): BARs, command register, interrupt line.
pci_setup_func:
	mov di, 0Eh
	call pci_read8
	and al, 7Fh
	jnz .bars_done		; bridges: not configured here
	mov di, 10h
.bar:
	mov eax, 0FFFFFFFFh
	call pci_write32
	call pci_read32
	or eax, eax
	jz .bar_next
	test al, 1
	jnz .io
	; memory: size from the writable bits
	push ax			; type bits: 04h = 64-bit
	mov ecx, eax
	and ecx, 0FFFFFFF0h
	neg ecx			; ECX = size
	test al, 04h		; 64-bit BAR: the upper half is set to 0
	jz .mem32
	push di
	add di, 4
	xor eax, eax
	call pci_write32
	pop di
.mem32:
	mov eax, ebp
	sub eax, ecx
	jc .nomem
	mov edx, ecx
	dec edx
	not edx
	and eax, edx		; aligned to the size
	cmp eax, PCI_MEM_BOTTOM << 16
	jb .nomem
	mov ebp, eax
	call pci_write32
	call pci_lfb_check
	jmp .mem_step
.nomem:
	xor eax, eax		; no room: leave it unassigned
	call pci_write32
.mem_step:
	pop ax
	test al, 04h		; a 64-bit BAR used two slots
	jz .bar_next
	add di, 4
	jmp .bar_next
.io:
	and ax, 0FFFCh
	neg ax			; AX = size (16-bit decode)
	jz .bar_next
	mov cx, ax
	mov dx, cx
	dec dx
	mov ax, si
	add ax, dx
	jc .noio
	not dx
	and ax, dx		; aligned upwards
	mov dx, ax
	add dx, cx
	jc .noio
	movzx eax, ax
	call pci_write32
	mov si, dx
	jmp .bar_next
.noio:
	xor eax, eax
	call pci_write32
.bar_next:
	add di, 4
	cmp di, 28h
	jb .bar
.bars_done:
	; decode I/O and memory; bus mastering for storage and network
	mov di, 0Ah
	call pci_read16		; class:subclass
	mov cx, 0003h
	cmp ah, 01h
	je .master
	cmp ah, 02h
	jne .cmd
.master:
	or cl, 04h
.cmd:
	mov di, 04h
	call pci_read16
	or ax, cx
	call pci_write16
	; interrupt line from the pin: PIRQ (device + pin - 2) mod 4
	mov di, 3Dh
	call pci_read8
	or al, al
	jz .done
	cmp al, 4
	ja .done
	mov ah, bl
	shr ah, 3
	add al, ah
	sub al, 2
	and al, 3		; PIRQ A-D
	mov ah, 10
	cmp al, 2
	jb .line
	mov ah, 11
.line:
	mov al, ah
	mov di, 3Ch
	call pci_write8
.done:
	ret

; The PCI IRQ Routing Table ($PIR, PCI IRQ Routing Table Specification
; 1.0) that OSes without ACPI interrupt routing (Linux's pirq code, acpi=off)
; look for in F0000h-FFFFFh: the PIIX3 at 00:01.0 is the router, link
; values are its registers 60h-63h, and device D's pin P (1 = INTA) drives
; PIRQ (D + P - 2) mod 4, as the bus wires it; a link may take IRQ 3-7,
; 9-12, 14, 15.  One entry per device number 0-31.  hw/pir_table.c builds
; the same bytes for direct boot (a unit test compares them).
%ifndef MODEL_BYTE_XT
PIR_SLOTS	equ 32
PIR_LEN		equ 32 + 16 * PIR_SLOTS
PIR_IRQ_MAP	equ 0DEF8h

%assign pir_sum 0
%macro PIR_DB 1-*		; db, adding each byte to the table's sum
%rep %0
	db (%1) & 0FFh
%assign pir_sum (pir_sum + ((%1) & 0FFh)) & 0FFh
%rotate 1
%endrep
%endmacro

	align 16
pci_pir_table:
	PIR_DB '$', 'P', 'I', 'R', 00h, 01h, PIR_LEN, PIR_LEN >> 8
	PIR_DB 0, PIIX3_DEVFN, 0, 0	; router bus, devfn; no exclusive IRQs
	PIR_DB 86h, 80h, 00h, 70h	; compatible router 8086:7000
	PIR_DB 0, 0, 0, 0		; miniport data
	times 11 db 0
	db PIR_CHECKSUM
%assign dev 0
%rep PIR_SLOTS
	PIR_DB 0, dev << 3
%assign pin 1
%rep 4
	PIR_DB 60h + ((dev + pin - 2) & 3), PIR_IRQ_MAP, PIR_IRQ_MAP >> 8
%assign pin pin + 1
%endrep
%if dev < 2
	PIR_DB 0, 0			; built in (the chipset)
%else
	PIR_DB dev, 0			; slot number
%endif
%assign dev dev + 1
%endrep
PIR_CHECKSUM	equ (100h - pir_sum) & 0FFh
%endif

; After a memory BAR at DI of function BL got address EAX: the Bochs/QEMU
; VGA's BAR 0 is the VBE framebuffer.
pci_lfb_check:
	cmp di, 10h
	jne .r
	push eax
	push di
	xor di, di
	call pci_read32
	cmp eax, 11111234h
	pop di
	pop eax
	jne .r
	and eax, 0FFFFFFF0h
	mov [es:EBDA_VBE_LFB], eax
.r:
	ret

	cpu 8086

; Benchmark guest, protected mode: the 32-bit instruction mix (mix32.inc) run
; ITER times in 32-bit protected mode with paging on, then exit status 1.
; A boot sector: the BIOS loads it at 7C00h in real mode.  It builds a page
; directory at 10000h whose first table maps the low 1 MiB one to one (code,
; stack) and whose third maps the data, at DATA = 800000h, onto physical
; 20000h, so every data access goes through a translation that is not the
; identity.  Interrupts stay off: nothing but the loop runs.
; With -DTOUCH_MIB=N it first writes one byte in every 4 KiB page from 1 MiB
; to N MiB (A20 on, before paging), so that a guest using all its RAM can be
; measured (bench/run.sh: host memory per guest MiB).
        cpu 386
        org 0x7c00
%ifndef ITER
%define ITER 1000000
%endif
%define DATA 0x00800000
PD      equ 0x10000             ; page directory; tables at 11000h, 12000h
start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7000
        mov ax, PD >> 4
        mov es, ax
        xor di, di              ; clear the directory and both tables
        xor ax, ax
        mov cx, 3 * 4096 / 2
        cld
        rep stosw
        mov dword [es:0], PD + 0x1000 + 3       ; 0-4 MiB: table 1
        mov dword [es:8], PD + 0x2000 + 3       ; 8-12 MiB: table 2
        mov di, 0x1000
        mov eax, 3              ; present, writable
        mov cx, 256             ; the low 1 MiB, identity
.id:    stosd
        add eax, 0x1000
        loop .id
        mov di, 0x2000
        mov eax, 0x20000 + 3    ; DATA -> 20000h, 4 pages
        mov cx, 4
.dt:    stosd
        add eax, 0x1000
        loop .dt
        lgdt [gdtr]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp 0x08:pm32

        bits 32
pm32:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        mov esp, 0x7000
%ifdef TOUCH_MIB
        in al, 0x92             ; fast A20 on
        or al, 2
        and al, 0xfe
        out 0x92, al
        mov edi, 0x100000
.touch: mov [edi], al
        add edi, 4096
        cmp edi, TOUCH_MIB << 20
        jb .touch
%endif
        mov eax, PD
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        mov ebp, ITER
        mov esi, DATA
        mov eax, 1
        mov ebx, 3
%include "mix32.inc"
        xor al, al
        out 0xf4, al            ; tandem and QEMU stop here
        mov esi, shutdown       ; Bochs stops on "Shutdown" at port 8900h
        mov dx, 0x8900
.s:     lodsb
        or al, al
        jz .h
        out dx, al
        jmp .s
.h:     hlt
        jmp .h
sub1:
        shl eax, 1
        ret

        align 8
gdt:    dq 0
        dq 0x00cf9a000000ffff   ; 08h: code, flat 4 GiB, 32-bit
        dq 0x00cf92000000ffff   ; 10h: data, flat 4 GiB
gdtr:   dw gdtr - gdt - 1
        dd gdt
shutdown db "Shutdown", 0

times 510-($-$$) db 0
        dw 0xaa55

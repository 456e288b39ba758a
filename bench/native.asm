; The benchmark's instruction mixes on the host: a static 32-bit Linux
; program that runs mix16.inc (MIX=16, the real-mode mix with [esi] for [si])
; or mix32.inc (MIX=32) ITER times and exits 0.  bench/run.sh times two
; lengths, as for the guests, so process start-up cancels out.
; nasm -f elf32 -DMIX=16 -DITER=N native.asm && ld -m elf_i386
        bits 32
%ifndef ITER
%define ITER 1000000
%endif
        global _start
        section .text
_start:
        cld
%if MIX == 16
        mov esi, buf            ; 64 KiB aligned: si is the offset in it
        mov edi, buf
        xor ecx, ecx            ; rep movsw counts with ecx: upper half 0
        mov di, (ITER >> 16) + 1
        mov bp, ITER & 0xffff
        or bp, bp
        jnz .go
        dec di
.go:
        xor si, si
        mov ax, 1
        mov bx, 3
%define PTR esi
%include "mix16.inc"
%else
%define DATA buf
        mov ebp, ITER
        mov esi, DATA
        mov eax, 1
        mov ebx, 3
%include "mix32.inc"
%endif
        mov eax, 1              ; exit(0)
        xor ebx, ebx
        int 0x80
sub1:
%if MIX == 16
        shl ax, 1
%else
        shl eax, 1
%endif
        ret

        section .bss align=65536
buf:    resb 65536

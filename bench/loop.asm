; Benchmark guest: a fixed real-mode instruction mix (ALU, loads, stores,
; branches, calls, stack, string ops) run ITER times, then exit status 1.
; The mix is mix16.inc: 21 instructions per iteration (a REP string
; instruction counts once, as tandem and QEMU count it).  The stack and the
; data live in their own 64 KiB segments, away from the code page (QEMU's
; SMC cliff).
        cpu 8086
        org 0x7c00
%ifndef ITER
%define ITER 1000000
%endif
start:
        cli
        xor ax, ax
        mov ss, ax
        mov sp, 0x7000          ; stack below the code, its own page
        mov ax, 0x2000
        mov ds, ax              ; data at 20000h
        mov es, ax
        sti
        mov di, (ITER >> 16) + 1
        mov bp, ITER & 0xffff
        or bp, bp
        jnz .go
        dec di
.go:
        xor si, si
        mov ax, 1
        mov bx, 3
%define PTR si
%include "mix16.inc"
        xor al, al
        out 0xf4, al            ; tandem and QEMU stop here
        mov si, shutdown        ; Bochs has no exit device: its 8900h port
        mov dx, 0x8900          ; stops it on the string "Shutdown"
.s:     cs lodsb
        or al, al
        jz .h
        out dx, al
        jmp .s
.h:     hlt
        jmp .h
sub1:
        shl ax, 1
        ret
shutdown db "Shutdown", 0

times 510-($-$$) db 0
        dw 0xaa55

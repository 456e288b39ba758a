; Benchmark guest: a fixed real-mode instruction mix (ALU, loads, stores,
; branches, calls, stack, string ops) run ITER times, then exit status 1.
; Instructions per iteration: BODY_INSNS below (a REP string instruction
; counts once, as tandem and QEMU count it).  The stack and the data live in
; their own 64 KiB segments, away from the code page (QEMU's SMC cliff).
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
.loop:                          ; 20 instructions incl. the sub and the branch
        add ax, bx              ; 1
        xor dx, ax              ; 2
        mov [si], ax            ; 3
        mov cx, [si+2]          ; 4
        add si, 2               ; 5
        and si, 0x3fe           ; 6
        call sub1               ; 7 (+2 inside: 8, 9)
        push cx                 ; 10
        pop bx                  ; 11
        adc bx, dx              ; 12
        mov cx, 2               ; 13
        push si                 ; 14
        push di                 ; 15
        mov di, 0x800           ; 16
        rep movsw               ; 17
        pop di                  ; 18
        pop si                  ; 19
        dec bp                  ; 20
        jnz .loop               ; 21
        dec di
        jnz .loop
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

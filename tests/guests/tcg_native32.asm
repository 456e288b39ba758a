; tcg_native32: tcg_native with 32-bit operands too (and the 0Fh 8xh near Jcc), on the
; 80386 in real mode; gen_tcg_native.py 32 writes its body.  tests/tcg/run.sh is the
; check (see tcg_native.asm).
; tandem-args: --cpu 80386
; expect-status: 1
; oracle-compare: status
%define BODY "tcg_native32_body.inc"
%define BODY_CPU 386
%include "tcg_native.asm"

; cpu_alu_xt: cpu_alu.asm on the xt board with an 8088 (the 8086 semantics: no shift-count
; masking, divide error frames pointing after the DIV). Same source, same output.
; tandem-args: --machine xt --cpu 8088
; expect-status: 1
; expect-debugcon: cpu_alu.debugcon
; oracle: qemu bochs
%include "cpu_alu.asm"

; snd_speed_mhz: --cpu 8088 --mhz 4.77 runs the 8088's clock count at 4.77 MHz.  The
; loop (INC SI; CMP DX,[6Ch]; JE back) costs 47 clocks on the 8088 bus model
; (cpu/x86-interp/x86i_biu.c): 4 + 26 + 17.  The datasheet sum is 37 (2 + 9 + EA 6 + 4
; for the word over the 8-bit bus + 16), but the 8088 must also bring the loop's 7 code
; bytes over its 8-bit bus every time round (the taken JE empties the queue), 9 bus
; cycles of 4 clocks with the operand, and the EU waits for them.  So a 54.925 ms tick
; holds 4770000 * 0.0549254 / 47 = 5574 iterations (less the timer interrupt's share).
; Checked within 1%: 5518..5630.  Emulated time: the same on any host load.
; tandem-args: --machine xt --cpu 8088 --mhz 4.77 --speed max
; expect-debugcon: snd_speed_mhz.debugcon
; oracle: none (a statement about tandem's clock, not about a PC)
LOW	equ	5518
HIGH	equ	5630
%include "speed.inc"

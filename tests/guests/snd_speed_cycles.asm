; snd_speed_cycles: --cycles 3000 runs 3000 instructions per emulated millisecond, so
; a 54.925 ms tick holds 3000 * 54.9254 / 3 = 54925 iterations of the 3-instruction
; loop (less the timer interrupt's share).  Checked within 1%: 54376..55474.
; tandem-args: --cycles 3000 --speed max
; expect-debugcon: snd_speed_cycles.debugcon
; oracle: none (a statement about tandem's clock, not about a PC)
LOW	equ	54376
HIGH	equ	55474
%include "speed.inc"

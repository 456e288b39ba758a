; snd_speed_mhz: --cpu 8088 --mhz 4.77 runs the 8088's clock table at 4.77 MHz: the
; loop costs 2 (INC r16) + 19 (CMP r16,m16: 9, EA disp16 6, +4 for the word over the
; 8-bit bus) + 16 (JE taken) = 37 clocks, so a 54.925 ms tick holds
; 4770000 * 0.0549254 / 37 = 7081 iterations (less the timer interrupt's share).
; Checked within 1%: 7010..7152.  Emulated time: the same on any host load.
; tandem-args: --machine xt --cpu 8088 --mhz 4.77 --speed max
; expect-debugcon: snd_speed_mhz.debugcon
; oracle: none (a statement about tandem's clock, not about a PC)
LOW	equ	7010
HIGH	equ	7152
%include "speed.inc"

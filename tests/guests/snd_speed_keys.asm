; snd_speed_keys: the speed hot keys in --cycles mode (speedkeys.inc): Ctrl+F12 takes
; 3000 instructions per emulated ms to 3300, Ctrl+F11 eleven times down to the floor,
; 300 (slow motion at 10%).
; tandem-args: --cycles 3000 --speed max --keys {wait:1500}{ctrl+f12}{wait:1000}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}
; expect-debugcon: snd_speed_keys.debugcon
; oracle: none (a statement about tandem's clock, not about a PC)
%include "speedkeys.inc"

; snd_speed_keys_mhz: the speed hot keys in model-true mode (speedkeys.inc): an 80286
; at 8 MHz, Ctrl+F12 takes its clock to 8.8 MHz, Ctrl+F11 eleven times down to the
; floor, 0.8 MHz (slow motion at 10%), the model's cycle counts unchanged.
; tandem-args: --cpu 80286 --mhz 8 --speed max --keys {wait:1500}{ctrl+f12}{wait:1000}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}{ctrl+f11}
; expect-debugcon: snd_speed_keys.debugcon
; oracle: none (a statement about tandem's clock, not about a PC)
%include "speedkeys.inc"

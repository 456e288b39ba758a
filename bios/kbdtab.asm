; tandem BIOS: scan code set 1 to BIOS key codes (scan << 8 | ASCII).
; Four words per make code 01h-58h: plain, shift, ctrl, alt; 0 = no key.
; The keypad (47h-53h) and the lock/shift keys are handled in INT 09h.

KT_FIRST	equ 01h
KT_LAST		equ 58h

kbd_table:
	dw 011Bh, 011Bh, 011Bh, 0100h	; 01 Esc
	dw 0231h, 0221h, 0000h, 7800h	; 02 1 !
	dw 0332h, 0340h, 0300h, 7900h	; 03 2 @
	dw 0433h, 0423h, 0000h, 7A00h	; 04 3 #
	dw 0534h, 0524h, 0000h, 7B00h	; 05 4 $
	dw 0635h, 0625h, 0000h, 7C00h	; 06 5 %
	dw 0736h, 075Eh, 071Eh, 7D00h	; 07 6 ^
	dw 0837h, 0826h, 0000h, 7E00h	; 08 7 &
	dw 0938h, 092Ah, 0000h, 7F00h	; 09 8 *
	dw 0A39h, 0A28h, 0000h, 8000h	; 0A 9 (
	dw 0B30h, 0B29h, 0000h, 8100h	; 0B 0 )
	dw 0C2Dh, 0C5Fh, 0C1Fh, 8200h	; 0C - _
	dw 0D3Dh, 0D2Bh, 0000h, 8300h	; 0D = +
	dw 0E08h, 0E08h, 0E7Fh, 0E00h	; 0E Backspace
	dw 0F09h, 0F00h, 9400h, 0A500h	; 0F Tab
	dw 1071h, 1051h, 1011h, 1000h	; 10 q
	dw 1177h, 1157h, 1117h, 1100h	; 11 w
	dw 1265h, 1245h, 1205h, 1200h	; 12 e
	dw 1372h, 1352h, 1312h, 1300h	; 13 r
	dw 1474h, 1454h, 1414h, 1400h	; 14 t
	dw 1579h, 1559h, 1519h, 1500h	; 15 y
	dw 1675h, 1655h, 1615h, 1600h	; 16 u
	dw 1769h, 1749h, 1709h, 1700h	; 17 i
	dw 186Fh, 184Fh, 180Fh, 1800h	; 18 o
	dw 1970h, 1950h, 1910h, 1900h	; 19 p
	dw 1A5Bh, 1A7Bh, 1A1Bh, 1A00h	; 1A [ {
	dw 1B5Dh, 1B7Dh, 1B1Dh, 1B00h	; 1B ] }
	dw 1C0Dh, 1C0Dh, 1C0Ah, 1C00h	; 1C Enter
	dw 0, 0, 0, 0			; 1D Ctrl
	dw 1E61h, 1E41h, 1E01h, 1E00h	; 1E a
	dw 1F73h, 1F53h, 1F13h, 1F00h	; 1F s
	dw 2064h, 2044h, 2004h, 2000h	; 20 d
	dw 2166h, 2146h, 2106h, 2100h	; 21 f
	dw 2267h, 2247h, 2207h, 2200h	; 22 g
	dw 2368h, 2348h, 2308h, 2300h	; 23 h
	dw 246Ah, 244Ah, 240Ah, 2400h	; 24 j
	dw 256Bh, 254Bh, 250Bh, 2500h	; 25 k
	dw 266Ch, 264Ch, 260Ch, 2600h	; 26 l
	dw 273Bh, 273Ah, 0000h, 2700h	; 27 ; :
	dw 2827h, 2822h, 0000h, 2800h	; 28 ' "
	dw 2960h, 297Eh, 0000h, 2900h	; 29 ` ~
	dw 0, 0, 0, 0			; 2A left Shift
	dw 2B5Ch, 2B7Ch, 2B1Ch, 2B00h	; 2B \ |
	dw 2C7Ah, 2C5Ah, 2C1Ah, 2C00h	; 2C z
	dw 2D78h, 2D58h, 2D18h, 2D00h	; 2D x
	dw 2E63h, 2E43h, 2E03h, 2E00h	; 2E c
	dw 2F76h, 2F56h, 2F16h, 2F00h	; 2F v
	dw 3062h, 3042h, 3002h, 3000h	; 30 b
	dw 316Eh, 314Eh, 310Eh, 3100h	; 31 n
	dw 326Dh, 324Dh, 320Dh, 3200h	; 32 m
	dw 332Ch, 333Ch, 0000h, 3300h	; 33 , <
	dw 342Eh, 343Eh, 0000h, 3400h	; 34 . >
	dw 352Fh, 353Fh, 0000h, 3500h	; 35 / ?
	dw 0, 0, 0, 0			; 36 right Shift
	dw 372Ah, 372Ah, 9600h, 3700h	; 37 keypad *
	dw 0, 0, 0, 0			; 38 Alt
	dw 3920h, 3920h, 3920h, 3920h	; 39 Space
	dw 0, 0, 0, 0			; 3A Caps Lock
%assign f 0
%rep 10					; 3B-44 F1-F10
	dw (3Bh + f) << 8, (54h + f) << 8, (5Eh + f) << 8, (68h + f) << 8
%assign f f + 1
%endrep
	dw 0, 0, 0, 0			; 45 Num Lock
	dw 0, 0, 0, 0			; 46 Scroll Lock
	times 13 dw 0, 0, 0, 0		; 47-53 keypad
	dw 0, 0, 0, 0			; 54 SysRq
	dw 0, 0, 0, 0			; 55
	dw 565Ch, 567Ch, 0000h, 0000h	; 56 102nd key
	dw 8500h, 8700h, 8900h, 8B00h	; 57 F11
	dw 8600h, 8800h, 8A00h, 8C00h	; 58 F12

%if ($ - kbd_table) != (KT_LAST - KT_FIRST + 1) * 8
%error "kbd_table has the wrong size"
%endif

; Keypad 47h-53h: ASCII with Num Lock, code without, code with Ctrl.
kp_digit:
	db '789-456+1230.'
kp_ctrl:
	db 77h, 8Dh, 84h, 8Eh, 73h, 8Fh, 74h, 90h, 75h, 91h, 76h, 92h, 93h
; Alt + keypad digit composes a character code: digit value, or FFh.
kp_value:
	db 7, 8, 9, 0FFh, 4, 5, 6, 0FFh, 1, 2, 3, 0, 0FFh

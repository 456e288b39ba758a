; tandem BIOS: text-mode character generator.
; The BIOS carries no font of its own yet: the VGA device is expected to draw
; text with its built-in ROM font when plane 2 has not been loaded.
; font_load would copy a font into plane 2; font_pointer answers AX=1130h.

font_load:
	ret

font_pointer:			; ES:DI = font for AX=1130h (none: 0000:0000)
	xor di, di
	mov es, di
	ret

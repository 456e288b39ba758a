; kbd_keys: --keys typing reaches the guest through the keyboard, IRQ1 and the BIOS:
; reads keys with INT 16h until Enter, echoing ASCII codes and, for keys without one,
; the scan code in brackets; Up, F1 and Ctrl+C come from named keys.
; tandem-args: --keys {wait:500}Hi,{space}tandem!{up}{f1}{ctrl+c}{enter}
; expect-debugcon: kbd_keys.debugcon
; oracle: none (the keys come from --keys)
%include "lib.inc"

main:
	PRINT	"kbd_keys: "
.next:	xor	ah, ah
	int	0x16
	cmp	al, 13
	je	.done
	or	al, al
	jz	.scan
	cmp	al, 0xe0
	je	.scan
	cmp	al, ' '
	jb	.ctrl
	call	putc
	jmp	.next
.ctrl:	push	ax			; control characters as ^X
	mov	al, '^'
	call	putc
	pop	ax
	add	al, '@'
	call	putc
	jmp	.next
.scan:	mov	al, '['
	call	putc
	mov	al, ah
	xor	ah, ah
	call	putdec
	mov	al, ']'
	call	putc
	jmp	.next
.done:	mov	al, 10
	call	putc
	jmp	pass

%include "tail.inc"

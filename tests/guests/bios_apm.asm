; bios_apm: INT 15h APM. Installation check (version 1.x, 'PM' signature), real-mode
; connect, driver version 1.2, then set power state 0003h for all devices, which must
; power the machine off: falling through is a failure. (SeaBIOS and the Bochs BIOS do
; not refuse a second connect or a disconnect before one, so neither is checked.)
; expect-status: 0
; oracle: qemu bochs
; oracle-compare: status
%include "lib.inc"

main:
	PRINT	"bios_apm", 10
	mov	ax, 0x5300		; installation check for the APM BIOS (BX=0)
	xor	bx, bx
	int	0x15
	jc	.bad1
	cmp	ah, 1
	jne	.bad2
	cmp	bx, 0x504d		; 'PM'
	jne	.bad2
	PRINT	"APM version "
	call	puthex16
	call	nl
	mov	ax, 0x5301		; real-mode connect
	xor	bx, bx
	int	0x15
	jc	.bad4
	mov	ax, 0x530e		; driver version 1.2
	xor	bx, bx
	mov	cx, 0x0102
	int	0x15
	jc	.bad6
	cmp	ax, 0x0101
	jb	.bad6
	PRINT	"power off", 10
	mov	ax, 0x5307		; all devices off
	mov	bx, 0x0001
	mov	cx, 0x0003
	int	0x15
	; still here: wait a moment (an emulator may stop asynchronously)
	mov	cx, 0xffff
.w:	loop	.w
	FAIL	7
.bad1:	FAIL	1
.bad2:	FAIL	2
.bad4:	FAIL	4
.bad6:	FAIL	6

%include "tail.inc"

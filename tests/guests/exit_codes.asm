; exit_codes: the exit device passes the guest's value through: writing 7 to port F4h
; must end the emulator with status (7 << 1) | 1 = 15.
; expect-status: 15
; expect-debugcon: exit_codes.debugcon
; oracle: qemu bochs
%include "lib.inc"

main:
	PRINT	"exit_codes: writing 7 to the exit port", 10
	mov	al, 7
	jmp	exit

%include "tail.inc"

#!/bin/sh
# directboot.sh TANDEM: what --kernel leaves a kernel that no BIOS prepared for, seen by
# a stand-in bzImage (a setup header and 32-bit code, assembled here) instead of Linux:
# 1. boot_params.acpi_rsdp_addr points at the RSDP a scan of E0000h-FFFFFh finds too;
#    RSDT, FADT and DSDT have their signatures and checksums; the $PIR table is in the
#    F segment with the PIIX3 as router; every PCI function's BARs are assigned (I/O
#    from C000h, memory in E0000000h-FEBFFFFFh) with decoding on, and each interrupt
#    pin's line is the IRQ the PIIX3 routes its PIRQ to, level triggered in the ELCR and
#    named by the device's $PIR entry; then power off through the FADT's PM1a_CNT
#    (status 0). Run with an RTL8139, an NE2000 PCI and virtio-pci devices.
# 2. A reset (keyboard controller, PIIX CF9h) ends a direct boot with status 0.
# Each failed check is a status (n<<1)|1 naming it (see the guest). Prints PASS/FAIL
# per case and "directboot: N passed, N failed".
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
. "$(dirname "$0")/../check.sh"
check_tandem "$1"
check_begin directboot

cat > "$work/pm.asm" <<'ASM'
; At 100000h in flat 32-bit protected mode, ESI = boot_params: what a
; kernel finds of the platform.  Each failed check writes its number to
; the exit port; success powers off through the FADT's PM1a_CNT (status 0).
	bits	32
	org	0x100000
BOOTP	equ	0x7000
PIIX3	equ	0x08			; devfn of the interrupt router

%macro CHECK 2				; CHECK cc, n: fail with n unless cc
	j%1	%%ok
	mov	al, %2
	jmp	fail
%%ok:
%endmacro

start:	mov	esp, 0x6ff0
	mov	esi, m_start
	call	puts
	; --append reset=kbd or reset=cf9: reset the machine that way instead
	mov	esi, [BOOTP + 0x228]	; boot_params.hdr.cmd_line_ptr
	cmp	dword [esi], 'rese'
	jne	.tables
	cmp	dword [esi + 4], 't=kb'
	jne	.cf9
	mov	al, 0xfe		; keyboard controller: pulse the reset line
	out	0x64, al
	jmp	.stuck
.cf9:	mov	dx, 0xcf9		; PIIX reset control: hard reset
	mov	al, 0x06
	out	dx, al
.stuck:	cli				; no reset: halted for good (status 10)
	hlt
.tables:
	; the RSDP: boot_params.acpi_rsdp_addr, and where a scan finds it
	mov	ebx, [BOOTP + 0x70]
	test	ebx, ebx
	CHECK	nz, 2
	mov	edi, 0xe0000
.scan:	cmp	dword [edi], 'RSD '
	jne	.next
	cmp	dword [edi + 4], 'PTR '
	jne	.next
	mov	ecx, 20
	call	sum
	jz	.found
.next:	add	edi, 16
	cmp	edi, 0x100000
	jb	.scan
	mov	al, 3
	jmp	fail
.found:	cmp	edi, ebx
	CHECK	e, 4
	; RSDT -> FADT -> DSDT, each with its signature and checksum
	mov	edi, [ebx + 16]
	mov	eax, 'RSDT'
	call	table
	CHECK	e, 5
	mov	edi, [edi + 36]
	mov	eax, 'FACP'
	call	table
	CHECK	e, 6
	mov	ebp, edi		; EBP = FADT
	mov	edi, [ebp + 40]
	mov	eax, 'DSDT'
	call	table
	CHECK	e, 7
	mov	esi, m_acpi
	call	puts
	; the $PIR table in the F segment
	mov	edi, 0xf0000
.pscan:	cmp	dword [edi], '$PIR'
	jne	.pnext
	movzx	ecx, word [edi + 6]
	call	sum
	jz	.pfound
.pnext:	add	edi, 16
	cmp	edi, 0x100000
	jb	.pscan
	mov	al, 8
	jmp	fail
.pfound:
	mov	[pir], edi
	cmp	byte [edi + 9], PIIX3
	CHECK	e, 9
	mov	esi, m_pir
	call	puts
	; every PCI function: decoding on, BARs assigned, interrupt line routed
	xor	ebx, ebx		; BL = devfn
.func:	xor	cl, cl
	call	cfg_rd
	cmp	ax, 0xffff
	je	.fnext
	mov	cl, 0x0e
	call	cfg_rd
	test	al, 0x7f
	jnz	.fnext			; not a plain function
	mov	cl, 0x04
	call	cfg_rd
	mov	[cmd], al
	mov	cl, 0x10
.bar:	call	cfg_rd
	test	eax, eax
	jnz	.set
	mov	eax, 0xffffffff		; 0: fine only if the BAR does not exist
	call	cfg_wr
	call	cfg_rd
	mov	edx, eax
	xor	eax, eax
	call	cfg_wr
	test	edx, edx
	CHECK	z, 11
	jmp	.bnext
.set:	test	al, 1
	jz	.mem
	test	byte [cmd], 1		; I/O decoding on
	CHECK	nz, 10
	and	eax, 0xfffc
	cmp	eax, 0xc000
	CHECK	ae, 12
	jmp	.bnext
.mem:	test	byte [cmd], 2		; memory decoding on
	CHECK	nz, 10
	mov	edx, eax
	and	eax, 0xfffffff0
	cmp	eax, 0xe0000000
	CHECK	ae, 13
	cmp	eax, 0xfec00000
	CHECK	b, 13
	and	dl, 6
	cmp	dl, 4			; 64-bit: the upper half is the next slot
	jne	.bnext
	add	cl, 4
.bnext:	add	cl, 4
	cmp	cl, 0x28
	jb	.bar
	; interrupt line = the IRQ the PIIX3 routes this pin's PIRQ to
	mov	cl, 0x3c
	call	cfg_rd
	movzx	edx, ah			; DL = pin
	test	dl, dl
	jz	.fnext
	mov	[line], al
	mov	eax, ebx
	shr	eax, 3			; device
	lea	eax, [eax + edx - 2]
	and	eax, 3			; PIRQ
	mov	[pirq], al
	push	ebx
	mov	bl, PIIX3
	lea	ecx, [eax + 0x60]
	call	cfg_rd
	pop	ebx
	cmp	al, [line]
	CHECK	e, 14
	cmp	al, 16
	CHECK	b, 15
	movzx	ecx, al			; level triggered in the ELCR
	push	edx
	mov	dx, 0x4d0
	in	al, dx
	mov	ah, al
	inc	dx
	in	al, dx
	xchg	al, ah
	pop	edx
	bt	eax, ecx
	CHECK	c, 16
	; the $PIR entry of this device names the same link
	mov	edi, [pir]
	movzx	ecx, word [edi + 6]
	add	ecx, edi		; end of the table
	add	edi, 32
.pent:	cmp	edi, ecx
	CHECK	b, 17
	mov	al, [edi + 1]
	xor	al, bl
	and	al, 0xf8
	jz	.pgot
	add	edi, 16
	jmp	.pent
.pgot:	lea	eax, [edx + edx * 2]	; 3 * pin
	movzx	eax, byte [edi + eax - 1]
	movzx	ecx, byte [pirq]
	add	ecx, 0x60
	cmp	eax, ecx
	CHECK	e, 18
	inc	byte [routed]
.fnext:	inc	bl
	jnz	.func
	cmp	byte [routed], 2
	CHECK	ae, 19
	mov	esi, m_pci
	call	puts
	; power off: SLP_TYP 5 | SLP_EN in PM1a_CNT
	mov	edx, [ebp + 64]
	mov	ax, 5 << 10 | 1 << 13
	out	dx, ax
	mov	al, 20
fail:	out	0xf4, al
	cli
	hlt

; EAX = config space of BL (devfn) from register CL on (the dword it is in,
; shifted down) / write EAX to the dword at CL (aligned)
cfg_rd:	push	edx
	push	ecx
	push	eax
	call	cfg_addr
	pop	eax
	mov	dx, 0xcfc
	in	eax, dx
	and	cl, 3
	shl	cl, 3
	shr	eax, cl
	pop	ecx
	pop	edx
	ret
cfg_wr:	push	edx
	push	eax
	call	cfg_addr
	pop	eax
	mov	dx, 0xcfc
	out	dx, eax
	pop	edx
	ret
cfg_addr:
	movzx	eax, bl
	shl	eax, 8
	mov	al, cl
	and	al, 0xfc
	or	eax, 0x80000000
	mov	dx, 0xcf8
	out	dx, eax
	ret

; ZF set when the ECX bytes at EDI sum to 0.  Keeps EDI.
sum:	push	edi
	xor	al, al
.s:	add	al, [edi]
	inc	edi
	loop	.s
	pop	edi
	test	al, al
	ret

; EDI = a table whose signature should be EAX: ZF set when it is, and its
; length stays in the first MiB and sums to 0.
table:	cmp	edi, 0xe0000
	jb	.no
	cmp	[edi], eax
	jne	.no
	mov	ecx, [edi + 4]
	cmp	ecx, 36
	jb	.no
	cmp	ecx, 0x10000
	ja	.no
	jmp	sum
.no:	or	esp, esp		; ZF clear
	ret

puts:	lodsb
	test	al, al
	jz	.d
	out	0xe9, al
	jmp	puts
.d:	ret

m_start: db	"directboot: start", 10, 0
m_acpi:	db	"directboot: RSDP, RSDT, FADT, DSDT ok", 10, 0
m_pir:	db	"directboot: $PIR ok", 10, 0
m_pci:	db	"directboot: PCI ok, powering off", 10, 0
pir:	dd	0
cmd:	db	0
line:	db	0
pirq:	db	0
routed:	db	0
ASM
if ! nasm -f bin -o "$work/hdr.bin" "$(dirname "$0")/bzimage_hdr.inc" 2> "$work/nasm.err" ||
   ! nasm -f bin -o "$work/pm.bin" "$work/pm.asm" 2>> "$work/nasm.err"; then
	echo "FAIL the stand-in kernel does not assemble: $(head -n 3 "$work/nasm.err")"
	exit 1
fi
cat "$work/hdr.bin" "$work/pm.bin" > "$work/k.bin"
truncate -s 1M "$work/d.img"

# run NAME WANT_STATUS ARGS...
run() {
	name=$1
	want=$2
	shift 2
	: > "$work/e9"
	"$tandem" --headless --cpu pentium --kernel "$work/k.bin" --debugcon "file:$work/e9" \
		--timeout 20 -q "$@" < /dev/null > /dev/null 2> "$work/err"
	st=$?
	if [ "$st" = "$want" ]; then
		ok "$name"
	else
		bad "$name" "status $st, want $want; guest said: $(tr '\n' ' ' < "$work/e9")"
	fi
}
nics="--nic model=rtl8139,none --nic model=ne2k-pci,none"
run "ACPI, \$PIR and PCI set up, power off through PM1a_CNT" 0 $nics \
	--nic model=virtio,none --virtio-blk "$work/d.img" --virtio-transport pci
run "the same on the interpreter" 0 --accel interp $nics
run "a keyboard controller reset ends the run" 0 --append reset=kbd
run "a CF9h reset ends the run" 0 --append reset=cf9
check_end

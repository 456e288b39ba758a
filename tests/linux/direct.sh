#!/bin/sh
# direct.sh TANDEM VMLINUZ INITRAMFS: a real Linux (i386 bzImage) booted with --kernel
# finds the platform a BIOS would have left it (hw/bootfw.h), on the default engine:
# 1. ACPI: the kernel reads the tables from F0000h (RSDP, RSDT, FACP, DSDT), finds the
#    PCI root bridge in the DSDT and scans bus 0, taking the BARs as tandem assigned
#    them (no "assigned" line: it did not have to place any itself), reaches init, and
#    the init's "poweroff -f" goes out through ACPI S5: status 0.
# 2. acpi=off: the kernel's pirq code finds the $PIR table and the PIIX3 router in it;
#    "reboot -f" (an init put over the given one: a second cpio archive appended to
#    INITRAMFS) resets through the keyboard controller, which ends a direct boot with
#    status 0.
# INITRAMFS must hold /bin/busybox and an /init that powers off (tests/linux/assets.sh
# builds one). Prints PASS/FAIL per case and "linux-direct: N passed, N failed".
if [ $# -lt 3 ]; then
	echo "usage: $0 TANDEM_BINARY VMLINUZ INITRAMFS" >&2
	exit 2
fi
. "$(dirname "$0")/../check.sh"
check_tandem "$1"
kernel=$2
initrd=$3
for f in "$kernel" "$initrd"; do
	[ -s "$f" ] || { echo "$0: '$f' is missing or empty" >&2; exit 2; }
done
command -v cpio > /dev/null || { echo "$0: needs cpio (apt-get install cpio)" >&2; exit 2; }
check_begin linux-direct

# boot LOG INITRD APPEND: the kernel with an RTL8139 on COM1 to LOG; sets $st
boot() {
	"$tandem" --cpu pentium2 -m 128M --kernel "$kernel" --initrd "$2" \
		--append "console=ttyS0 panic=-1 cryptomgr.notests $3" \
		--nic model=rtl8139,none --headless --serial "file:$1" --timeout 300 -q \
		< /dev/null > /dev/null 2> "$work/err"
	st=$?
}

# has LOG TEXT: the kernel log holds the fixed string TEXT
has() { grep -qF -- "$2" "$1"; }

log=$work/acpi.log
boot "$log" "$initrd" ""
miss=""
for want in "ACPI: RSDP 0x00000000000F" "ACPI: FACP 0x00000000000F" \
	"ACPI: DSDT 0x00000000000F" "ACPI: PCI Root Bridge [PCI0]" \
	"pci 0000:00:05.0: [10ec:8139]" "pci 0000:00:05.0: BAR 0 [io  0xc" \
	"pci 0000:00:05.0: BAR 1 [mem 0xf" "reached init" "reboot: Power down"; do
	has "$log" "$want" || miss="$miss '$want'"
done
if grep -q "pci 0000:00:.*: BAR .*: assigned" "$log"; then
	miss="$miss (the kernel had to assign: $(grep -m 1 ': assigned' "$log"))"
fi
if [ "$st" = 0 ] && [ -z "$miss" ]; then
	ok "ACPI tables, PCI root bridge, BARs from tandem, power off through S5"
else
	bad "ACPI boot" "status $st; missing$miss; last: $(tail -n 2 "$log" | tr '\n' ' ')"
fi

mkdir "$work/over"
printf '%s\n' '#!/bin/busybox sh' '/bin/busybox mount -t proc proc /proc' \
	'echo "tandem-direct: reached init, rebooting"' '/bin/busybox reboot -f' \
	> "$work/over/init"
chmod +x "$work/over/init"
(cd "$work/over" && echo init | cpio -o -H newc --quiet) | gzip -1 > "$work/over.cpio.gz"
cat "$initrd" "$work/over.cpio.gz" > "$work/reboot.cpio.gz"
log=$work/pirq.log
boot "$log" "$work/reboot.cpio.gz" "acpi=off"
miss=""
for want in "IRQ router [8086:7000]" "tandem-direct: reached init" \
	"reboot: Restarting system"; do
	has "$log" "$want" || miss="$miss '$want'"
done
if [ "$st" = 0 ] && [ -z "$miss" ]; then
	ok "acpi=off: \$PIR and the PIIX3 router found, reboot ends the run"
else
	bad "acpi=off boot" "status $st; missing$miss; last: $(tail -n 2 "$log" | tr '\n' ' ')"
fi
check_end

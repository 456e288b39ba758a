#!/bin/sh
# smp.sh TANDEM VMLINUZ INITRAMFS: Debian's 686 kernel booted with --kernel and --smp 2
# on the default engine (tcg-lite) finds both CPUs through the ACPI MADT (hw/apic_tables.h),
# starts the second with INIT and start-up IPIs through the local APIC, routes the
# interrupts through the I/O APIC, reaches init and powers off through ACPI S5 (status 0).
# Prints PASS/FAIL and "linux-smp: N passed, N failed".
if [ $# -lt 3 ]; then
	echo "usage: $0 TANDEM_BINARY VMLINUZ INITRAMFS" >&2
	exit 2
fi
tandem=$1
kernel=$2
initrd=$3
for f in "$kernel" "$initrd"; do
	[ -s "$f" ] || { echo "$0: '$f' is missing or empty" >&2; exit 2; }
done
work=$(mktemp -d /tmp/tandem-linux-smp.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
log=$work/com1
"$tandem" --cpu pentium2 --smp 2 -m 128M --kernel "$kernel" --initrd "$initrd" \
	--append "console=ttyS0 panic=-1 cryptomgr.notests" --headless \
	--serial "file:$log" --timeout 600 -q < /dev/null > /dev/null 2> "$work/err"
st=$?
miss=""
for want in "found SMP MP-table at [mem 0x000ff000" "ACPI: APIC 0x00000000000F" \
	"IOAPIC[0]: apic_id 8, version 17, address 0xfec00000" \
	"ACPI: INT_SRC_OVR (bus 0 bus_irq 0 global_irq 2" \
	"ACPI: Using ACPI (MADT) for SMP configuration" "..TIMER: vector=0x30 apic1=0 pin1=2" \
	"smp: Brought up 1 node, 2 CPUs" "reached init" "reboot: Power down"; do
	grep -qF -- "$want" "$log" || miss="$miss '$want'"
done
if grep -q "TSC warp" "$log"; then
	miss="$miss (the CPUs' TSCs disagree: $(grep -m 1 'TSC warp' "$log" | tr -d '\r'))"
fi
if [ "$st" = 0 ] && [ -z "$miss" ]; then
	echo "PASS linux-smp: --smp 2, MADT, I/O APIC, $(grep -m 1 -o 'smp: Brought up.*' "$log" | tr -d '\r'), power off through S5"
	echo "linux-smp: 1 passed, 0 failed"
	exit 0
fi
echo "FAIL linux-smp (status $st; missing$miss; last: $(tail -n 3 "$log" | tr '\r\n' '  '))"
tail -n 5 "$work/err"
echo "linux-smp: 0 passed, 1 failed"
exit 1

#!/bin/sh
# boot.sh TANDEM ASSETS: proof 7 of issue 4. Debian's 32-bit kernel (linux-image-686)
# boots through ISOLINUX from an El Torito CD, through our BIOS, on the interpreter
# (not KVM) with a busybox initramfs; its init prints a marker on the serial console
# and powers off through ACPI (our BIOS's FADT and _S5), so tandem exits 0.
# cryptomgr.notests skips the kernel's crypto self-tests: 3.7 billion instructions,
# over 70 % of the boot, that prove nothing about the machine.
tandem=$1 assets=$2
work=$(mktemp -d /tmp/tandem-linux.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/iso.sh"
make_iso "$work" "$assets" "console=ttyS0 cryptomgr.notests tandem.test=boot" || { echo "FAIL linux-boot (cannot make the CD image)"; exit 1; }
"$tandem" --accel interp --cpu pentium2 -m 256M --headless --cdrom "$work/cd.iso" --boot d \
	--serial "file:$work/com1" --timeout 600 < /dev/null > "$work/screen" 2> "$work/stderr"
st=$?
marker=$(grep -a -m 1 "tandem-init: reached init" "$work/com1" | tr -d '\r')
if [ "$st" = 0 ] && [ -n "$marker" ]; then
	echo "PASS linux-boot: ISOLINUX, Debian 686 kernel, busybox init on the interpreter, ACPI power-off ($marker; $(tail -n 1 "$work/stderr" | sed 's/^tandem: //'))"
	exit 0
fi
echo "FAIL linux-boot (exit status $st, wanted 0; marker ${marker:-missing})"
tail -n 15 "$work/com1"
tail -n 5 "$work/stderr"
exit 1

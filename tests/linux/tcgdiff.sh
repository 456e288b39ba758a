#!/bin/sh
# tcgdiff.sh TANDEM ASSETS: tcg-lite against the interpreter on a real workload. The
# first 600 million instructions of the boot.sh Linux boot (ISOLINUX, the kernel's
# decompression, paging on, early kernel set-up) run on each engine with the RTC
# fixed; the machines saved at that count (registers, cycles, RAM, devices) and the
# serial output must be the same.
tandem=$1 assets=$2
insns=${TCGDIFF_INSNS:-600000000}
work=$(mktemp -d /tmp/tandem-linux.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
. "$here/iso.sh"
make_iso "$work" "$assets" "console=ttyS0 cryptomgr.notests tandem.test=boot" ||
	{ echo "FAIL linux-tcgdiff (cannot make the CD image)"; exit 1; }
for e in interp tcg-lite; do
	# (the interpreter runs REP MOVS/STOS by its loop, tcg-lite in one go)
	bulk=1
	[ "$e" = interp ] && bulk=0
	TANDEM_REP_BULK=$bulk "$tandem" --accel $e --cpu pentium2 -m 256M --headless --rtc 0 --cdrom "$work/cd.iso" \
		--boot d --serial "file:$work/com1.$e" --max-insns "$insns" \
		--save-state "$work/state.$e" --timeout 600 < /dev/null > /dev/null 2> "$work/err.$e"
	st=$?
	if [ "$st" != 8 ]; then
		echo "FAIL linux-tcgdiff ($e: exit status $st, wanted 8: $(tail -n 1 "$work/err.$e"))"
		exit 1
	fi
done
if ! python3 "$here/../tcg/statecmp.py" "$work/state.interp" "$work/state.tcg-lite" "$work/cd.iso"; then
	echo "FAIL linux-tcgdiff (the machines differ after $insns instructions)"
	exit 1
fi
if ! cmp -s "$work/com1.interp" "$work/com1.tcg-lite"; then
	echo "FAIL linux-tcgdiff (the serial output differs)"
	exit 1
fi
echo "PASS linux-tcgdiff: tcg-lite and the interpreter leave the same machine after $insns instructions of the Linux boot"

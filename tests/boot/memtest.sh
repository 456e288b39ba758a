#!/bin/sh
# memtest.sh TANDEM: proof 4 of issue 4. Debian's memtest86+ (6.x, the ia32 build)
# on a Pentium:
# - loaded by GRUB 2 (linux16, from a grub-mkrescue CD) with console=ttyS0, it
#   waits out its start-screen countdown (timed with RDTSC and x87 divisions) and
#   starts testing: within 300M instructions its first test (#0, address test,
#   walking ones) runs on the serial console, and the final text screen shows a
#   later test under way with no errors;
# - Debian's own memtest86+ia32.iso (El Torito 1.44M floppy emulation) boots
#   to memtest's start screen.
# Both runs stop at --max-insns (exit status 8), not at a wall-clock time.
. "$(dirname "$0")/common.sh"
bin=/boot/memtest86+ia32.bin
iso=/usr/lib/memtest86+/memtest86+ia32.iso
need grub-mkrescue xorriso mformat /usr/lib/grub/i386-pc/cdboot.img $bin $iso
mkdir -p "$work/root/boot/grub" || exit 1
cp "$bin" "$work/root/boot/memtest.bin" || exit 1
cat > "$work/root/boot/grub/grub.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
menuentry "memtest86+" {
	linux16 /boot/memtest.bin console=ttyS0,115200
}
CFG
grub-mkrescue -d /usr/lib/grub/i386-pc -o "$work/grub.iso" "$work/root" \
	> "$work/mkrescue.txt" 2>&1 || { cat "$work/mkrescue.txt"; exit 1; }
"$tandem" --accel interp --cpu pentium --headless --cdrom "$work/grub.iso" --boot d \
	--serial "file:$work/serial.txt" --max-insns 300000000 --timeout 120 \
	< /dev/null > "$work/screen.txt" 2> "$work/stderr.txt"
st=$?
bad=0
has "$work/serial.txt" "Memtest86+ v6" || bad=$((bad + 1))
has "$work/serial.txt" "#0  [Address test, walking ones" || bad=$((bad + 1))
has "$work/screen.txt" "Memtest86+ v6" || bad=$((bad + 1))
has "$work/screen.txt" "Errors: 0" || bad=$((bad + 1))
if ! grep -aq "Test #[1-9]" "$work/screen.txt"; then
	echo "    missing in screen.txt: a test after #0"
	bad=$((bad + 1))
fi
verdict "memtest86+: via GRUB linux16, first test pass under way (pentium)" "$st" 8 "$bad" \
	"$work/screen.txt" "$work/stderr.txt" || failed=1

"$tandem" --accel interp --cpu pentium --headless --cdrom "$iso" --boot d --max-insns 60000000 \
	--timeout 60 < /dev/null > "$work/screen2.txt" 2> "$work/stderr2.txt"
st=$?
bad=0
has "$work/screen2.txt" "Memtest86+ v6" || bad=$((bad + 1))
has "$work/screen2.txt" "<Enter> to start testing" || bad=$((bad + 1))
verdict "memtest86+: Debian's ISO (El Torito floppy emulation) start screen (pentium)" \
	"$st" 8 "$bad" "$work/screen2.txt" "$work/stderr2.txt" || failed=1
[ -z "$failed" ]

#!/bin/sh
# badinput.sh TANDEM: tandem must refuse bad command lines and bad images with status 2
# (and a one-line message), and must end guests that spin, halt for good or execute
# garbage with its documented statuses, never by crashing. Images are generated here,
# in a temporary directory. Prints PASS/FAIL lines and "badinput: N passed, N failed".
#
# Exit statuses (tandem --help): 0 off, odd = exit device, 2 bad input, 4 shutdown,
# 6 timeout, 8 instruction budget, 10 halted with interrupts off, 12 internal error.

if [ $# -ne 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
. "$(dirname "$0")/../check.sh"
check_tandem "$1"
check_begin badinput
export LC_ALL=C

# run ARGS...: tandem with a hard wall-clock bound; sets st, leaves stderr in $work/err
run() {
	timeout -k 5 60 "$tandem" "$@" < /dev/null > "$work/out" 2> "$work/err"
	st=$?
}

# expect NAME STATUS ARGS...
expect() {
	name=$1
	want=$2
	shift 2
	run "$@"
	if [ "$st" = "$want" ]; then
		ok "$name"
	else
		bad "$name" "status $st, want $want; $(head -n 1 "$work/err" | cut -c 1-80)"
	fi
}

# boot sector image FILE from printf(1) escapes: code, zero fill, 55AAh, 1.44 MB
mkboot() {
	printf "$2" > "$1"
	truncate -s 510 "$1"
	printf '\125\252' >> "$1"
	truncate -s 1474560 "$1"
}

# garbage FILE SEED: 18 sectors of pseudo-random bytes (a fixed LCG, so the same seed
# always gives the same image) with a boot signature, then zeros to 1.44 MB
garbage() {
	awk -v seed="$2" 'BEGIN {
		x = seed
		for (i = 0; i < 18 * 512; i++) {
			x = (x * 75 + 74) % 65537
			b = x % 256
			if (i == 510) b = 85
			if (i == 511) b = 170
			printf "\\0%03o", b
		}
	}' > "$1.esc"
	printf '%b' "$(cat "$1.esc")" > "$1"
	truncate -s 1474560 "$1"
}

H="--headless --exit-port 0xf4"
B="$H --timeout 5"	# should a bad option be taken, the spinning guest stops soon
mkboot "$work/spin.img" '\353\376'		# jmp $
mkboot "$work/clihlt.img" '\372\364'		# cli; hlt
: > "$work/empty.img"
truncate -s 5M "$work/big.img"
mkdir "$work/dir.img"
head -c 1000 /dev/zero > "$work/bios1000.bin"

# guests that never finish by themselves; these run first and also show that the
# command lines below are refused for their own fault, not for a missing BIOS
expect spin-timeout 6 $H --fda "$work/spin.img" --timeout 2
expect spin-max-insns 8 $H --fda "$work/spin.img" --max-insns 1000 --timeout 20
expect cli-hlt 10 $H --fda "$work/clihlt.img" --timeout 20
expect cli-hlt-xt 10 $H --machine xt --fda "$work/clihlt.img" --timeout 20

# command lines
run --no-such-option
lines=$(grep -c . "$work/err")
if [ "$st" = 2 ] && [ "$lines" = 1 ]; then
	ok unknown-option
else
	bad unknown-option "status $st, $lines lines on stderr; want 2 and 1 line"
fi
expect missing-argument 2 $B --fda
expect bad-cpu 2 $B --cpu 68000 --fda "$work/spin.img"
expect bad-machine 2 $B --machine ps2 --fda "$work/spin.img"
expect bad-boot 2 $B --boot z --fda "$work/spin.img"
expect bad-memory 2 $B -m lots --fda "$work/spin.img"
expect bad-timeout 2 $H --timeout soon --fda "$work/spin.img"
expect bad-max-insns 2 $B --max-insns -5 --fda "$work/spin.img"
expect bad-exit-port 2 $B --exit-port 0x10000 --fda "$work/spin.img"
expect bad-smp-0 2 $B --smp 0 --cpu pentium2 --fda "$work/spin.img"
expect bad-smp-9 2 $B --smp 9 --cpu pentium2 --fda "$work/spin.img"
expect smp-needs-apic 2 $B --smp 2 --cpu 80486 --fda "$work/spin.img"
expect smp-not-xt 2 $B --smp 2 --machine xt --fda "$work/spin.img"
expect cli-hlt-smp 10 $H --smp 2 --cpu pentium2 --fda "$work/clihlt.img" --timeout 20

# images
expect missing-image 2 $B --fda "$work/no-such.img"
expect empty-image 2 $B --fda "$work/empty.img"
expect oversized-floppy 2 $B --fda "$work/big.img"
expect directory-image 2 $B --fda "$work/dir.img"
expect directory-hda 2 $B --hda "$work/dir.img" --boot c
expect missing-hda 2 $B --hda "$work/no-such.img" --boot c
expect bios-1000-bytes 2 $B --bios "$work/bios1000.bin" --fda "$work/spin.img"
expect missing-bios 2 $B --bios "$work/no-such.bin" --fda "$work/spin.img"

# malformed CUE sheets for --cdrom (hw_cdaudio_img.py writes them): status 2 and one
# line on stderr that names the fault
here=$(cd "$(dirname "$0")" && pwd)
# 3000 fixed pseudo-random bytes with no line break: one garbage line
python3 -c 'import random, sys; r = random.Random(1234); sys.stdout.buffer.write(bytes(b if b not in (10, 13) else 120 for b in (r.randrange(256) for _ in range(3000))))' > "$work/random.cue"
for v in "missing-file:cannot open BIN file" "bad-msf:bad time '00:00:80'" \
	"bad-mode:track mode 'MODE3/2352' is not supported" "beyond-end:is beyond the end" \
	"random:line 1:"; do
	name=${v%%:*}
	want=${v#*:}
	cue=$work/random.cue
	if [ "$name" != random ]; then
		mkdir -p "$work/cue-$name"
		python3 "$here/hw_cdaudio_img.py" "$work/cue-$name" "$name"
		cue=$work/cue-$name/cd.cue
	fi
	run $B --fda "$work/spin.img" --cdrom "$cue"
	if [ "$st" = 2 ] && [ "$(grep -c . "$work/err")" = 1 ] && grep -q -- "$want" "$work/err"
	then
		ok "cue-$name"
	else
		bad "cue-$name" "status $st, want 2 and '$want'; $(head -n 1 "$work/err" | cut -c 1-80)"
	fi
done

# garbage: any documented status within the timeout is fine; a signal (>= 128) or a
# hang past the timeout is not
for seed in 1 2 3 4 5 6 7 8; do
	case $seed in
	[1-4]) m="--machine at" ;;
	*) m="--machine xt" ;;
	esac
	garbage "$work/garbage$seed.img" "$((seed * 7919))"
	run $H $m --fda "$work/garbage$seed.img" --timeout 3 --debugcon "file:$work/e9" \
		--serial "file:$work/com1"
	case $st in
	0 | 4 | 6 | 8 | 10 | 12) ok "garbage-$seed (status $st)" ;;
	124 | 137) bad "garbage-$seed" "still running after 60 s" ;;
	*)
		if [ "$st" -lt 128 ] && [ $((st % 2)) = 1 ]; then
			ok "garbage-$seed (exit device, status $st)"
		else
			bad "garbage-$seed" "status $st; $(tail -n 1 "$work/err" | cut -c 1-80)"
		fi ;;
	esac
done

check_end

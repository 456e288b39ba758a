#!/bin/sh
# savestate.sh TANDEM: save states end to end.
#
# For each guest below: one uninterrupted run, then for two split points K (about 1/3
# and 2/3 of the run's instructions) a run stopped with --max-insns K --save-state F
# and a new process resuming it with --load-state F.  The resumed run must end with
# the uninterrupted run's status and total instruction count, and the two halves of
# the debug console (E9h) and COM1 output must add up to the uninterrupted run's bytes;
# for guests with an expect-png header the final screenshots must be identical.
# Then bad state files: truncated, corrupt (a flipped byte, a bad CRC, a device record
# that its device must refuse under a valid CRC), foreign, empty, missing, from a newer
# format, for another machine, against a changed disk image: each must give exit
# status 2 and exactly one line on stderr (with -q), never a signal.  A changed image
# with --force-load-state loads (with a warning).
# Sound: snd_state's WAV after a load is the uninterrupted run's from the moment of
# the save on, byte for byte, on the same engine and across engines (see below).
# Several CPUs: smp_cksum (--smp 4) split at seven points on and across interp and
# tcg-lite; a 4-CPU state refused under --smp 2 and one CPU; damaged smp records.
# Prints PASS/FAIL per check and "savestate: N passed, N failed"; exits 0 only when all
# passed.  Images (NAME.img) are built by make.

if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
tandem=$1
case "$tandem" in
/*) ;;
*) tandem=$(pwd)/$tandem ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tandem-savestate.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
guests="cpu_alu cpu_alu_xt timer_irq pic_cmos_uart rep_irq vga_13h vga_modex state_checksum
	state_timers snd_sb16 snd_opl hw_gameport hw_sermouse snd_speed_cycles snd_speed_mhz
	state_virtio apic_timer ioapic_route hw_virtio_msix"

meta() {
	sed -n "s/^; $2: *//p" "$1" | head -n 1 | tr -d '\r'
}

ok() {
	echo "PASS $1"
	passed=$((passed + 1))
}

bad() {
	echo "FAIL $1 ($2)"
	failed=$((failed + 1))
}

# run DIR TAG EXTRA...: one tandem run on DIR/disk.img, outputs DIR/TAG.*
run() {
	d=$1
	tag=$2
	shift 2
	# shellcheck disable=SC2086
	"$tandem" --headless --fda "$d/disk.img" --boot a --exit-port 0xf4 \
		--debugcon "file:$d/$tag.dc" --serial "file:$d/$tag.com1" $args "$@" \
		< /dev/null > "$d/$tag.out" 2> "$d/$tag.err"
	echo $? > "$d/$tag.status"
}

insns() {
	sed -n 's/.*after \([0-9][0-9]*\) instructions.*/\1/p' "$1" | tail -n 1
}

for name in $guests; do
	src=$here/$name.asm
	if [ ! -f "$here/$name.img" ]; then
		bad "$name" "no $name.img (run make)"
		continue
	fi
	args=$(meta "$src" tandem-args)
	png=$(meta "$src" expect-png)
	shot=""
	d=$work/$name
	mkdir -p "$d"
	cp "$here/$name.img" "$d/disk.img"
	[ -n "$png" ] && shot="--screenshot $d/full.png"
	# shellcheck disable=SC2086
	run "$d" full --timeout 60 $shot
	total=$(insns "$d/full.err")
	want=$(cat "$d/full.status")
	if [ -z "$total" ] || [ "$want" -ge 128 ]; then
		bad "$name" "the uninterrupted run failed (status $want)"
		continue
	fi
	for frac in 3 2; do
		k=$((total / frac))
		[ $frac = 2 ] && k=$((total * 2 / 3))
		what="$name split at $k/$total"
		cp "$here/$name.img" "$d/disk.img"
		run "$d" a --max-insns "$k" --save-state "$d/state"
		if [ "$(cat "$d/a.status")" != 8 ] || [ ! -s "$d/state" ]; then
			bad "$what" "saving run ended with status $(cat "$d/a.status")"
			continue
		fi
		[ -n "$png" ] && shot="--screenshot $d/b.png"
		# shellcheck disable=SC2086
		run "$d" b --load-state "$d/state" --timeout 60 $shot
		got=$(cat "$d/b.status")
		why=""
		if [ "$got" != "$want" ]; then
			why="status $got, uninterrupted $want: $(tail -n 1 "$d/b.err")"
		elif [ "$(insns "$d/b.err")" != "$total" ]; then
			why="ended after $(insns "$d/b.err") instructions, uninterrupted $total"
		elif ! cat "$d/a.dc" "$d/b.dc" | cmp -s - "$d/full.dc"; then
			why="debug console output differs"
		elif ! cat "$d/a.com1" "$d/b.com1" | cmp -s - "$d/full.com1"; then
			why="COM1 output differs"
		elif [ -n "$png" ] && ! cmp -s "$d/b.png" "$d/full.png"; then
			why="final screen differs"
		fi
		if [ -n "$why" ]; then
			bad "$what" "$why"
		else
			ok "$what"
		fi
	done
done

# ---- sound across save/load --------------------------------------------------------
# snd_state computes a checksum while the SB16 (16-bit stereo DMA at 22050 Hz, so
# through the resampler), the OPL3 (two notes, one moving) and the PC speaker play.
# A WAV written with --audio-capture starts at virtual time 0 in a run from power-on
# and, in a run that loads a state, at the moment of the save: frame S =
# floor(t * 48000) of the uninterrupted run (tandem logs S).  The saving run's WAV
# ends at S.  The "tail" is the frames from S on: the loaded run's WAV must be,
# byte for byte, the uninterrupted run's from frame S to its end, and the saving
# run's WAV its first S frames up to the last 20 ms (which lack what the resampler
# still held back at the exit).  Split at 1/3 and 2/3, resumed on the same engine
# and on the other one (interp <-> tcg-lite).
name=snd_state
d=$work/sound
mkdir -p "$d"
args="$(meta "$here/$name.asm" tandem-args)"
if [ ! -f "$here/$name.img" ]; then
	bad "$name sound" "no $name.img (run make)"
else
	cp "$here/$name.img" "$d/disk.img"
	run "$d" full --timeout 60 --accel tcg-lite --audio-capture "$d/full.wav"
	total=$(insns "$d/full.err")
	if [ "$(cat "$d/full.status")" != 1 ] || [ -z "$total" ]; then
		bad "$name sound" "the uninterrupted run failed: $(tail -n 1 "$d/full.err")"
		total=""
	fi
	for split in "3 tcg-lite tcg-lite" "2 interp interp" "3 interp tcg-lite" \
		"2 tcg-lite interp"; do
		[ -n "$total" ] || break
		# shellcheck disable=SC2086 # three words
		set -- $split
		k=$((total / 3))
		[ "$1" = 2 ] && k=$((total * 2 / 3))
		what="$name sound split at $k/$total, saved on $2, resumed on $3"
		cp "$here/$name.img" "$d/disk.img"
		run "$d" a --max-insns "$k" --save-state "$d/state" --accel "$2" \
			--audio-capture "$d/a.wav"
		run "$d" b --load-state "$d/state" --timeout 60 --accel "$3" \
			--audio-capture "$d/b.wav"
		s=$(sed -n 's/.*sound starts at frame \([0-9]*\).*/\1/p' "$d/b.err" | head -n 1)
		why=""
		if [ "$(cat "$d/a.status")" != 8 ] || [ "$(cat "$d/b.status")" != 1 ]; then
			why="status $(cat "$d/a.status") then $(cat "$d/b.status")"
			why="$why: $(tail -n 1 "$d/b.err")"
		elif ! cat "$d/a.dc" "$d/b.dc" | cmp -s - "$d/full.dc"; then
			why="the checksum output differs"
		elif [ -z "$s" ]; then
			why="the loaded run did not say where its sound starts"
		else
			why=$(python3 - "$d/full.wav" "$d/a.wav" "$d/b.wav" "$s" <<'EOF'
import sys
full, a, b = (open(p, 'rb').read()[44:] for p in sys.argv[1:4])
s = int(sys.argv[4])
if len(a) != 4 * s:
    print("the saving run's WAV has %d frames, the save was at frame %d" % (len(a) // 4, s))
elif full[4 * s:] != b:
    t = full[4 * s:]
    i = next((i for i in range(0, min(len(t), len(b)), 4) if t[i:i + 4] != b[i:i + 4]),
             min(len(t), len(b)))
    print('the WAV after loading differs from the tail of the uninterrupted one '
          'at frame %d of %d (%d frames loaded)' % (i // 4, len(t) // 4, len(b) // 4))
elif a[:4 * (s - 960)] != full[:4 * (s - 960)]:
    print("the saving run's WAV differs from the head of the uninterrupted one")
EOF
)
		fi
		if [ -n "$why" ]; then
			bad "$what" "$why"
		else
			frames=$((($(wc -c < "$d/b.wav") - 44) / 4))
			ok "$what: a WAV tail of $frames frames identical"
		fi
	done
fi

# ---- several CPUs ------------------------------------------------------------------
# smp_cksum (--smp 4, every CPU computing while its APIC timer ticks) split around the
# start-up IPIs and during the work, saved and resumed on the same engine and across
# them: the resumed run must end with the uninterrupted run's status,
# instruction count and output (the APs' states, start-up states and APIC timers travel
# in the state).  A state of 4 CPUs is refused by --smp 2 and by one CPU; damaged "smp"
# records under a valid CRC must not crash tandem.
name=smp_cksum
d=$work/smp
mkdir -p "$d"
args="$(meta "$here/$name.asm" tandem-args)"
total=""
if [ ! -f "$here/$name.img" ]; then
	bad "$name" "no $name.img (run make)"
else
	cp "$here/$name.img" "$d/disk.img"
	run "$d" full --timeout 60 --accel interp
	total=$(insns "$d/full.err")
	run "$d" full2 --timeout 60 --accel tcg-lite
	if [ "$(cat "$d/full.status")" != 1 ] || [ -z "$total" ]; then
		bad "$name" "the uninterrupted run failed: $(tail -n 1 "$d/full.err")"
		total=""
	elif [ "$(insns "$d/full2.err")" != "$total" ] || ! cmp -s "$d/full.dc" "$d/full2.dc"
	then
		bad "$name" "tcg-lite and interp runs differ"
	fi
fi
# Split points count back from the end, through the guest's own instructions (the BIOS's
# POST before it may change): 1601200 while the APs wait for SIPI after the INIT,
# 1601062 with the first start-up IPI sent but not yet taken, then mid-work and late.
# (--max-insns ends the saving run's last budgets a few cycles apart; a REP string
# instruction they cut short would start over with its start-up clocks charged again,
# which moves the APs' turns: the guest has no REP after the POST.)
for split in "1601200 interp interp" "1601062 tcg-lite tcg-lite" "1601062 interp tcg-lite" \
	"1000000 interp interp" "1000000 tcg-lite interp" "300000 tcg-lite tcg-lite" \
	"300000 interp tcg-lite"; do
	[ -n "$total" ] || break
	# shellcheck disable=SC2086 # three words
	set -- $split
	k=$((total - $1))
	what="$name (--smp 4) split at $k/$total, saved on $2, resumed on $3"
	run "$d" a --max-insns "$k" --save-state "$d/state" --accel "$2"
	run "$d" b --load-state "$d/state" --timeout 60 --accel "$3"
	why=""
	if [ "$(cat "$d/a.status")" != 8 ] || [ "$(cat "$d/b.status")" != 1 ]; then
		why="status $(cat "$d/a.status") then $(cat "$d/b.status"): $(tail -n 1 "$d/b.err")"
	elif [ "$(insns "$d/b.err")" != "$total" ]; then
		why="ended after $(insns "$d/b.err") instructions, uninterrupted $total"
	elif ! cat "$d/a.dc" "$d/b.dc" | cmp -s - "$d/full.dc"; then
		why="debug console output differs"
	fi
	if [ -n "$why" ]; then
		bad "$what" "$why"
	else
		ok "$what"
	fi
done
if [ -n "$total" ] && [ -s "$d/state" ]; then
	for n in 2 1; do
		args="--cpu pentium2 --smp $n"
		run "$d" r --load-state "$d/state" -q
		if [ "$(cat "$d/r.status")" = 2 ] && [ "$(wc -l < "$d/r.err")" = 1 ] &&
			grep -q "has 4 CPUs, this machine $n" "$d/r.err"; then
			ok "a 4-CPU state refused with --smp $n: $(cat "$d/r.err")"
		else
			bad "a 4-CPU state with --smp $n" \
				"status $(cat "$d/r.status"): $(head -n 2 "$d/r.err")"
		fi
	done
	args="$(meta "$here/$name.asm" tandem-args)"
	python3 - "$d/state" "$d" <<'EOF'
import random, struct, sys, zlib
b = open(sys.argv[1], 'rb').read()
p = zlib.decompress(b[28:])
i = p.find(b'\x03smp') + 4
n = struct.unpack('<I', p[i:i + 4])[0]
rnd = random.Random(4)
for k in range(20):
    q = bytearray(p)
    for _ in range(rnd.randint(1, 3)):
        at = i + 4 + rnd.randrange(n)
        q[at] = rnd.choice([0, 0xff, rnd.randrange(256), q[at] ^ (1 << rnd.randrange(8))])
    hdr = b[:16] + struct.pack('<QI', len(q), zlib.crc32(q))
    open('%s/fuzz%02d' % (sys.argv[2], k), 'wb').write(hdr + zlib.compress(bytes(q)))
EOF
	crashed=""
	for f in "$d"/fuzz*; do
		run "$d" z --load-state "$f" --max-insns 3000000 -q --accel interp
		st=$(cat "$d/z.status")
		[ "$st" -ge 128 ] || [ "$st" = 12 ] && crashed="$crashed $(basename "$f"):$st"
	done
	if [ -z "$crashed" ]; then
		ok "20 states with damaged smp records under a valid CRC: no crash"
	else
		bad "damaged smp records" "signal or internal error:$crashed"
	fi
fi

# ---- bad state files ---------------------------------------------------------------
d=$work/bad
mkdir -p "$d"
args=""
cp "$here/state_checksum.img" "$d/disk.img"
run "$d" good --max-insns 1000000 --save-state "$d/good.state"
if [ ! -s "$d/good.state" ]; then
	bad "bad-state setup" "no state saved"
else
	# expect_refusal WHAT FILE [EXTRA...]: status 2 and one line on stderr.
	expect_refusal() {
		what=$1
		f=$2
		shift 2
		run "$d" r --load-state "$f" -q "$@"
		st=$(cat "$d/r.status")
		lines=$(wc -l < "$d/r.err")
		if [ "$st" = 2 ] && [ "$lines" = 1 ]; then
			ok "refuses $what: $(cat "$d/r.err")"
		else
			bad "refuses $what" \
				"status $st, $lines stderr lines: $(head -n 2 "$d/r.err")"
		fi
	}
	size=$(wc -c < "$d/good.state")
	head -c $((size / 2)) "$d/good.state" > "$d/trunc"
	expect_refusal "a truncated file" "$d/trunc"
	head -c 20 "$d/good.state" > "$d/trunc2"
	expect_refusal "a file cut inside the header" "$d/trunc2"
	: > "$d/empty"
	expect_refusal "an empty file" "$d/empty"
	expect_refusal "a missing file" "$d/no-such-file"
	expect_refusal "a foreign file (a disk image)" "$here/state_checksum.img"
	expect_refusal "a directory" "$d"
	# Byte surgery with python3: a flipped byte in the compressed data; a newer format
	# version; a payload with a PIT record its loader must refuse, under a valid CRC.
	python3 - "$d/good.state" "$d" <<'EOF'
import struct, sys, zlib
src, out = sys.argv[1], sys.argv[2]
b = bytearray(open(src, 'rb').read())
flip = bytearray(b)
flip[len(flip) // 2] ^= 0x55
open(out + '/flip', 'wb').write(flip)
newer = bytearray(b)
newer[8:12] = struct.pack('<I', 99)
open(out + '/newer', 'wb').write(newer)
p = bytearray(zlib.decompress(bytes(b[28:])))
def repack(name, payload):
    hdr = b[:16] + struct.pack('<QI', len(payload), zlib.crc32(payload))
    open(out + '/' + name, 'wb').write(hdr + zlib.compress(bytes(payload)))
i = p.find(b'\x05i8254') + 6	# name length, name, then the record's length
n = struct.unpack('<I', p[i:i + 4])[0]
pit = bytearray(p)
pit[i + 4] = 0		# channel 0 control byte: no read/write mode
repack('pit', pit)
short = bytearray(p)
short[i:i + 4] = struct.pack('<I', n - 5)	# a record that ends early
del short[i + 4 + n - 5:i + 4 + n]
j = short.find(b'DEVS') + 4	# and the section around it, so only the record is short
short[j:j + 4] = struct.pack('<I', struct.unpack('<I', short[j:j + 4])[0] - 5)
repack('short', short)
crc = bytearray(b)
crc[24] ^= 1
open(out + '/crc', 'wb').write(crc)
# 40 device records with 1-4 random bytes changed under a valid CRC (a fixed seed):
# each device's load must refuse what it cannot run with, and what it accepts must
# not crash tandem later.
import random
rnd = random.Random(8)
j = p.find(b'DEVS') + 8
end = j + struct.unpack('<I', p[j - 4:j])[0]
recs = []
while j < end:
    nl = p[j]
    n = struct.unpack('<I', p[j + 1 + nl:j + 5 + nl])[0]
    if n:
        recs.append((j + 5 + nl, n))
    j += 5 + nl + n
for k in range(40):
    q = bytearray(p)
    start, n = rnd.choice(recs)
    for _ in range(rnd.randint(1, 4)):
        at = start + rnd.randrange(n)
        q[at] = rnd.choice([0, 0xff, rnd.randrange(256), q[at] ^ (1 << rnd.randrange(8))])
    repack('fuzz%02d' % k, q)
EOF
	expect_refusal "a corrupt byte" "$d/flip"
	expect_refusal "a bad checksum" "$d/crc"
	expect_refusal "a newer format version" "$d/newer"
	expect_refusal "a device record its device refuses" "$d/pit"
	expect_refusal "a device record that ends early" "$d/short"
	expect_refusal "another machine (--machine xt)" "$d/good.state" --machine xt
	expect_refusal "another RAM size (-m 8M)" "$d/good.state" -m 8M
	expect_refusal "other devices (--sound none)" "$d/good.state" --sound none
	crashed=""
	for f in "$d"/fuzz*; do
		run "$d" z --load-state "$f" --max-insns 3000000 -q
		st=$(cat "$d/z.status")
		[ "$st" -ge 128 ] || [ "$st" = 12 ] && crashed="$crashed $(basename "$f"):$st"
	done
	if [ -z "$crashed" ]; then
		ok "40 states with damaged device records under a valid CRC: no crash"
	else
		bad "damaged device records" "signal or internal error:$crashed"
	fi
	# The disk image changed after the save: refused, unless forced.
	printf 'x' | dd of="$d/disk.img" bs=1 seek=1000000 conv=notrunc 2> /dev/null
	expect_refusal "a changed disk image" "$d/good.state"
	run "$d" f --load-state "$d/good.state" --force-load-state -q
	if [ "$(cat "$d/f.status")" = 1 ] && grep -q "warning" "$d/f.err"; then
		ok "--force-load-state loads against a changed image (with a warning)"
	else
		bad "--force-load-state" "status $(cat "$d/f.status"): $(head -n 2 "$d/f.err")"
	fi
fi

echo "savestate: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/sh
# run.sh TANDEM [NAME...]: run the test guests (all of tests/guests/*.asm by default)
# under tandem and check each against its header metadata:
#   ; tandem-args: OPTIONS     extra tandem options (e.g. --cpu 80186)
#   ; guest-hdd: yes           also attach a blank 2880-sector disk as the IDE primary master
#   ; guest-cdrom: yes         also insert a copy of the image as the CD (--cdrom)
#   ; guest-cue: SCRIPT.py     python3 SCRIPT.py DIR writes DIR/cd.cue (+ its BINs): the CD
#   ; expect-wav-check: S.py   run with --audio-capture; python3 S.py WAV must exit 0, and a
#                              second run must give the same WAV bytes
#   ; virtio-blk: yes          also attach a copy of the image named vblk.img (--virtio-blk)
#   ; expect-vblk-at: N FILE   after the run, the bytes of that copy from sector N on must
#                              equal FILE (so guest writes reached the host file)
#   ; expect-virtio-console: FILE  run with --virtio-console file:...; exact bytes it must get
#   ; requires-cpu: MODEL      SKIP (not FAIL) while this build has no --cpu MODEL, or while
#                              that model cannot yet run timer_irq (boot our BIOS at all)
#   ; expect-status: N         tandem's exit status (default 1: the guest wrote 0 to F4h)
#   ; expect-debugcon: FILE    exact bytes the guest must write to port E9h
#   ; expect-com1: FILE        exact bytes the guest must write to COM1
#   ; expect-png: FILE.png     the screen at exit (--screenshot) must equal FILE.png pixel
#                              for pixel (compared by tools/pngcmp.c, built here with cc)
# The images (NAME.img) are built by make; this script builds nothing. Each run uses a
# copy of the image, so a guest that writes to its disk leaves the build product alone.
# Prints "PASS name" or "FAIL name (why)" per guest and a summary line; exits 0 only
# when every guest passed.
# TANDEM_ACCEL=ENGINE (interp, tcg-lite, ...) runs every guest with --accel ENGINE.

if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY [NAME...]" >&2
	exit 2
fi
tandem=$1
shift
case "$tandem" in
/*) ;;
*) tandem=$(pwd)/$tandem ;;
esac
if [ ! -x "$tandem" ] || [ -d "$tandem" ]; then
	echo "$0: $tandem is not an executable" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
	for f in "$here"/*.asm; do
		set -- "$@" "$(basename "$f" .asm)"
	done
fi
work=$(mktemp -d /tmp/tandem-guests.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
skipped=0

meta() {	# meta FILE KEY: value of a "; KEY: value" header line
	sed -n "s/^; $2: *//p" "$1" | head -n 1 | tr -d '\r'
}

for name in "$@"; do
	src=$here/$name.asm
	img=$here/$name.img
	dir=$work/$name
	mkdir -p "$dir"
	why=""
	req=$(meta "$src" requires-cpu)
	if [ -n "$req" ] && "$tandem" --cpu "$req" --headless --max-insns 1 < /dev/null 2>&1 |
		grep -q "unknown CPU model"; then
		echo "SKIP $name (this build has no --cpu $req)"
		skipped=$((skipped + 1))
		continue
	fi
	if [ -n "$req" ]; then
		cp "$here/timer_irq.img" "$dir/probe.img" 2> /dev/null
		"$tandem" --cpu "$req" --headless --fda "$dir/probe.img" --exit-port 0xf4 \
			--max-insns 20000000 < /dev/null > /dev/null 2>&1
		if [ $? != 1 ]; then
			echo "SKIP $name (--cpu $req cannot boot tandem's BIOS yet)"
			skipped=$((skipped + 1))
			continue
		fi
	fi
	if [ ! -f "$src" ]; then
		why="no $name.asm"
	elif [ ! -f "$img" ]; then
		why="no $name.img (run make)"
	else
		cp "$img" "$dir/disk.img"
		args=$(meta "$src" tandem-args)
		[ -n "$TANDEM_ACCEL" ] && args="$args --accel $TANDEM_ACCEL"
		if [ "$(meta "$src" guest-hdd)" = yes ]; then
			truncate -s 1474560 "$dir/hdd.img"
			args="$args --hda $dir/hdd.img"
		fi
		if [ "$(meta "$src" guest-cdrom)" = yes ]; then
			cp "$img" "$dir/cd.img"
			args="$args --cdrom $dir/cd.img"
		fi
		cue=$(meta "$src" guest-cue)
		if [ -n "$cue" ]; then
			python3 "$here/$cue" "$dir" > "$dir/cue.log" 2>&1 || why="$cue failed;"
			args="$args --cdrom $dir/cd.cue"
		fi
		if [ "$(meta "$src" virtio-blk)" = yes ]; then
			cp "$img" "$dir/vblk.img"
			args="$args --virtio-blk $dir/vblk.img"
		fi
		vcon=$(meta "$src" expect-virtio-console)
		[ -n "$vcon" ] && args="$args --virtio-console file:$dir/vcon"
		want=$(meta "$src" expect-status)
		[ -n "$want" ] || want=1
		png=$(meta "$src" expect-png)
		shot=""
		[ -n "$png" ] && shot="--screenshot $dir/screen.png"
		# Sound guests: --audio-capture / --midi-capture, checked below.
		wavsum=$(meta "$src" expect-wav-sha256)
		midisum=$(meta "$src" expect-midi-sha256)
		wavchk=$(meta "$src" expect-wav-check)
		# A capture is compared bit for bit, and the BIOS's POST reads the RTC in a
		# number of cycles that depends on the time of day, which moves the OPL's
		# 49716 Hz samples against the mixer's 48 kHz grid (snd_stereo's sum held
		# only at some hours): a fixed RTC start gives the same capture at any hour.
		[ -n "$wavsum$wavchk$midisum" ] && args="$args --rtc 2000-01-01T00:00:00"
		[ -n "$wavsum$wavchk" ] && args="$args --audio-capture $dir/out.wav"
		[ -n "$midisum" ] && args="$args --midi-capture $dir/out.mid"
		# shellcheck disable=SC2086 # tandem-args is a word list
		"$tandem" --headless --fda "$dir/disk.img" --boot a --exit-port 0xf4 \
			--debugcon "file:$dir/e9" --serial "file:$dir/com1" --timeout 20 \
			$shot $args < /dev/null > "$dir/stdout" 2> "$dir/stderr"
		st=$?
		touch "$dir/e9" "$dir/com1"
		[ "$st" = "$want" ] || why="status $st, want $want;"
		f=$(meta "$src" expect-debugcon)
		if [ -n "$f" ] && ! cmp -s "$here/$f" "$dir/e9"; then
			why="$why debugcon differs from $f;"
		fi
		f=$(meta "$src" expect-com1)
		if [ -n "$f" ] && ! cmp -s "$here/$f" "$dir/com1"; then
			why="$why COM1 differs from $f;"
		fi
		if [ -n "$vcon" ] && ! cmp -s "$here/$vcon" "$dir/vcon"; then
			why="$why virtio console output differs from $vcon;"
		fi
		f=$(meta "$src" expect-vblk-at)
		if [ -n "$f" ]; then
			sec=${f%% *}
			f=${f#* }
			n=$(wc -c < "$here/$f")
			if ! cmp -s -i "$((sec * 512)):0" -n "$n" "$dir/vblk.img" "$here/$f"; then
				why="$why the virtio-blk image lacks $f at sector $sec;"
			fi
		fi
		if [ -n "$png" ]; then
			if [ ! -x "$work/pngcmp" ] && ! ${CC:-cc} -O2 -o "$work/pngcmp" \
				"$here/../../tools/pngcmp.c" -lpng 2> "$work/pngcmp.err"; then
				why="$why cannot build tools/pngcmp.c;"
			elif ! "$work/pngcmp" "$here/$png" "$dir/screen.png" > "$dir/pngcmp" 2>&1; then
				why="$why screen differs from $png: $(head -n 1 "$dir/pngcmp");"
			fi
		fi
		# ; expect-wav-sha256: FILE / expect-midi-sha256: FILE hold the sha256 of the
		# capture (for a WAV: of its samples from the first to the last nonzero one,
		# as od -tx2 words, runs of zeros counted as one, so neither the BIOS's boot
		# time nor the guest's own pauses enter the hash); the guest is then run a
		# second time and must give the same bytes.
		if [ -n "$wavchk" ]; then
			if ! python3 "$here/$wavchk" "$dir/out.wav" > "$dir/wavchk" 2>&1; then
				why="$why $wavchk: $(grep -v '^burst' "$dir/wavchk" | head -n 1);"
			elif [ -z "$wavsum" ]; then
				cp "$img" "$dir/disk.img"
				args2=$(echo "$args" | sed "s|$dir/out.wav|$dir/out2.wav|")
				# shellcheck disable=SC2086 # tandem-args is a word list
				"$tandem" --headless --fda "$dir/disk.img" --boot a --exit-port 0xf4 \
					--debugcon "file:$dir/e9b" --serial "file:$dir/com1b" \
					--timeout 20 $args2 < /dev/null > /dev/null 2>&1
				cmp -s "$dir/out.wav" "$dir/out2.wav" || why="$why second wav capture differs;"
			fi
		fi
		for cap in "wav:$wavsum" "mid:$midisum"; do
			ext=${cap%%:*}
			f=${cap#*:}
			[ -n "$f" ] || continue
			if [ ! -f "$dir/out.$ext" ]; then
				why="$why no $ext capture;"
				continue
			fi
			if [ "$ext" = wav ]; then
				sum=$(od -An -v -j 44 -tx2 "$dir/out.wav" 2>/dev/null | tr -s ' ' '\n' |
					grep . | awk '{ a[NR] = $0 } $0 != "0000" { if (!f) f = NR; l = NR }
					END { for (i = f; i <= l; i++) if (a[i] != "0000" || a[i - 1] != "0000")
						print a[i] }' | sha256sum | cut -c 1-64)
			else
				sum=$(sha256sum < "$dir/out.$ext" | cut -c 1-64)
			fi
			[ "$sum" = "$(cut -c 1-64 "$here/$f" 2>/dev/null)" ] ||
				why="$why $ext capture sha256 $sum differs from $f;"
			mv "$dir/out.$ext" "$dir/first.$ext" 2>/dev/null
			cp "$img" "$dir/disk.img"
			# shellcheck disable=SC2086 # tandem-args is a word list
			"$tandem" --headless --fda "$dir/disk.img" --boot a --exit-port 0xf4 \
				--debugcon "file:$dir/e9b" --serial "file:$dir/com1b" --timeout 20 \
				$args < /dev/null > /dev/null 2>&1
			cmp -s "$dir/first.$ext" "$dir/out.$ext" || why="$why second $ext capture differs;"
		done
		if [ -n "$why" ]; then
			last=$(grep -a . "$dir/e9" | tail -n 1 | cut -c 1-100)
			[ -n "$last" ] && why="$why last debugcon line: $last"
			err=$(grep -a . "$dir/stderr" | tail -n 1 | cut -c 1-100)
			[ -n "$err" ] && why="$why; stderr: $err"
		fi
	fi
	if [ -z "$why" ]; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name (${why%;})"
		failed=$((failed + 1))
	fi
done
echo "guests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]

#!/bin/sh
# savestate_hotkeys.sh TANDEM: the save-state hot keys in a real SDL window, on a
# private Xvfb display driven by xdotool (SKIP when either is missing; Debian: xvfb,
# xdotool).  state_checksum runs at 8088 speed; Ctrl+Alt+Shift+F5 must save a state
# mid-run (X servers take Ctrl+Alt+F5 itself to switch consoles, so the test uses the
# Shift form the README gives), Ctrl+Alt+Shift+F9 must load it back while running
# (the guest repeats some passes: more dots than one run prints) and the guest must
# still end with the right checksum; then F9 with a truncated state file must leave the
# machine running as it was.  Prints PASS/FAIL/SKIP lines and a summary.

tandem=$1
case "$tandem" in
/*) ;;
*) tandem=$(pwd)/$tandem ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v Xvfb > /dev/null 2>&1 || ! command -v xdotool > /dev/null 2>&1; then
	echo "SKIP savestate hot keys (no Xvfb or xdotool)"
	echo "savestate-hotkeys: 0 passed, 0 failed"
	exit 0
fi
work=$(mktemp -d /tmp/tandem-hotkeys.XXXXXX) || exit 2
disp=:$((50 + $$ % 40))
Xvfb "$disp" -screen 0 1024x768x24 > /dev/null 2>&1 &
xpid=$!
trap 'kill $xpid 2> /dev/null; rm -rf "$work"' EXIT
export DISPLAY=$disp
sleep 1
passed=0
failed=0

# run STATEFILE KEYS...: boots state_checksum in a window, sends each hot key, waits.
run() {
	state=$1
	shift
	cp "$here/state_checksum.img" "$work/disk.img"
	rm -f "$work/dc"
	"$tandem" --fda "$work/disk.img" --exit-port 0xf4 --debugcon "file:$work/dc" \
		--save-state "$state" --cpu 8088 --mhz 4.77 --timeout 60 \
		< /dev/null > /dev/null 2> "$work/err" &
	tp=$!
	win=""
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		win=$(xdotool search --name tandem 2> /dev/null | head -n 1)
		[ -n "$win" ] && break
		sleep 0.5
	done
	if [ -z "$win" ]; then
		kill $tp 2> /dev/null
		wait $tp
		return 1
	fi
	xdotool windowfocus --sync "$win" 2> /dev/null
	for k in "$@"; do
		sleep 1.5
		xdotool key "$k"
	done
	wait $tp
	echo $? > "$work/status"
}

check() {	# check NAME CONDITION-TEXT: PASS when the last command succeeded
	if [ "$2" = ok ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1 ($2; stderr: $(grep -v ALSA "$work/err" | tail -n 3 | tr '\n' ' '))"
		failed=$((failed + 1))
	fi
}

dots() { tr -cd . < "$work/dc" | wc -c; }

if ! run "$work/s.state" ctrl+alt+shift+F5 ctrl+alt+shift+F9; then
	check "hot keys" "no tandem window appeared (SDL cannot open one here?)"
else
	why=ok
	grep -q "state saved to $work/s.state after" "$work/err" || why="no save on F5"
	grep -q "state loaded from $work/s.state" "$work/err" || why="no load on F9"
	[ "$(dots)" -gt 48 ] || why="the loaded state did not go back ($(dots) dots)"
	grep -q "sum DC0142D6" "$work/dc" || why="wrong checksum after the load"
	[ "$(cat "$work/status")" = 1 ] || why="status $(cat "$work/status")"
	check "Ctrl+Alt+Shift+F5 saves, F9 loads mid-run, the guest finishes right" "$why"

	head -c 3000 "$work/s.state" > "$work/bad.state"
	run "$work/bad.state" ctrl+alt+shift+F9
	why=ok
	grep -q "error: --load-state: .*truncated" "$work/err" || why="no refusal"
	[ "$(dots)" = 48 ] || why="the machine did not continue as it was ($(dots) dots)"
	grep -q "sum DC0142D6" "$work/dc" || why="wrong checksum"
	[ "$(cat "$work/status")" = 1 ] || why="status $(cat "$work/status")"
	check "F9 with a truncated state keeps the machine running" "$why"
fi
echo "savestate-hotkeys: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/sh
# run.sh TANDEM: the harness features a BIOS or bootloader author relies on:
# --trace format and determinism, --post-log, --serial stdio input, --screenshot,
# --max-insns exactness, --debugcon, isa-debug-exit status.  Guests are built here
# from small NASM sources.  Prints PASS/FAIL lines and "harness: N passed, N failed".
T=$1
[ -x "$T" ] || { echo "usage: $0 TANDEM" >&2; exit 2; }
case "$T" in /*) ;; *) T=$(pwd)/$T ;; esac
work=$(mktemp -d /tmp/tandem-harness.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { echo "PASS harness/$1"; passed=$((passed + 1)); }
bad() { echo "FAIL harness/$1 ($2)"; failed=$((failed + 1)); }

# echo: COM1 bytes go to the debug console until 'q', then exit 0 (status 1).
cat > "$work/echo.asm" <<'ASM'
        org 0x7c00
        mov al, 0x42
        out 0x80, al            ; a POST code of our own
.next:  mov dx, 0x3f8+5
.w:     in al, dx
        test al, 1
        jz .w
        mov dx, 0x3f8
        in al, dx
        out 0xe9, al
        cmp al, 'q'
        jne .next
        xor al, al
        out 0xf4, al
        hlt
times 510-($-$$) db 0
dw 0xaa55
ASM
# count: a tight loop that never ends.
cat > "$work/spin.asm" <<'ASM'
        org 0x7c00
        cli
        xor cx, cx
.l:     inc cx
        jmp .l
times 510-($-$$) db 0
dw 0xaa55
ASM
# triple: a triple fault with CMOS shutdown code 0 is a crash: status 4, no reboot loop.
cat > "$work/triple.asm" <<'ASM'
        org 0x7c00
        cpu 286
        cli
        mov al, 0x8f
        out 0x70, al
        xor al, al
        out 0x71, al
        lidt [cs:idt0]
        int 3
        jmp $
idt0:   dw 0
        dd 0
times 510-($-$$) db 0
dw 0xaa55
ASM
for g in echo spin triple; do
	nasm -f bin -o "$work/$g.img" "$work/$g.asm" || exit 2
done

# Serial input from stdin reaches the guest, in order.
printf 'serial in q' | "$T" --headless --quiet --fda "$work/echo.img" --serial stdio \
	--debugcon "file:$work/e9" --post-log "$work/post" --timeout 20 > /dev/null 2>&1
st=$?
if [ "$st" = 1 ] && [ "$(cat "$work/e9")" = "serial in q" ]; then ok serial-stdin
else bad serial-stdin "status $st, debugcon '$(cat "$work/e9" 2>/dev/null)'"; fi

# The POST log has the BIOS's codes and then the guest's 42h, last.
if grep -q '^POST 01' "$work/post" && [ "$(tail -n 1 "$work/post" | cut -c1-7)" = "POST 42" ]
then ok post-log; else bad post-log "$(tail -n 2 "$work/post" | tr '\n' ' ')"; fi

# --max-insns stops after exactly N instructions, with status 8.
"$T" --headless --quiet --fda "$work/spin.img" --max-insns 250000 --trace "$work/t1" \
	--rtc 2000-01-01T00:00:00 > /dev/null 2>&1
st=$?
n=$(wc -l < "$work/t1")
if [ "$st" = 8 ] && [ "$n" = 250000 ]; then ok max-insns
else bad max-insns "status $st, $n trace lines"; fi

# The trace names CS:IP, the bytes and the registers, one line per instruction, and
# the guest's loop shows up at 0000:7C0x.
if head -n 1 "$work/t1" | grep -q '^F000:FFF0 ' && grep -q '^0000:7C0[0-9A-F] .*AX=.*FL=' "$work/t1"
then ok trace-format; else bad trace-format "$(head -n 1 "$work/t1")"; fi

# Determinism: a second run gives the same trace, instruction for instruction.
"$T" --headless --quiet --fda "$work/spin.img" --max-insns 250000 --trace "$work/t2" \
	--rtc 2000-01-01T00:00:00 > /dev/null 2>&1
if cmp -s "$work/t1" "$work/t2"; then ok deterministic
else bad deterministic "traces differ at line $(cmp "$work/t1" "$work/t2" | sed 's/.*line //')"; fi

# --screenshot writes a PNG of the screen at exit (the BIOS banner is on it).
"$T" --headless --quiet --fda "$work/spin.img" --max-insns 400000 \
	--screenshot "$work/s.png" > /dev/null 2>&1
if [ -s "$work/s.png" ] && [ "$(head -c 4 "$work/s.png" | od -An -c | tr -d ' ')" = '211PNG' ]
then ok screenshot; else bad screenshot "no PNG written"; fi

# Headless without a terminal prints the final text screen: the BIOS banner.
out=$("$T" --headless --quiet --fda "$work/spin.img" --max-insns 400000 2>/dev/null)
case "$out" in *"tandem BIOS"*) ok final-screen ;; *) bad final-screen "no banner in stdout" ;; esac

"$T" --headless --quiet --cpu 80286 --fda "$work/triple.img" --timeout 20 > /dev/null 2>&1
st=$?
if [ "$st" = 4 ]; then ok triple-fault; else bad triple-fault "status $st, want 4"; fi

# No display and no --headless: tandem falls back to headless and tells the guest, so
# the demo disk powers off instead of waiting for a key (make run on a server).
demo=$(dirname "$T")/tests/demo/demo.img
env -u DISPLAY -u WAYLAND_DISPLAY "$T" --quiet --fda "$demo" --timeout 20 > /dev/null 2>&1
st=$?
if [ "$st" = 1 ]; then ok no-display-fallback; else bad no-display-fallback "status $st, want 1"; fi

# A relocated install (PREFIX/bin/tandem with PREFIX/share/tandem/bios.bin) finds its BIOS.
mkdir -p "$work/inst/bin" "$work/inst/share/tandem"
cp "$T" "$work/inst/bin/tandem" && cp "$(dirname "$T")/bios/bios.bin" "$work/inst/share/tandem/"
"$work/inst/bin/tandem" --headless --quiet --fda "$work/echo.img" --max-insns 100000 \
	> /dev/null 2>&1
st=$?
if [ "$st" = 8 ]; then ok relocated-install; else bad relocated-install "status $st, want 8"; fi

# SDL2 and libfluidsynth are opened with dlopen when needed, not linked: a headless
# start does not pay for loading them (bench/README.md, startup_ms).
if command -v objdump > /dev/null 2>&1; then
	needed=$(objdump -p "$T" | awk '$1 == "NEEDED" { print $2 }' | tr '\n' ' ')
	case "$needed" in
	*libSDL2*|*libfluidsynth*) bad lazy-libs "linked: $needed" ;;
	*) ok lazy-libs ;;
	esac
fi
# ...and a window still opens through the dlopen'ed SDL (its dummy video driver).
err=$(SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$T" --fda "$work/spin.img" \
	--max-insns 400000 2>&1 > /dev/null)
st=$?
case "$err" in
*"built without SDL"*) ;;
*"running headless"*) bad sdl-window "no window: $err" ;;
*) if [ "$st" = 8 ]; then ok sdl-window; else bad sdl-window "status $st, want 8"; fi ;;
esac

echo "harness: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/sh
# oracle.sh NAME|FILE.asm...: run test guests under QEMU and Bochs and report whether
# the two agree with each other and with the guest's header metadata (expect-status,
# expect-debugcon, expect-com1). A developer tool: `make check` does not use it.
# Set KEEP=1 to keep the work directory (images, outputs, Bochs log) and print its path.
#
# QEMU: isa-debug-exit at F4h gives the status; -debugcon captures E9h; SeaBIOS's
# serial console is switched off through fw_cfg so COM1 carries only the guest's bytes.
# Bochs: port_e9_hack output arrives on stdout after the debugger's "c" command; the
# exit value is read from the log line of the unmapped write to port F4h.

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tandem-oracle.XXXXXX) || exit 2
[ -n "$KEEP" ] && echo "work directory: $work"
printf '\0\0' > "$work/zero2"
agree=0
disagree=0

meta() {	# meta FILE KEY: value of a "; KEY: value" header line
	sed -n "s/^; $2: *//p" "$1" | head -n 1 | tr -d '\r'
}

status_of_bochs() {	# log file -> status the exit device would give, or "none"
	v=$(sed -n 's/.*unmapped: 8-bit write to 00f4 = \([0-9a-f][0-9a-f]\).*/\1/p' "$1" |
		head -n 1)
	if [ -z "$v" ]; then echo none; else echo $(( (0x$v << 1) | 1 )); fi
}

e9_of_bochs() {	# Bochs stdout -> the bytes the guest wrote to port E9h
	python3 - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
mark = b'<bochs:1> c\n'
i = data.find(mark)
data = data[i + len(mark):] if i >= 0 else b''
m = list(re.finditer(rb'\(0\)\.\[\d+\] ', data))
if m:
    data = data[:m[-1].start()]
sys.stdout.buffer.write(data)
PY
}

for arg in "$@"; do
	case "$arg" in
	*.asm) src=$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg") ;;
	*) src=$here/$arg.asm ;;
	esac
	name=$(basename "$src" .asm)
	dir=$work/$name
	mkdir -p "$dir"
	# nasm searches its working directory first: run it where no .inc files are
	if ! (cd "$dir" && nasm -f bin -i "$(dirname "$src")/" -i "$here/" "$src" \
		-o "$name.img" 2> nasm.txt); then
		echo "DISAGREE $name (does not assemble)"; cat "$dir/nasm.txt"
		disagree=$((disagree + 1)); continue
	fi
	truncate -s 1474560 "$dir/$name.img"
	# "; guest-hdd: yes": a blank 2880-sector disk on the primary IDE master
	hdd_q="" hdd_b=""
	if [ "$(meta "$src" guest-hdd)" = yes ]; then
		truncate -s 1474560 "$dir/hdd.img"
		hdd_q="-drive if=ide,index=0,format=raw,file=hdd.img"
		hdd_b="ata0-master: type=disk, path=hdd.img, mode=flat, cylinders=80, heads=2, spt=18"
	fi
	# "; guest-cdrom: yes": a copy of the image as the secondary master CD
	if [ "$(meta "$src" guest-cdrom)" = yes ]; then
		cp "$dir/$name.img" "$dir/cd.img"
		hdd_q="$hdd_q -drive if=ide,index=2,media=cdrom,format=raw,file=cd.img"
		hdd_b="$hdd_b
ata1: enabled=1, ioaddr1=0x170, ioaddr2=0x370, irq=15
ata1-master: type=cdrom, path=cd.img, status=inserted"
	fi
	# "; qemu-machine: pc,hpet=off": a -M value closer to tandem's board;
	# "; qemu-args: -smp 4": more QEMU options
	qm=$(meta "$src" qemu-machine)
	qa=$(meta "$src" qemu-args)
	(cd "$dir" && timeout -k 5 30 qemu-system-i386 -nographic -no-reboot -M "${qm:-pc}" -m 16 \
		-drive if=floppy,index=0,format=raw,file=$name.img -boot a $hdd_q \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-serial file:q.com1 -debugcon file:q.e9 -monitor none \
		-fw_cfg name=etc/sercon-port,file=../zero2 $qa \
		< /dev/null > q.out 2> q.err; echo $? > q.status) &
	cat > "$dir/bochsrc" <<EOB
megs: 16
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
floppya: 1_44=$name.img, status=inserted
$hdd_b
boot: floppy
display_library: term
port_e9_hack: enabled=1
com1: enabled=1, mode=file, dev=b.com1
log: b.log
panic: action=fatal
error: action=report
debug: action=ignore, unmapped=report
clock: sync=none, time0=local
EOB
	(cd "$dir" && echo c | timeout -k 5 30 bochs -q -f bochsrc > b.out 2> b.err)
	wait
	touch "$dir/q.com1" "$dir/b.com1" "$dir/q.e9"
	qs=$(cat "$dir/q.status")
	[ "$qs" = 124 ] && qs=timeout
	bs=$(status_of_bochs "$dir/b.log")
	e9_of_bochs "$dir/b.out" > "$dir/b.e9"
	why=""
	[ "$qs" = "$bs" ] || why="$why status qemu=$qs bochs=$bs;"
	# guests that print BIOS-dependent values say "; oracle-compare: status"
	if [ "$(meta "$src" oracle-compare)" != status ]; then
		cmp -s "$dir/q.e9" "$dir/b.e9" || why="$why debugcon differs;"
	fi
	cmp -s "$dir/q.com1" "$dir/b.com1" || why="$why com1 differs;"
	want=$(meta "$src" expect-status)
	[ -n "$want" ] || want=1
	[ "$qs" = "$want" ] || why="$why qemu status $qs != expected $want;"
	f=$(meta "$src" expect-debugcon)
	if [ -n "$f" ]; then
		cmp -s "$(dirname "$src")/$f" "$dir/q.e9" || why="$why debugcon != $f;"
	fi
	f=$(meta "$src" expect-com1)
	if [ -n "$f" ]; then
		cmp -s "$(dirname "$src")/$f" "$dir/q.com1" || why="$why com1 != $f;"
	fi
	if [ -z "$why" ]; then
		echo "AGREE $name (status $qs)"
		agree=$((agree + 1))
	else
		echo "DISAGREE $name ($why )"
		echo "--- qemu debugcon:"; tail -n 8 "$dir/q.e9"
		echo "--- bochs debugcon:"; tail -n 8 "$dir/b.e9"
		disagree=$((disagree + 1))
	fi
done
echo "oracle: $agree agree, $disagree disagree"
[ -n "$KEEP" ] || rm -rf "$work"
[ "$disagree" = 0 ]

# common.sh: sourced by the tests/net scripts. Sets tandem (absolute), here, work
# (a temporary directory removed at exit) and offers tandem_run, build_guest and report.
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
tandem=$1
case "$tandem" in
/*) ;;
*) tandem=$(pwd)/$tandem ;;
esac
if ! "$tandem" --version > /dev/null 2>&1; then
	echo "FAIL net/$(basename "$0" .sh) (cannot run $tandem)"
	exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
guests=$(cd "$here/../guests" && pwd)
work=$(mktemp -d /tmp/tandem-net.XXXXXX) || exit 2
if [ -n "$KEEP" ]; then
	echo "work directory: $work"
else
	trap 'rm -rf "$work"' EXIT
fi

# A private copy of the BIOS next to the binary: a rebuild running meanwhile (make in
# another shell) cannot hand a run a half-written image.
bios=$work/bios.bin
i=0
while [ $i -lt 50 ]; do
	src=$(dirname "$tandem")/bios/bios.bin
	if [ -s "$src" ] && cp "$src" "$bios" 2> /dev/null; then
		sz=$(wc -c < "$bios")
		[ "$sz" = 65536 ] || [ "$sz" = 131072 ] && break
	fi
	sleep 0.2
	i=$((i + 1))
done
tandem_run() {	# tandem_run ARGS...: tandem with our BIOS copy
	"$tandem" --bios "$bios" "$@"
}

build_guest() {	# build_guest NAME [NASM-ARGS]: tests/net/NAME.asm -> $work/NAME.img
	name=$1
	shift
	if ! nasm -f bin -i "$guests/" -i "$here/" "$@" -o "$work/$name.img" "$here/$name.asm" \
		2> "$work/$name.nasm"; then
		echo "FAIL $name (does not assemble)"
		cat "$work/$name.nasm"
		return 1
	fi
	truncate -s 1474560 "$work/$name.img"
}

report() {	# report NAME WHY FILES...: PASS, or FAIL with the tail of each file
	name=$1
	why=$2
	shift 2
	if [ -z "$why" ]; then
		echo "PASS net/$name"
		return 0
	fi
	echo "FAIL net/$name (${why%;} )"
	for f in "$@"; do
		[ -s "$f" ] && { echo "--- $(basename "$f"):"; tail -n 5 "$f"; }
	done
	return 1
}

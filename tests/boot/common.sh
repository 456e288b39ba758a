# common.sh: sourced by the tests/boot/*.sh proofs. Sets $tandem, $here (this
# directory) and $work (a temporary directory removed at exit), and defines the
# helpers below.
# Every image is built at test time from Debian packages (tools/install-deps.sh);
# a missing tool or file is a failure, never a skip.
if [ $# -lt 1 ]; then
	echo "usage: $0 TANDEM_BINARY" >&2
	exit 2
fi
tandem=$1
case $tandem in /*) ;; *) tandem=$(pwd)/$tandem ;; esac
# shellcheck disable=SC2034 # used by the scripts that source this file
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/tandem-boot.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT

# need NAME FILE-OR-COMMAND...: fail the proof NAME unless each is an existing
# file (an absolute path) or a command on PATH.
need() {
	n=$1
	shift
	for x in "$@"; do
		case $x in
		/*) [ -e "$x" ] && continue ;;
		*) command -v "$x" > /dev/null 2>&1 && continue ;;
		esac
		echo "FAIL $n ($x missing: run tools/install-deps.sh)"
		exit 1
	done
}

# slow TEXT: TEXT as a --keys script with a pause after each character, for
# guests that read the keyboard only between screen updates (the BIOS buffer
# holds 15 keys).
slow() {
	printf '%s' "$1" | sed 's/./&{wait:100}/g'
}

# verdict NAME STATUS WANT BAD LOG...: PASS when STATUS is WANT and BAD (the
# number of failed checks) is 0, else FAIL with the ends of the logs; returns
# the verdict.
verdict() {
	n=$1 st=$2 want=$3 bad=$4
	shift 4
	if [ "$st" = "$want" ] && [ "$bad" = 0 ]; then
		echo "PASS $n"
		return 0
	fi
	echo "FAIL $n (exit status $st, wanted $want; $bad output checks failed)"
	for f in "$@"; do
		[ -f "$f" ] || continue
		echo "--- end of $(basename "$f"):"
		tail -c 1500 "$f" | tr -d '\033' | tail -n 12
	done
	return 1
}

# has FILE TEXT: whether FILE contains TEXT (fixed string); says which is missing.
has() {
	if grep -aqF -- "$2" "$1"; then
		return 0
	fi
	echo "    missing in $(basename "$1"): $2"
	return 1
}

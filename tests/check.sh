# check.sh: sourced by the shell suites that print PASS/FAIL lines and a summary.
#   check_begin NAME: $work, a temporary directory removed at exit, and the counters
#                     that ok/bad keep and check_end reports as "NAME: N passed, N failed".
#   check_tandem PATH: $tandem, PATH made absolute (the suites cd); status 2 when it is not
#                     an executable file.
#   ok LABEL / bad LABEL WHY: one result line.
check_begin() {
	check_name=$1
	work=$(mktemp -d "/tmp/tandem-$1.XXXXXX") || exit 2
	trap 'rm -rf "$work"' EXIT
	passed=0
	failed=0
}

check_tandem() {
	case "$1" in
	/*) tandem=$1 ;;
	*) tandem=$(pwd)/$1 ;;
	esac
	if [ ! -x "$tandem" ] || [ -d "$tandem" ]; then
		echo "$0: $tandem is not an executable" >&2
		exit 2
	fi
}

ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1 ($2)"; failed=$((failed + 1)); }

check_end() {
	echo "$check_name: $passed passed, $failed failed"
	[ "$failed" = 0 ]
}

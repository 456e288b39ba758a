#!/bin/sh
# Keeps README.md's option table equal to `tandem --help-markdown`.
#   tools/readme-options.sh TANDEM          rewrite the table in README.md
#   tools/readme-options.sh TANDEM --check  exit 1 (and say so) if it differs
T=${1:-./tandem}
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp" "$tmp.new"' EXIT
"$T" --help-markdown > "$tmp" || exit 2
awk -v table="$tmp" '
	/<!-- options:begin -->/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
	/<!-- options:end -->/ { skip = 0 }
	!skip { print }
' README.md > "$tmp.new"
if [ "$2" = "--check" ]; then
	if cmp -s README.md "$tmp.new"; then
		echo "PASS readme-options"
		exit 0
	fi
	echo "FAIL readme-options: README.md's option table differs from tandem --help-markdown" \
	     "(run tools/readme-options.sh ./tandem)"
	exit 1
fi
cp "$tmp.new" README.md

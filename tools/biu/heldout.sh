#!/bin/sh
# Held-out check of the 8086/8088 bus model: fits the EU schedule table on
# all tests but the first 25 of every opcode file of the full SingleStepTests
# set (gen-biu-table.py --skip 25), links a vecrun with that table and
# measures clock agreement on those first 25 tests (tests/vectors/8086 is
# exactly them), which the fit never saw.  Prints both figures: held-out,
# and the in-sample one of the committed table on the same tests.
#
#     sh tools/biu/heldout.sh [FULL_SET_DIR]     (from the top of the tree,
#                                                 after ./configure && make)
set -e
src=${1:-../shared/vectors/8086}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -f Makefile ] && [ -f build/libtandem.a ] || { echo "heldout: build first" >&2; exit 2; }
libs=$(sed -n 's/^LIBS = //p' Makefile)
python3 tools/biu/gen-biu-table.py --skip 25 "$src" > "$tmp/tab.c"
cc -std=c11 -D_GNU_SOURCE -O2 -I. -Ibuild -c -o "$tmp/tab.o" "$tmp/tab.c"
# The table object comes first, so the library's own table is not linked.
cc -std=c11 -D_GNU_SOURCE -O2 -I. -Ibuild -o "$tmp/vecrun" tests/vectors/vecrun.c \
	"$tmp/tab.o" build/libtandem.a -lcjson $libs
printf 'held-out (fit without them): '
"$tmp/vecrun" --cpu 8088 --quiet tests/vectors/8086 | grep '^cycles:'
make -s build/tests/vecrun >/dev/null
printf 'in-sample (committed table):  '
./build/tests/vecrun --cpu 8088 --quiet tests/vectors/8086 | grep '^cycles:'

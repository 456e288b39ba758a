# Included by the top-level Makefile: regenerates the committed vector subset
# (tests/vectors/8086: first 25 tests per opcode file) from a full set.
VECTORS_SRC ?= /work/shared/vectors/8086
VECTORS_KEEP ?= 25

build/tests/mksubset: tests/vectors/mksubset.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o $@ $< -lcjson -lz

.PHONY: vectors-subset
vectors-subset: build/tests/mksubset
	@mkdir -p tests/vectors/8086
	./build/tests/mksubset $(VECTORS_SRC) tests/vectors/8086 $(VECTORS_KEEP)

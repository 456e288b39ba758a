# Included by the top-level Makefile: regenerates the committed vector subsets
# (tests/vectors/8086 and tests/vectors/80286: first 25 tests per opcode
# file) from the full sets.
VECTORS_SRC ?= /work/shared/vectors/8086
VECTORS_286_SRC ?= /work/shared/vectors/80286
VECTORS_KEEP ?= 25

build/tests/mksubset: tests/vectors/mksubset.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o $@ $< -lcjson -lz

.PHONY: vectors-subset
vectors-subset: build/tests/mksubset
	@mkdir -p tests/vectors/8086
	./build/tests/mksubset $(VECTORS_SRC) tests/vectors/8086 $(VECTORS_KEEP)

.PHONY: vectors-subset-286
vectors-subset-286: build/tests/mksubset
	@mkdir -p tests/vectors/80286
	./build/tests/mksubset $(VECTORS_286_SRC) tests/vectors/80286 $(VECTORS_KEEP)

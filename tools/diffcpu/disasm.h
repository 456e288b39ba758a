/* One instruction's disassembly through libcapstone when configure found it. */
#ifndef TANDEM_TOOLS_DIFFCPU_DISASM_H
#define TANDEM_TOOLS_DIFFCPU_DISASM_H

#include <stddef.h>
#include <stdint.h>

/* Returns 1 with the text in out, 0 without capstone or on bad bytes. */
int diffcpu_disasm(const uint8_t *code, size_t len, uint64_t addr, int bits, char *out,
		   size_t n);

#endif

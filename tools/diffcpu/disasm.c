/* diffcpu's optional disassembler (libcapstone).  A file of its own because
 * capstone's x86.h declares an enum x86_reg of its own, as cpu/state.h does. */
#include <stdio.h>

#include "tools/diffcpu/disasm.h"
#if HAVE_CAPSTONE
#include <capstone/capstone.h>
#endif

int diffcpu_disasm(const uint8_t *code, size_t len, uint64_t addr, int bits, char *out,
		   size_t n)
{
#if HAVE_CAPSTONE
	csh cs;
	cs_insn *ci = NULL;
	int ok = 0;

	if (cs_open(CS_ARCH_X86, bits == 32 ? CS_MODE_32 : CS_MODE_16, &cs) != CS_ERR_OK)
		return 0;
	if (cs_disasm(cs, code, len, addr, 1, &ci) == 1) {
		snprintf(out, n, "%s %s", ci->mnemonic, ci->op_str);
		cs_free(ci, 1);
		ok = 1;
	}
	cs_close(&cs);
	return ok;
#else
	(void)code, (void)len, (void)addr, (void)bits, (void)out, (void)n;
	return 0;
#endif
}

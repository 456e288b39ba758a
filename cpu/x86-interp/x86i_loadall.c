/* 80286 LOADALL (0F 05): loads every register, including the hidden
 * descriptor caches, from the 102-byte table at physical 800h.  Real-mode
 * software (HIMEM.SYS on the AT, for one) uses it to reach extended
 * memory through a segment cache with a base above 1 MiB. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

enum {
	LA_MSW = 0x806, LA_TR = 0x816, LA_FLAGS = 0x818, LA_IP = 0x81a, LA_LDTR = 0x81c,
	LA_DS = 0x81e, LA_SS = 0x820, LA_CS = 0x822, LA_ES = 0x824, LA_DI = 0x826,
	LA_ES_CACHE = 0x836, LA_CS_CACHE = 0x83c, LA_SS_CACHE = 0x842,
	LA_DS_CACHE = 0x848, LA_GDTR = 0x84e, LA_LDT_CACHE = 0x854, LA_IDTR = 0x85a,
	LA_TSS_CACHE = 0x860,
};

static uint16_t phys16(struct x86i_cpu *c, uint32_t a)
{
	return mem_read16(c->mem, a);
}

/* A cache entry: base (3 bytes), access rights, limit. */
static void cache(struct x86i_cpu *c, uint32_t a, struct x86_seg *sg, uint16_t sel)
{
	sg->sel = sel;
	sg->base = phys16(c, a) | (uint32_t)mem_read8(c->mem, a + 2) << 16;
	sg->attr = mem_read8(c->mem, a + 3);
	sg->limit = phys16(c, a + 4);
}

static void table(struct x86i_cpu *c, uint32_t a, struct x86_dtable *t)
{
	t->base = phys16(c, a) | (uint32_t)mem_read8(c->mem, a + 2) << 16;
	t->limit = phys16(c, a + 4);
}

void x86i_op_loadall(struct x86i_cpu *c, struct insn *i)
{
	struct x86_state *s = c->s;
	static const int order[8] = { X86_RDI, X86_RSI, X86_RBP, X86_RSP,
				      X86_RBX, X86_RDX, X86_RCX, X86_RAX };

	(void)i;
	if (pmode(c) && c->cpl)
		x86i_raise(c, X86I_GP, 0);
	/* MSW: PE stays once set, as with LMSW. */
	s->cr0 = (s->cr0 & ~(uint64_t)0xe) | (phys16(c, LA_MSW) & 0xf) | (s->cr0 & 1);
	for (int r = 0; r < 8; r++)
		w16(c, order[r], phys16(c, LA_DI + 2u * r));
	s->rflags = (s->rflags & ~(uint64_t)0xffff) | (phys16(c, LA_FLAGS) & 0x7fd5) | 2;
	s->rip = phys16(c, LA_IP);
	cache(c, LA_ES_CACHE, &s->seg[X86_ES], phys16(c, LA_ES));
	cache(c, LA_CS_CACHE, &s->seg[X86_CS], phys16(c, LA_CS));
	cache(c, LA_SS_CACHE, &s->seg[X86_SS], phys16(c, LA_SS));
	cache(c, LA_DS_CACHE, &s->seg[X86_DS], phys16(c, LA_DS));
	table(c, LA_GDTR, &s->gdtr);
	table(c, LA_IDTR, &s->idtr);
	cache(c, LA_LDT_CACHE, &s->ldtr, phys16(c, LA_LDTR));
	cache(c, LA_TSS_CACHE, &s->tr, phys16(c, LA_TR));
	/* The CPL is the DPL the new SS cache holds. */
	x86i_set_cpl(c, pmode(c) ? (s->seg[X86_SS].attr >> 5) & 3 : 0);
	x86i_pcache_flush(c);
}

/* The interpreter's trace cache (x86i_trace.h). */
#include <string.h>
#include <sys/mman.h>

#include "cpu/x86-interp/x86i_trace.h"

/* The cache is an anonymous mapping: its pages cost memory only once a
 * trace is built in them (calloc may clear the whole block). */
static struct x86i_trace *trace_alloc(void)
{
	void *p = mmap(NULL, X86I_TRACES * sizeof(struct x86i_trace), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void x86i_trace_free(struct x86i_cpu *c)
{
	if (c->tr)
		munmap(c->tr, X86I_TRACES * sizeof(struct x86i_trace));
	c->tr = NULL;
}

/* Where the instruction after near branch d probably is, for a trace to
 * go on there: the target of a direct jump or call, of a backward
 * conditional one (a loop), the return address a call earlier in the
 * trace pushed for a RET; the next instruction for a forward conditional
 * branch.  Only a guess: run_quiet leaves the trace when IP is not where
 * it goes on.  0 when it ends there: any other control transfer and every
 * instruction x86i_blk_is_branch names for what else it changes. */
static int trace_follow(const struct x86i_dinsn *d, uint32_t *ret, unsigned *nret,
			uint32_t *next)
{
	const struct insn *i = &d->in;
	uint32_t mask = i->osz == 4 ? 0xffffffffu : 0xffff;
	int32_t rel;
	int cond;

	if (i->op == 0x0f && i->op2 >= 0x80 && i->op2 <= 0x8f) {
		rel = (int32_t)(i->osz == 4 ? i->imm : (uint32_t)(int16_t)i->imm);
		cond = 1;
	} else if (i->op >= 0x70 && i->op <= 0x7f) {
		rel = (int8_t)i->imm;
		cond = 1;
	} else if (i->op == 0xeb) {
		rel = (int8_t)i->imm;
		cond = 0;
	} else if (i->op == 0xe9 || i->op == 0xe8) {
		rel = (int32_t)i->imm;
		cond = 0;
		if (i->op == 0xe8) {
			if (*nret == 4)
				return 0;
			ret[(*nret)++] = d->ip_next;
		}
	} else if (i->op == 0xc3 && *nret) {
		*next = ret[--*nret];
		return 1;
	} else {
		return 0;
	}
	*next = cond && rel >= 0 ? d->ip_next : (d->ip_next + (uint32_t)rel) & mask;
	return 1;
}

/* Decodes the instructions at CS:eip (linear at, host bytes of its page
 * page) into t: those that x86i_blk_decode can take from the page alone,
 * whose 16 bytes lie in it, following near branches (trace_follow) up to
 * the first instruction that ends a block otherwise.  0: not even the
 * first. */
static __attribute__((noinline)) int trace_build(struct x86i_cpu *c, struct x86i_trace *t,
						 const uint8_t *page, uint32_t at, uint32_t eip,
						 int big)
{
	unsigned off = at & (MEM_PAGE_SIZE - 1), n = 0, nret = 0, win = 0;
	uint32_t ip = eip, ret[4];
	/* CS base as at and eip give it: CS:ip is at cs_lin + ip (masked). */
	uint32_t cs_lin = at - eip;
	uint64_t lim = 0;
	int wrap = 1;

	t->n = 0;
	while (n < X86I_TRACE_INSNS && off <= MEM_PAGE_SIZE - 16) {
		struct x86i_tinsn *ti = &t->t[n];
		int len = x86i_blk_decode(c, page + off, MEM_PAGE_SIZE - off, ip, &ti->d);
		uint32_t next, la;

		if (len <= 0)
			break;
		ti->d.h = x86i_fast_handler(c, &ti->d.in);
		memcpy(&ti->b0, page + off, 8);
		memcpy(&ti->b1, page + off + 8, 8);
		ti->off = (uint16_t)off;
		/* win: the 16 bytes run_trace last compared before this one
		 * (of the last instruction not covered itself). */
		ti->covered = n && x86i_fast_regonly(ti[-1].d.h) && off >= win &&
			      off + (unsigned)len <= win + 16u;
		if (!ti->covered)
			win = off;
		n++;
		if ((uint64_t)ip + (unsigned)len - 1 > lim)
			lim = (uint64_t)ip + (unsigned)len - 1;
		next = ti->d.ip_next;
		if (x86i_blk_is_branch(&ti->d.in)) {
			if (!trace_follow(&ti->d, ret, &nret, &next)) {
				/* It may change IF, TF, CS...: run_quiet
				 * looks again before anything goes on. */
				wrap = 0;
				break;
			}
			if (next == eip)
				break;	/* a loop back to the start: this trace again */
		}
		/* The next one must be on the same page. */
		la = (cs_lin + next) & c->addr_mask;
		if ((la ^ at) & ~(uint32_t)(MEM_PAGE_SIZE - 1))
			break;
		ip = next;
		off = la & (MEM_PAGE_SIZE - 1);
	}
	if (!n)
		return 0;
	t->at = at;
	t->eip = eip;
	t->big = (uint8_t)big;
	t->lim = lim;
	t->wrap = (uint8_t)wrap;
	t->n = (uint8_t)n;
	return 1;
}

struct x86i_trace *x86i_trace_miss(struct x86i_cpu *c, const struct x86i_pcache *e, uint32_t at)
{
	const struct x86_seg *cs = &c->s->seg[X86_CS];
	uint32_t eip = ip(c);
	int big = (cs->attr & 0x4000) != 0;
	struct x86i_trace *t;

	if (!e->rd)
		return NULL;
	if (!c->tr) {
		c->tr = trace_alloc();
		if (!c->tr)
			return NULL;
	}
	t = &c->tr[x86i_trace_slot(at)];
	return trace_build(c, t, e->rd, at, eip, big) ? t : NULL;
}

/* The 8086/8088 bus interface unit, clock by clock (see x86i_biu.h).
 *
 * The rules below were read off the real CPU's bus traces (queue-status
 * and bus-status pins of the SingleStepTests 8086 set):
 * - a code fetch is T1-T4; its bytes enter the queue at T3;
 * - at T3 of any bus cycle the BIU decides: if the queue will have room,
 *   the next prefetch may start right after T4, otherwise it goes idle;
 * - an idle BIU starts a prefetch 2 clocks after the EU read that made
 *   room (reads while a cycle is on the bus count too);
 * - it does not start one when the EU will want the bus within 2 clocks
 *   (the EU's request comes that early), nor once a jump has suspended
 *   prefetching;
 * - the EU's own bus cycle starts when the bus is free, but not on the
 *   second clock after a T4 (the BIU is still turning round then);
 * - a flush restarts fetching 2 clocks later at the new IP (an odd IP
 *   first fetches the single byte there); when a code fetch was on the
 *   bus at the jump's suspend point, the flush waits until some clocks
 *   after its T4 (5 for the short jumps);
 * - after the queue ran empty the next instruction's first byte can be
 *   taken 2 clocks after the T4 that brought it. */
#include <stdio.h>
#include <string.h>

#include "cpu/x86-interp/x86i_biu.h"

enum { LIMIT = 4096, LOOKAHEAD = 2, FLUSH_RESTART = 2 };

/* Open-addressed index of the form table, built once, keyed by the form
 * packed into 64 bits (see form_key). */
#define HASH_SIZE 32768u
static struct {
	uint64_t key;
	uint16_t idx;		/* form index + 1; 0 empty */
} hash_tab[HASH_SIZE];
static int hash_built;

static uint64_t form_key(unsigned op, unsigned sel, unsigned mrm, unsigned nf, unsigned ns,
			 const unsigned cnt[4], int flushed)
{
	return op | (uint64_t)sel << 8 | (uint64_t)mrm << 11 | (uint64_t)(nf & 31) << 19 |
	       (uint64_t)(ns & 31) << 24 | (uint64_t)(cnt[0] & 63) << 29 |
	       (uint64_t)(cnt[1] & 63) << 35 | (uint64_t)(cnt[2] & 63) << 41 |
	       (uint64_t)(cnt[3] & 63) << 47 | (uint64_t)(flushed != 0) << 53;
}

static uint32_t key_hash(uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 49) & (HASH_SIZE - 1);
}

static void build_hash(void)
{
	for (unsigned n = 0; n < x86i_biu_nforms; n++) {
		const struct x86i_biu_form *f = &x86i_biu_forms[n];
		unsigned nf, ns, cnt[4];
		uint64_t key;
		uint32_t h;

		if (sscanf(f->sig, "F%uS%u:R%uW%ur%uw%u", &nf, &ns, &cnt[0], &cnt[1], &cnt[2],
			   &cnt[3]) != 6)
			continue;
		key = form_key(f->op, f->sel, f->mrm, nf, ns, cnt, strchr(f->sig, 'E') != NULL);
		h = key_hash(key);
		while (hash_tab[h].idx)
			h = (h + 1) & (HASH_SIZE - 1);
		hash_tab[h].key = key;
		hash_tab[h].idx = (uint16_t)(n + 1);
	}
	hash_built = 1;
}

static const struct x86i_biu_form *find_form(uint64_t key)
{
	for (uint32_t h = key_hash(key); hash_tab[h].idx; h = (h + 1) & (HASH_SIZE - 1))
		if (hash_tab[h].key == key)
			return &x86i_biu_forms[hash_tab[h].idx - 1];
	return NULL;
}

void x86i_biu_init(struct x86i_biu *b, unsigned qsize, unsigned fetch,
		   struct x86_biu_state *out)
{
	memset(b, 0, sizeof(*b));
	b->qsize = (uint8_t)qsize;
	b->fetch = (uint8_t)fetch;
	b->out = out;
	if (!hash_built)
		build_hash();
	x86i_biu_reset(b, 0);
}

static int16_t out_time(int t)
{
	if (t == X86I_BIU_NONE)
		return INT16_MIN;
	return (int16_t)(t < -30000 ? -30000 : t > 30000 ? 30000 : t);
}

static int in_time(int16_t t)
{
	return t == INT16_MIN ? X86I_BIU_NONE : t;
}

static void publish(const struct x86i_biu *b)
{
	struct x86_biu_state *o = b->out;

	o->valid = (uint8_t)b->cont;
	o->q = (uint8_t)b->q;
	o->odd_fetch = (uint8_t)b->odd_fetch;
	o->bus = (uint8_t)b->bus;
	o->bus_nb = (uint8_t)b->bus_nb;
	o->bus_discard = (uint8_t)b->bus_discard;
	o->last = (uint8_t)b->last;
	o->bus_t1 = out_time(b->bus_t1);
	o->last_t1 = out_time(b->last_t1);
	o->last_t4 = out_time(b->last_t4);
	o->sched = out_time(b->sched);
	o->qready = out_time(b->qready);
}

void x86i_biu_reset(struct x86i_biu *b, uint32_t ip)
{
	/* Word fetches stop one byte short at an odd IP. */
	b->q = b->qsize - (b->fetch == 2 && (ip & 1));
	b->odd_fetch = 0;
	b->bus = 0;
	b->bus_t1 = b->last_t1 = b->last_t4 = X86I_BIU_NONE;
	b->bus_nb = 0;
	b->bus_discard = 0;
	b->last = 0;
	b->sched = X86I_BIU_NONE;
	b->qready = X86I_BIU_NONE;
	b->cont = 0;
	publish(b);
}

void x86i_biu_load(struct x86i_biu *b, uint32_t ip)
{
	const struct x86_biu_state *o = b->out;

	if (!o->valid || o->q > b->qsize) {
		x86i_biu_reset(b, ip);
		return;
	}
	b->q = o->q;
	b->odd_fetch = o->odd_fetch;
	b->bus = (char)o->bus;
	b->bus_nb = o->bus_nb;
	b->bus_discard = o->bus_discard;
	b->last = (char)o->last;
	b->bus_t1 = in_time(o->bus_t1);
	b->last_t1 = in_time(o->last_t1);
	b->last_t4 = in_time(o->last_t4);
	b->sched = in_time(o->sched);
	b->qready = in_time(o->qready);
	b->cont = 1;
}

/* Makes clock r the new clock 0 for the next instruction. */
static int earlier(int t, int r)
{
	/* Long past is all the same to the rules; keep it from drifting. */
	return t - r < -30000 ? -30000 : t - r;
}

static void rebase(struct x86i_biu *b, int r)
{
	b->bus_t1 = earlier(b->bus_t1, r);
	b->last_t1 = earlier(b->last_t1, r);
	b->last_t4 = earlier(b->last_t4, r);
	b->qready = earlier(b->qready, r);
	if (b->sched != X86I_BIU_NONE)
		b->sched -= r;
	b->cont = 1;
}

static int delay(const struct x86i_biu_form *f, int k, int vadd)
{
	return x86i_biu_delay[f->off + k] + (k == f->var_pos ? vadd : 0);
}

/* May a prefetch start at clock r?  Not when the EU's next bus cycle is
 * due within LOOKAHEAD clocks or a coming flush has suspended fetching. */
static int prefetch_blocked(const struct x86i_biu_form *f, int n, int k, int tprev, int r,
			    int vadd)
{
	int t = tprev;

	for (int j = k; j < n && j < k + 3; j++) {
		int e = j ? t + delay(f, j, vadd) : 0;
		char kind = f->kinds[j];

		if (e < r + 1)
			e = r + 1;
		if (kind == 'R' || kind == 'W' || kind == 'r' || kind == 'w')
			return e <= r + LOOKAHEAD;
		if (kind == 'E')
			return e - f->susp <= r;
		if (kind == 'N')
			return 0;
		t = e;
	}
	return 0;
}

/* Replays form f from the current BIU state; returns the clock at which
 * the next instruction takes its first byte, or -1. */
static int replay(struct x86i_biu *b, const struct x86i_biu_form *f, int vadd, uint32_t target)
{
	int n = (int)strlen(f->kinds), k = 0, tprev = 0;
	int room = b->qsize - b->fetch;

	for (int r = 0; r < LIMIT; r++) {
		int e, eu_bus = 0;
		char kind = f->kinds[k];

		/* The bus: a code fetch delivers at T3; a cycle ends at T4. */
		if (!(r == 0 && b->cont) && b->bus == 'C' && r == b->bus_t1 + 2 && !b->bus_discard) {
			if (b->q == 0)
				b->qready = b->bus_t1 + 5;
			b->q += b->bus_nb;
		}
		if (b->bus && r >= b->bus_t1 + 4) {
			b->last_t4 = b->bus_t1 + 3;
			b->bus = 0;
		}
		if (b->bus) {
			b->last = b->bus;
			b->last_t1 = b->bus_t1;
		}
		/* The EU. */
		e = k ? tprev + delay(f, k, vadd) : 0;
		if (r >= e) {
			switch (kind) {
			case 'F':
			case 'S':
			case 'N':
				if (b->q <= 0 || (kind == 'N' && r < b->qready))
					break;
				if (kind == 'N') {
					rebase(b, r);
					return r;
				}
				b->q--;
				if (b->sched == X86I_BIU_NONE && b->q == room)
					b->sched = r + 2;
				tprev = r;
				k++;
				break;
			case 'E':
				/* A fetch on the bus at the suspend point holds
				 * the flush until hold clocks after its T4. */
				if (b->last == 'C' && b->last_t1 <= e - f->susp &&
				    e - f->susp <= b->last_t1 + 3 && r < b->last_t1 + 3 + f->hold)
					break;
				b->q = 0;
				b->qready = X86I_BIU_NONE;
				if (b->bus == 'C')
					b->bus_discard = 1;
				b->sched = r + FLUSH_RESTART;
				b->odd_fetch = target & 1;
				tprev = r;
				k++;
				break;
			default:
				if (b->bus || r == b->last_t4 + 2)
					break;
				b->bus = kind;
				b->bus_t1 = r;
				b->bus_nb = 0;
				b->bus_discard = 0;
				tprev = r;
				k++;
				eu_bus = 1;
			}
		}
		/* A prefetch. */
		if (!b->bus && !eu_bus && b->sched != X86I_BIU_NONE && r >= b->sched &&
		    b->q <= room && !prefetch_blocked(f, n, k, tprev, r, vadd)) {
			b->bus = 'C';
			b->bus_t1 = r;
			b->bus_nb = b->fetch == 1 || b->odd_fetch ? 1 : 2;
			b->bus_discard = 0;
			b->odd_fetch = 0;
			b->sched = X86I_BIU_NONE;
		}
		/* T3: prefetch next, or idle. */
		if (b->bus && r == b->bus_t1 + 2)
			b->sched = b->q <= room ? b->bus_t1 + 4 : X86I_BIU_NONE;
	}
	return -1;
}

static int var_units(const struct x86i_biu *b, unsigned var)
{
	switch (var) {
	case 1:
		return b->cx0 & 0xff;
	case 2:
		return b->ax0 >> 15;
	case 3:
		return b->fl0 & 1;
	case 4:
		return (b->ax0 & 0xf) > 9 || (b->fl0 & 0x10);
	}
	return 0;
}

int x86i_biu_end(struct x86i_biu *b, unsigned op, int modrm, unsigned nprefix, unsigned len,
		 int flushed, uint32_t next_ip)
{
	const struct x86i_biu_form *f;
	unsigned cnt[4] = { 0 }, sel = 0, mrm = 0xff;
	int r;

	if (b->overflow || len <= nprefix)
		goto fallback;
	for (int n = 0; n < b->nlog; n++)
		cnt[b->log[n] == 'R' ? 0 : b->log[n] == 'W' ? 1 : b->log[n] == 'r' ? 2 : 3]++;
	if (modrm >= 0) {
		mrm = (modrm & 0xc0) == 0xc0 ? 0xc0 : (unsigned)modrm & 0xc7;
		if (x86i_biu_group[op >> 3] & (1u << (op & 7)))
			sel = ((unsigned)modrm >> 3) & 7;
	}
	f = find_form(form_key(op, sel, mrm, nprefix + 1, len - nprefix - 1, cnt, flushed));
	if (!f && !flushed)	/* a jump to the next instruction flushes too */
		f = find_form(form_key(op, sel, mrm, nprefix + 1, len - nprefix - 1, cnt, 1));
	if (!f)
		goto fallback;
	r = replay(b, f, var_units(b, f->var) * f->var_k, next_ip);
	if (r < 0)
		goto fallback;
	publish(b);
	return r;
fallback:
	x86i_biu_reset(b, next_ip);
	return -1;
}

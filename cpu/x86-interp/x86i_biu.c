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
 *   taken 2 clocks after the T4 that brought it.
 *
 * Below: the state carried between instructions, brought to a canonical
 * packed form so that the memo (x86i_biu_end) finds repeats; the events
 * of an instruction (a form, a REP form's iterations, the adjustments of
 * a similar form); the clock-by-clock replay, which skips the iterations
 * of a REP loop once they repeat; the search for a similar form. */
#include <stdio.h>
#include <string.h>

#include "cpu/x86-interp/x86i_biu.h"

enum { LIMIT = 4096, LIMIT_PER_ITER = 64, LOOKAHEAD = 2, FLUSH_RESTART = 2 };

/* Open-addressed index of the form table, built once, keyed by the form
 * packed into 64 bits (see form_key). */
#define HASH_SIZE 32768u
static struct {
	uint64_t key;
	uint16_t idx;		/* form index + 1; 0 empty */
} hash_tab[HASH_SIZE];
static int hash_built;


static uint32_t key_hash(uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 49) & (HASH_SIZE - 1);
}

static void build_hash(void)
{
	for (unsigned n = 0; n < x86i_biu_nforms; n++) {
		const struct x86i_biu_form *f = &x86i_biu_forms[n];
		unsigned nf, ns, cnt[4], rep = 0;
		uint64_t key;
		uint32_t h;

		if (sscanf(f->sig, "F%uS%u:R%uW%ur%uw%u", &nf, &ns, &cnt[0], &cnt[1], &cnt[2],
			   &cnt[3]) != 6 || (cnt[0] | cnt[1] | cnt[2] | cnt[3]) > 31)
			continue;
		if (strchr(f->sig, 'P'))
			rep = strchr(f->sig, 'Z') ? 3 : 1;
		key = x86i_biu_form_key(f->op, f->sel, f->mrm, nf, ns,
					cnt[0] | cnt[1] << 5 | cnt[2] << 10 | cnt[3] << 15,
					strchr(f->sig, 'E') != NULL, rep);
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

/* The carried state while an instruction is replayed; times are clocks
 * relative to the first clock of the current instruction. */
struct run {
	int q;			/* bytes in the queue */
	int odd_fetch;		/* next code fetch is at an odd address */
	char bus;		/* cycle on the bus: 0, 'C' code fetch or EU kind */
	int bus_t1, bus_nb;	/* its T1 and (code) bytes it brings */
	int bus_discard;	/* a code fetch the flush made worthless */
	char last;		/* kind and T1 of the latest bus cycle */
	int last_t1;
	int last_t4;
	int sched;		/* clock a scheduled prefetch may start; NONE */
	int qready;		/* first clock the queue can be read after refill */
	int cont;		/* state continues from a previous instruction */
};

/* Times long past all mean the same to the rules below (each is compared
 * with clocks >= 0 of the next instruction: last_t1 + 3 with a suspend
 * point >= -4, last_t4 + 2 and qready with the clock, sched as "due"), so
 * they are brought to one value: the state then repeats when the program
 * does, and fits the packed form.  Clocks after the hand-over are small
 * (a prefetch due, a queue byte on its way). */
static void canonical(struct run *w)
{
	if (!w->bus) {
		w->bus_t1 = X86I_BIU_NONE;
		w->bus_nb = 0;
		w->bus_discard = 0;
	}
	if (w->last_t1 < -8) {
		w->last = 0;
		w->last_t1 = X86I_BIU_NONE;
	}
	if (w->last_t4 < -2)
		w->last_t4 = X86I_BIU_NONE;
	if (w->qready <= 0)
		w->qready = X86I_BIU_NONE;
	if (w->sched != X86I_BIU_NONE && w->sched < 0)
		w->sched = 0;
}

/* Bus cycle kinds as 3-bit codes. */
static const char kind_chr[8] = { 0, 'C', 'R', 'W', 'r', 'w', 0, 0 };

static unsigned kind_code(char k)
{
	for (unsigned n = 1; n < 6; n++)
		if (kind_chr[n] == k)
			return n;
	return 0;
}

/* A time as 6 bits: -31..31 (clamped; canonical states stay inside), 0 for NONE. */
static uint64_t pack_time(int t)
{
	if (t == X86I_BIU_NONE)
		return 0;
	return (uint64_t)(t < -31 ? 1 : t > 31 ? 63 : t + 32);
}

static int unpack_time(uint64_t v)
{
	v &= 63;
	return v ? (int)v - 32 : X86I_BIU_NONE;
}

static uint64_t pack(const struct run *w)
{
	return (uint64_t)w->q | (uint64_t)w->odd_fetch << 3 | (uint64_t)kind_code(w->bus) << 4 |
	       (uint64_t)w->bus_nb << 7 | (uint64_t)w->bus_discard << 9 |
	       (uint64_t)kind_code(w->last) << 10 | (uint64_t)w->cont << 13 |
	       pack_time(w->bus_t1) << 14 | pack_time(w->last_t1) << 20 |
	       pack_time(w->last_t4) << 26 | pack_time(w->sched) << 32 |
	       pack_time(w->qready) << 38;
}

static void unpack(struct run *w, uint64_t st)
{
	w->q = (int)(st & 7);
	w->odd_fetch = (int)(st >> 3 & 1);
	w->bus = kind_chr[st >> 4 & 7];
	w->bus_nb = (int)(st >> 7 & 3);
	w->bus_discard = (int)(st >> 9 & 1);
	w->last = kind_chr[st >> 10 & 7];
	w->cont = (int)(st >> 13 & 1);
	w->bus_t1 = unpack_time(st >> 14);
	w->last_t1 = unpack_time(st >> 20);
	w->last_t4 = unpack_time(st >> 26);
	w->sched = unpack_time(st >> 32);
	w->qready = unpack_time(st >> 38);
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

/* Makes w the carried state: packed, and published to b->out. */
static void settle(struct x86i_biu *b, struct run *w)
{
	struct x86_biu_state *o = b->out;

	canonical(w);
	b->st = pack(w);
	o->valid = (uint8_t)w->cont;
	o->q = (uint8_t)w->q;
	o->odd_fetch = (uint8_t)w->odd_fetch;
	o->bus = (uint8_t)w->bus;
	o->bus_nb = (uint8_t)w->bus_nb;
	o->bus_discard = (uint8_t)w->bus_discard;
	o->last = (uint8_t)w->last;
	o->bus_t1 = out_time(w->bus_t1);
	o->last_t1 = out_time(w->last_t1);
	o->last_t4 = out_time(w->last_t4);
	o->sched = out_time(w->sched);
	o->qready = out_time(w->qready);
}

static void reset_run(const struct x86i_biu *b, struct run *w, uint32_t ip)
{
	memset(w, 0, sizeof(*w));
	/* Word fetches stop one byte short at an odd IP. */
	w->q = b->qsize - (b->fetch == 2 && (ip & 1));
	w->bus_t1 = w->last_t1 = w->last_t4 = X86I_BIU_NONE;
	w->sched = X86I_BIU_NONE;
	w->qready = X86I_BIU_NONE;
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
	for (unsigned n = 0; n < x86i_biu_nforms; n++) {
		const struct x86i_biu_form *f = &x86i_biu_forms[n];

		if (f->var)
			b->opvar[f->op] = f->var;
	}
	x86i_biu_reset(b, 0);
}

void x86i_biu_reset(struct x86i_biu *b, uint32_t ip)
{
	struct run w;

	reset_run(b, &w, ip);
	settle(b, &w);
}

void x86i_biu_load(struct x86i_biu *b, uint32_t ip)
{
	const struct x86_biu_state *o = b->out;
	struct run w;

	if (!o->valid || o->q > b->qsize) {
		x86i_biu_reset(b, ip);
		return;
	}
	w.q = o->q;
	w.odd_fetch = o->odd_fetch & 1;
	w.bus = kind_chr[kind_code((char)o->bus)];
	w.bus_nb = o->bus_nb & 3;
	w.bus_discard = o->bus_discard & 1;
	w.last = kind_chr[kind_code((char)o->last)];
	w.bus_t1 = in_time(o->bus_t1);
	w.last_t1 = in_time(o->last_t1);
	w.last_t4 = in_time(o->last_t4);
	w.sched = in_time(o->sched);
	w.qready = in_time(o->qready);
	w.cont = 1;
	settle(b, &w);
}

/* Makes clock r the new clock 0 for the next instruction. */
static int earlier(int t, int r)
{
	/* Long past is all the same to the rules; keep it from drifting. */
	return t - r < -30000 ? -30000 : t - r;
}

static void rebase(struct run *b, int r)
{
	b->bus_t1 = earlier(b->bus_t1, r);
	b->last_t1 = earlier(b->last_t1, r);
	b->last_t4 = earlier(b->last_t4, r);
	b->qready = earlier(b->qready, r);
	if (b->sched != X86I_BIU_NONE)
		b->sched -= r;
	b->cont = 1;
}

static int same_run(const struct run *a, const struct run *b)
{
	return a->q == b->q && a->odd_fetch == b->odd_fetch && a->bus == b->bus &&
	       a->bus_t1 == b->bus_t1 && a->bus_nb == b->bus_nb &&
	       a->bus_discard == b->bus_discard && a->last == b->last &&
	       a->last_t1 == b->last_t1 && a->last_t4 == b->last_t4 && a->sched == b->sched &&
	       a->qready == b->qready;
}

/* Moves every time of the state d clocks later. */
static void shift(struct run *b, int d)
{
	int *t[] = { &b->bus_t1, &b->last_t1, &b->last_t4, &b->sched, &b->qready };

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (*t[i] != X86I_BIU_NONE)
			*t[i] += d;
}

/* The EU events of one instruction: a form's, with a REP form's later
 * iteration repeated, and when the form is a similar one (find_similar)
 * its prefixes and address calculation adjusted. */
struct prog {
	const struct x86i_biu_form *f;
	int n;			/* events in all */
	int pre;		/* prefixes (F events) to add before the form's; < 0 drop */
	int hb;			/* form events before the repeated body */
	int bl;			/* its length; 0 none */
	int vadd;		/* the data term's clocks */
	int adj_at, adj;	/* clocks added at form event adj_at */
};

static void prog_init(struct prog *p, const struct x86i_biu_form *f, int vadd, unsigned iters)
{
	p->f = f;
	p->vadd = vadd;
	p->pre = 0;
	p->adj_at = -1;
	p->adj = 0;
	p->bl = f->body;
	p->n = (int)strlen(f->kinds);
	p->hb = p->n;
	if (p->bl) {
		p->hb = p->n - 1 - p->bl;
		p->n = p->hb - p->bl + (int)iters * p->bl + 1;
	}
}

/* The form's index of event j, -1 for an added prefix. */
static int prog_at(const struct prog *p, int j)
{
	j -= p->pre;
	if (j < 0)
		return -1;
	if (j < p->hb)
		return j;
	if (j == p->n - 1 - p->pre)
		return p->hb + p->bl;
	return p->hb + (j - p->hb) % p->bl;
}

static char kind_at(const struct prog *p, int j)
{
	int k = prog_at(p, j);

	return k < 0 ? 'F' : p->f->kinds[k];
}

/* A prefix is taken from the queue 2 clocks after the byte before it. */
enum { PREFIX_CLOCKS = 2 };

static int delay(const struct prog *p, int j)
{
	int k = prog_at(p, j);

	if (k < 0 || (k == 0 && p->pre > 0))	/* a prefix, or the first after them */
		return PREFIX_CLOCKS;
	return x86i_biu_delay[p->f->off + k] + (k == p->f->var_pos ? p->vadd : 0) +
	       (k == p->adj_at ? p->adj : 0);
}

/* May a prefetch start at clock r?  Not when the EU's next bus cycle is
 * due within LOOKAHEAD clocks or a coming flush has suspended fetching. */
static int prefetch_blocked(const struct prog *p, int k, int tprev, int r)
{
	int t = tprev;

	for (int j = k; j < p->n && j < k + 3; j++) {
		int e = j ? t + delay(p, j) : 0;
		char kind = kind_at(p, j);

		if (e < r + 1)
			e = r + 1;
		if (kind == 'R' || kind == 'W' || kind == 'r' || kind == 'w')
			return e <= r + LOOKAHEAD;
		if (kind == 'E')
			return e - p->f->susp <= r;
		if (kind == 'N')
			return 0;
		t = e;
	}
	return 0;
}

/* Replays p from the current BIU state; returns the clock at which the
 * next instruction takes its first byte, or -1. */
static int replay(const struct x86i_biu *biu, struct run *b, const struct prog *p,
		  uint32_t target)
{
	const struct x86i_biu_form *f = p->f;
	int k = 0, tprev = 0, limit = LIMIT + LIMIT_PER_ITER * p->n;
	int room = biu->qsize - biu->fetch;
	struct run seen = { 0 };	/* the state after the last REP iteration */
	int seen_r = -1;

	for (int r = 0; r < limit; r++) {
		int e, eu_bus = 0, k0 = k;
		char kind = kind_at(p, k);

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
		e = k ? tprev + delay(p, k) : 0;
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
		    b->q <= room && !prefetch_blocked(p, k, tprev, r)) {
			b->bus = 'C';
			b->bus_t1 = r;
			b->bus_nb = biu->fetch == 1 || b->odd_fetch ? 1 : 2;
			b->bus_discard = 0;
			b->odd_fetch = 0;
			b->sched = X86I_BIU_NONE;
		}
		/* T3: prefetch next, or idle. */
		if (b->bus && r == b->bus_t1 + 2)
			b->sched = b->q <= room ? b->bus_t1 + 4 : X86I_BIU_NONE;
		/* A REP iteration done: when one leaves the BIU as the last did
		 * (relative to its end), all the others do too: skip to the
		 * last few, which meet the hand-over. */
		if (p->bl && k != k0 && k >= p->hb && (k - p->hb) % p->bl == 0) {
			struct run now = *b;
			int left = (p->n - 1 - k) / p->bl - 3;

			rebase(&now, r);
			canonical(&now);
			if (seen_r >= 0 && left > 0 && same_run(&now, &seen)) {
				int d = (r - seen_r) * left;

				shift(b, d);
				r += d;
				tprev += d;
				k += left * p->bl;
			}
			seen = now;
			seen_r = r;
		}
	}
	return -1;
}

/* The address calculation's clocks by ModRM mod 0 r/m, relative to
 * [BX+SI], as the traces show them before the first bus cycle (with a
 * displacement the queue reads hide the differences). */
static const int8_t ea_clocks0[8] = { 0, 1, 1, 0, -1, -2, 0, -2 };

/* r/m of the same address calculation class first ([BX+SI]/[BP+DI],
 * [BX+DI]/[BP+SI], one register, the direct address), then the rest. */
static const uint8_t rm_order[8][8] = {
	{ 0, 3, 1, 2, 4, 5, 7, 6 }, { 1, 2, 0, 3, 4, 5, 7, 6 }, { 2, 1, 3, 0, 4, 5, 7, 6 },
	{ 3, 0, 2, 1, 4, 5, 7, 6 }, { 4, 5, 7, 0, 3, 1, 2, 6 }, { 5, 7, 4, 0, 3, 1, 2, 6 },
	{ 6, 4, 5, 7, 0, 3, 1, 2 }, { 7, 5, 4, 0, 3, 1, 2, 6 },
};

static const struct x86i_biu_form *find_flushed(uint64_t key, int flushed)
{
	const struct x86i_biu_form *f = find_form(key);

	if (!f && !flushed)	/* a jump to the next instruction flushes too */
		f = find_form(key | (uint64_t)1 << 49);
	return f;
}

/* The form of key, or the nearest the table has: the same instruction
 * with another number of prefixes (each one more F event 2 clocks after
 * the last) or another memory operand of the same length (its address
 * calculation's clocks exchanged), in that order of preference.  Sets
 * up p; 0 when there is none. */
static int find_similar(struct prog *p, uint64_t key, int flushed, int data)
{
	unsigned mrm = (unsigned)(key >> 11) & 0xff, nf = (unsigned)(key >> 19) & 31;
	unsigned mod = mrm >> 6, nm = mrm < 0xc0 ? 8 : 1;
	const struct x86i_biu_form *f = NULL;
	unsigned m2 = mrm;
	int pre = 0;

	for (unsigned i = 0; i < nm && !f; i++) {
		uint64_t k = key;

		if (nm > 1) {
			m2 = mod << 6 | rm_order[mrm & 7][i];
			if (mod == 0 && ((m2 & 7) == 6) != ((mrm & 7) == 6))
				continue;	/* the direct address has a displacement */
			k = (key & ~((uint64_t)0xff << 11)) | (uint64_t)m2 << 11;
		}
		for (int d = 0; d <= 62 && !f; d++) {
			int n2 = (int)nf + (d & 1 ? (d + 1) / 2 : -(d / 2));

			if (n2 < 1 || n2 > 31)
				continue;
			f = find_flushed((k & ~((uint64_t)31 << 19)) | (uint64_t)n2 << 19, flushed);
			pre = (int)nf - n2;
		}
	}
	if (!f)
		return 0;
	if (f->body)
		prog_init(p, f, 0, (unsigned)data);
	else
		prog_init(p, f, data, 0);
	p->pre = pre;
	p->n += pre;
	if (m2 != mrm && mod == 0) {
		/* The first bus cycle or hand-over after the opcode bytes. */
		for (int k = 0; f->kinds[k]; k++)
			if (f->kinds[k] != 'F' && f->kinds[k] != 'S') {
				p->adj_at = k;
				p->adj = ea_clocks0[mrm & 7] - ea_clocks0[m2 & 7];
				break;
			}
	}
	return 1;
}

/* The miss path of x86i_biu_end: finds the form and replays it from the
 * carried state; the next state goes to w.  data: the data term's clocks,
 * for a REP form its iterations. */
static int replay_form(const struct x86i_biu *b, struct run *w, uint64_t key,
		       const struct x86i_biu_insn *in, int data)
{
	struct prog p;
	int r;

	if (!find_similar(&p, key, in->flushed, data))
		goto fallback;
	unpack(w, b->st);
	r = replay(b, w, &p, in->next_ip);
	if (r < 0)
		goto fallback;
	return r;
fallback:
	reset_run(b, w, in->next_ip);
	return -1;
}

int x86i_biu_miss(struct x86i_biu *b, struct x86i_biu_memo *m, uint64_t k1, uint64_t k2,
		  const struct x86i_biu_insn *in, int data)
{
	struct run w;

	m->r = replay_form(b, &w, k1, in, data);
	settle(b, &w);
	m->k1 = k1;
	m->k2 = k2;
	m->st = b->st;
	m->img = *b->out;
	return m->r;
}

/* A REP string instruction that ran its loop (CX was not 0): one
 * iteration's bus cycles make the form, CX's count the repeats.  A loop
 * cut short for an interrupt or the end of a time slice restarts the
 * instruction (flushed) and has no schedule. */
int x86i_biu_end_rep(struct x86i_biu *b, const struct x86i_biu_insn *in)
{
	unsigned op = in->op, iters = (uint16_t)(b->cx0 - in->cx);
	/* Per iteration: reads at DS:SI (MOVS CMPS LODS) and ES:DI (CMPS
	 * SCAS), writes at ES:DI (MOVS STOS); the index registers keep their
	 * parity. */
	int src = op <= 0xa7 || op == 0xac || op == 0xad;
	int dst_rd = op == 0xa6 || op == 0xa7 || op >= 0xae;
	int dst_wr = op <= 0xa5 || op == 0xaa || op == 0xab;
	unsigned wide = op & 1, fetch2 = b->fetch == 2;
	unsigned n_si = wide && (!fetch2 || (in->si & 1)) ? 2 : 1;
	unsigned n_di = wide && (!fetch2 || (in->di & 1)) ? 2 : 1;
	uint32_t body = ((src ? n_si : 0) + (dst_rd ? n_di : 0)) | (dst_wr ? n_di : 0) << 5;
	uint64_t k1, k2;
	struct x86i_biu_memo *m;
	struct run w;

	if (!iters || in->flushed || in->len <= in->nprefix)
		goto fallback;
	k1 = x86i_biu_form_key(op, 0, 0xff, in->nprefix + 1, 0, body, 0, in->cx ? 3 : 1);
	k2 = b->st | (uint64_t)iters << 44 | (uint64_t)(in->next_ip & 1) << 62;
	m = &b->memo[(((k1 * 0x9e3779b97f4a7c15ull) ^ (k2 * 0xc2b2ae3d27d4eb4full)) >> 40) &
		     (X86I_BIU_MEMO - 1)];
	if (m->k1 == k1 && m->k2 == k2) {
		b->st = m->st;
		*b->out = m->img;
		return m->r;
	}
	return x86i_biu_miss(b, m, k1, k2, in, (int)iters);
fallback:
	reset_run(b, &w, in->next_ip);
	settle(b, &w);
	return -1;
}

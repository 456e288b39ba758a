/* tcg-lite's native code (tl_native.h): x86-64 host code for the commonest
 * instructions of a hot block.  This file is the driver: the code buffer, the
 * trampoline, the two passes over a block (survey, then the runs with their
 * entries, guards, stretches and exit paths) and the placing of cold code;
 * tl_ops.c emits the instructions, tl_mem.c the memory access path, tl_rep.c
 * REP MOVS/STOS (tl_emit.h holds what they share).
 *
 * The guest is x86, so the host's own ALU computes each result and its
 * flags; only the flags the interpreter defines the same way are taken
 * from the host (x86i_alu.c: AF of the logic operations and of shifts is
 * the interpreter's own, not the host's undefined one).  What is not
 * translated, or an instruction whose fast case does not hold at run time,
 * goes back to the threaded loop, which runs it through the interpreter's
 * handler: a run only ever leaves at an instruction boundary and never
 * half-way through an instruction.
 *
 * Host registers inside a run: rbx the x86i_cpu, rbp the x86_state, r12
 * the cycle count, r13 the deadline, r14 the guest's RSP, r15 the guest's
 * arithmetic flags; the trampoline loads and stores them.  The other guest
 * registers stay in x86_state, each stored in its own width as it is
 * written.  Each instruction charges what the interpreter charges (the
 * record's clocks, the extra bus cycle of an odd word access, a taken
 * branch); a stretch of native non-branch instructions compares the most
 * it can charge with the deadline once, before it starts, as the threaded
 * loop would after each, and leaves out the flag captures a later
 * register-only one overwrites (survey()). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel/tcg-lite/tl_emit.h"

/* The buffer is mapped twice from one memfd: written through buf, run
 * through code, so no page is ever writable and executable at once and a
 * translation needs no mprotect.  Without memfd, one mapping flips between
 * RW and RX around each translation (code == buf). */
struct tl_jit {
	uint8_t *buf, *code;
	int dual;
	size_t size, used;	/* used: bytes in use (trampoline included) */
	size_t page;
	uint32_t exit_off;	/* the trampoline's common exit */
	size_t tramp_end;
};

/* --- the trampoline and the buffer ------------------------------------ */

/* tl_enter(c, s, code): saves the callee-saved registers, loads the run's
 * registers and jumps to code; the code leaves through exit with eax the
 * result, after storing the instruction count and EIP. */
static void emit_trampoline(struct tl_jit *j)
{
	struct em *e = calloc(1, sizeof(*e));
	static const int save[6] = { RBX, RBP, R12, R13, R14, R15 };

	if (!e)
		return;
	e->buf = e->p = j->buf;
	e->end = j->buf + j->size;
	for (int k = 0; k < 6; k++) {
		rex(e, 0, 0, save[k]);
		b1(e, 0x50 + (unsigned)(save[k] & 7));
	}
	insr(e, 8, 0x83, 5, RSP_);		/* sub rsp, FRAME */
	b1(e, FRAME);
	insm(e, 8, 0x89, RCX, RSP_, 0);		/* [rsp] = where the exit paths put the block */
	insm(e, 4, 0x89, R8, RSP_, GUARD_BAD);	/* [rsp+16] = what the guards fail on */
	insr(e, 8, 0x8b, RBX, RDI);		/* mov rbx, rdi */
	insr(e, 8, 0x8b, RBP, RSI);		/* mov rbp, rsi */
	insm(e, 8, 0x8b, R12, RBP, ST(cycles));
	insm(e, 8, 0x8b, R13, RBX, CPU(deadline));
	insm(e, 8, 0x8b, R14, RBP, ST(gpr) + X86_RSP * 8);	/* r14 = RSP */
	insm(e, 8, 0x8b, R15, RBP, ST(rflags));
	tl_cache_clear(e);
	insr(e, 8, 0xff, 4, RDX);		/* jmp rdx */
	j->exit_off = (uint32_t)(e->p - e->buf);
	insm(e, 8, 0x89, R12, RBP, ST(cycles));
	insm(e, 8, 0x8b, RCX, RBP, ST(rflags));	/* the arithmetic flags from r15 */
	insr(e, 8, 0x81, 4, RCX);
	b4(e, ~(uint32_t)FL_ALL);
	insr(e, 8, 0x8b, RDX, R15);
	insr(e, 4, 0x81, 4, RDX);
	b4(e, FL_ALL);
	insr(e, 8, 0x09, RDX, RCX);
	insm(e, 8, 0x89, RCX, RBP, ST(rflags));
	insm(e, 8, 0x89, R14, RBP, ST(gpr) + X86_RSP * 8);
	insr(e, 8, 0x83, 0, RSP_);		/* add rsp, FRAME */
	b1(e, FRAME);
	for (int k = 5; k >= 0; k--) {
		rex(e, 0, 0, save[k]);
		b1(e, 0x58 + (unsigned)(save[k] & 7));
	}
	b1(e, 0xc3);
	j->used = (size_t)(e->p - e->buf);
	j->used = (j->used + 63) & ~(size_t)63;
	j->tramp_end = j->used;
	free(e);
}

static int jit_protect(struct tl_jit *j, size_t from, size_t to, int prot)
{
	size_t a = from & ~(j->page - 1), b = (to + j->page - 1) & ~(j->page - 1);

	if (j->dual)
		return 0;
	return mprotect(j->buf + a, b - a, prot);
}

static int jit_map_dual(struct tl_jit *j)
{
	int fd = memfd_create("tandem-tcg-lite", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)j->size) == 0) {
		j->buf = mmap(NULL, j->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		j->code = mmap(NULL, j->size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	}
	close(fd);
	if (j->buf && j->buf != MAP_FAILED && j->code && j->code != MAP_FAILED) {
		j->dual = 1;
		return 0;
	}
	if (j->buf && j->buf != MAP_FAILED)
		munmap(j->buf, j->size);
	if (j->code && j->code != MAP_FAILED)
		munmap(j->code, j->size);
	j->buf = j->code = NULL;
	return -1;
}

struct tl_jit *tl_jit_new(size_t size)
{
	struct tl_jit *j = calloc(1, sizeof(*j));
	long pg = sysconf(_SC_PAGESIZE);

	if (!j)
		return NULL;
	j->page = pg > 0 ? (size_t)pg : 4096;
	j->size = (size + j->page - 1) & ~(j->page - 1);
	if (jit_map_dual(j) == 0)
		goto mapped;
	j->buf = mmap(NULL, j->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	j->code = j->buf;
	if (j->buf == MAP_FAILED) {
		free(j);
		return NULL;
	}
mapped:
	emit_trampoline(j);
	if (!j->used || jit_protect(j, 0, j->size, PROT_READ | PROT_EXEC)) {
		tl_jit_free(j);
		return NULL;
	}
	return j;
}

void tl_jit_free(struct tl_jit *j)
{
	if (!j)
		return;
	munmap(j->buf, j->size);
	if (j->dual)
		munmap(j->code, j->size);
	free(j);
}

void tl_jit_reset(struct tl_jit *j)
{
	j->used = j->tramp_end;	/* the trampoline stays */
}

/* The exit path (kind, j): instruction count, EIP where known, the result. */
static void emit_exit(struct em *e, struct tl_jit *jit, unsigned kind, unsigned j)
{
	const struct x86i_dinsn *d = e->d;
	unsigned ret = j | (kind == X_STOP || kind == X_BR_STOP ? TL_NAT_STOP : 0) |
		       (kind == X_REDO ? TL_NAT_REDO : 0);
	int32_t rel;

	insns_add(e, (int32_t)j);
	mov_imm64(e, RAX, (uint64_t)(uintptr_t)e->block);	/* *block = this one */
	insm(e, 8, 0x8b, RCX, RSP_, 0);
	insm(e, 8, 0x89, RAX, RCX, 0);
	if (kind == X_CONTP)
		add_cycles(e, -e->undo[j]);
	if (kind == X_CONT || kind == X_CONTP || kind == X_REDO || kind == X_STOP)
		set_rip(e, j ? d[j - 1].ip_next : d[0].in.ip0);
	mov_eax_imm(e, RAX, ret);
	b1(e, 0xe9);
	rel = (int32_t)((int64_t)jit->exit_off - (int64_t)(e->p + 4 - e->buf));
	b4(e, (uint32_t)rel);
}

/* What does not hold of the use bits at the run's entry from C (tl_jit_run
 * computes them for the trampoline, which keeps them at [rsp+GUARD_BAD]):
 * the segments that are not present writable expand-up data, the stack
 * size a U_SS16 or U_SS32 access does not have, U_AC when alignment is
 * checked. */
static uint32_t guard_bad(const struct x86i_cpu *c)
{
	const struct x86_state *s = c->s;
	uint32_t bad = 0;

	for (int sg = 0; sg < X86_NR_SREG; sg++) {
		if ((s->seg[sg].attr & 0x9e) != 0x92)
			bad |= 1u << sg;
		if (s->seg[sg].limit != 0xffff)
			bad |= U_L16 << sg;
		if (s->seg[sg].limit != 0xffffffffu)
			bad |= U_L32 << sg;
	}
	bad |= (s->seg[X86_SS].attr & 0x4000) ? U_SS16 : U_SS32;
	if (c->ac_align)
		bad |= U_AC;
	if (s->rflags & X86_DF)
		bad |= G_DF;
	if (c->intr->level && (s->rflags & X86_IF))
		bad |= G_INTR;
	return bad;
}

/* At an entry into a run at instruction x, before jumping to it: what the
 * fast memory paths of x and the rest of the run (up to end) assume, so
 * that they need not check it per access.  Segment registers, SS's size,
 * EFLAGS.AC, CR0.AM and the CPL cannot change within a run (no native
 * instruction changes them), only between the threaded instructions that
 * lead to an entry.  When it does not hold, instruction x goes to the
 * threaded loop (whose handler takes the slow path). */
static void entry_guard(struct em *e, unsigned x, unsigned end, const uint32_t *uses)
{
	const struct x86i_cpu *c = e->c;
	unsigned use = 0;
	uint32_t done;

	for (unsigned k = x; k < end; k++)
		use |= uses[k];
	use &= (c->segchk ? (1u << X86_NR_SREG) - 1 + U_AC + U_LIMITS : 0) | U_SS16 | U_SS32;
	if (!use)
		return;
	insm(e, 4, 0xf7, 0, RSP_, GUARD_BAD);		/* test dword [rsp+16], use */
	b4(e, use);
	if (!(use & U_LIMITS)) {
		jexit(e, CC_NE, X_CONT, x);
		return;
	}
	/* (cold) a limit taken at translation changed: retranslate */
	tl_jcc_cold(e, CC_NE);
	tl_cold_begin(e, &done);
	insm(e, 4, 0xf7, 0, RSP_, GUARD_BAD);
	b4(e, use & U_LIMITS);
	jexit(e, CC_NE, X_REDO, x);
	jexit(e, -1, X_CONT, x);
	tl_cold_end(e, done);
}

/* lea rdx, [r12 + most]; cmp rdx, r13; jae CONT(x); add r12, clocks: the
 * head of a stretch from x, the instructions from x on that are native,
 * no branch and of bounded clocks.  The threaded loop runs instruction x
 * when the most the stretch can charge could reach the deadline; else
 * none of them can, so none compares, and their static clocks are
 * charged here at once (an exit within the stretch takes back those of
 * the instructions it did not run: CONTP). */
static void stretch_head(struct em *e, unsigned x, int32_t most, int32_t clocks)
{
	insm(e, 8, 0x8d, RDX, R12, most);
	insr(e, 8, 0x39, R13, RDX);
	jexit(e, CC_AE, X_CONT, x);
	add_cycles(e, clocks);
}

/* The first pass: emits the block into scratch to learn, per instruction,
 * whether it is native, pure (no exit of its own: no memory access, no
 * branch, static clocks), in a stretch (st: native, no branch, bounded
 * clocks), its clocks and the flags it writes and reads; then marks dead
 * the flag captures a later instruction of the same pure stretch
 * overwrites before any read.  Only pure instructions can have dead
 * flags: after an impure one a run may leave, and the state must be whole
 * then.  most[k] and sum[k]: the most and the static clocks of the
 * stretch from k to its end. */
static void survey(struct em *e, uint8_t *st, int32_t *most, int32_t *sum)
{
	unsigned n = e->n;
	uint8_t *ok = e->ok, pure[TL_NAT_MAX_INSNS];

	for (unsigned k = 0; k < n; k++) {
		unsigned f = e->nfix;
		int branch = 0;
		e->cur = k;
		ok[k] = (uint8_t)tl_emit_insn(e, k, &branch);
		e->br[k] = (uint8_t)branch;
		pure[k] = ok[k] && !branch && e->nfix == f;
		st[k] = ok[k] && !branch && !e->unbounded[k];
		e->nfix = 0;
		e->nxfix = 0;
		e->cold_used = 0;
		e->p = e->buf;
	}
	for (unsigned k = n; k-- > 0;) {
		int more = k + 1 < n && st[k + 1];
		most[k] = st[k] ? e->iclk[k] + e->dmax[k] + (more ? most[k + 1] : 0) : 0;
		sum[k] = st[k] ? e->iclk[k] + (more ? sum[k + 1] : 0) : 0;
	}
	for (unsigned k = 0; k < n; k++) {
		if (!pure[k] || !e->fw[k])
			continue;
		for (unsigned m = k + 1; m < n && pure[m] && !e->fr[m]; m++) {
			if ((e->fw[m] & e->fw[k]) == e->fw[k]) {
				e->dead[k] = 1;
				break;
			}
		}
	}
}

/* The cold code goes after the runs: the jumps between the two and the
 * exits from cold code get their final offsets. */
static void place_cold(struct em *e)
{
	uint32_t base = (uint32_t)(e->p - e->buf);

	if ((size_t)(e->end - e->p) < e->cold_used) {
		e->bad = 1;
		return;
	}
	memcpy(e->p, e->cold, e->cold_used);
	e->p += e->cold_used;
	for (unsigned f = 0; f < e->nxfix; f++) {
		uint32_t at = e->xfix[f].at, to = e->xfix[f].to;
		int32_t rel;
		if (e->xfix[f].from_cold) {
			at += base;
		} else {
			to += base;
		}
		rel = (int32_t)to - (int32_t)(at + 4);
		memcpy(e->buf + at, &rel, 4);
	}
	for (unsigned f = 0; f < e->nfix; f++) {
		if (e->fix[f].cold) {
			e->fix[f].at += base;
			e->fix[f].cold = 0;
		}
	}
}

/* The second pass's run from instruction *kp on: its first entry, the
 * instructions up to a branch or to one that is not native, the exit after
 * them and the entries into the later ones.  Moves *kp past the run (or
 * past the instruction that was not native); returns how many are native. */
static unsigned emit_run(struct em *e, unsigned *kp, const uint8_t *st, const int32_t *most,
			 const int32_t *sum, uint32_t *entry, uint32_t *at_insn)
{
	unsigned k = *kp, n = e->n, native = 0;
	uint8_t *run = e->p;
	unsigned nfix = e->nfix, first = k, run_nx = e->nxfix, end = k;
	size_t run_cold = e->cold_used;
	int branch = 0;

	/* The run's first entry falls into its first instruction */
	while (end < n && e->ok[end] && !e->bad)
		if (e->br[end++])
			break;
	if (end > first) {
		entry[first] = (uint32_t)(e->p - e->buf);
		insns_add(e, -(int32_t)first);
		entry_guard(e, first, end, e->use_sv);
	}

	for (; k < n; k++) {
		uint8_t *at = e->p;
		unsigned f = e->nfix, nx = e->nxfix;
		size_t cold = e->cold_used;
		at_insn[k] = (uint32_t)(at - e->buf);
		e->cur = k;
		if (st[k] && (k == first || !st[k - 1]))
			stretch_head(e, k, most[k], sum[k]);
		e->pre = st[k];
		if (!tl_emit_insn(e, k, &branch)) {
			e->pre = 0;
			e->p = at;
			e->nfix = f;
			e->nxfix = nx;
			e->cold_used = cold;
			e->use[k] = 0;
			break;
		}
		e->pre = 0;
		native++;
		if (branch) {
			k++;
			break;
		}
		if (!st[k])
			end_insn(e, k, e->iclk[k]);
	}
	if (k == first) {
		e->p = run;
		e->nfix = nfix;
		e->nxfix = run_nx;
		e->cold_used = run_cold;
		*kp = k + 1;
		return 0;
	}
	if (!branch)
		jexit(e, -1, X_CONT, k);
	/* Entries into the run's later instructions, for the threaded
	 * loop to come back to after running one that left early. */
	for (unsigned x = first + 1; x < k; x++) {
		int32_t rel;
		entry[x] = (uint32_t)(e->p - e->buf);
		insns_add(e, -(int32_t)x);
		entry_guard(e, x, k, e->use);
		if (x > first && st[x] && st[x - 1])
			stretch_head(e, x, most[x], sum[x]);	/* mid-stretch entry */
		b1(e, 0xe9);			/* jmp the instruction */
		rel = (int32_t)at_insn[x] - (int32_t)(e->p + 4 - e->buf);
		b4(e, (uint32_t)rel);
	}
	*kp = k;
	return native;
}

/* The exit paths the runs' exits jump to, one per kind and boundary, and
 * the jumps to them patched. */
static void emit_exits(struct em *e, struct tl_jit *jit)
{
	uint32_t exit_at[X_KINDS][TL_NAT_MAX_INSNS + 2];

	memset(exit_at, 0, sizeof(exit_at));
	for (unsigned f = 0; f < e->nfix && !e->bad; f++) {
		unsigned kind = e->fix[f].kind, j = e->fix[f].j;
		int32_t rel;
		if (!exit_at[kind][j]) {
			exit_at[kind][j] = (uint32_t)(e->p - e->buf);
			emit_exit(e, jit, kind, j);
		}
		rel = (int32_t)exit_at[kind][j] - (int32_t)(e->fix[f].at + 4);
		memcpy(e->buf + e->fix[f].at, &rel, 4);
	}
}

static void em_free(struct em *e)
{
	free(e->cold);
	free(e);
}

int tl_jit_translate(struct tl_jit *jit, const struct x86i_cpu *c, const struct x86i_dinsn *d,
		     unsigned n, uint32_t *entry, const void *block, struct tl_link *link,
		     int assume_lim)
{
	uint8_t st[TL_NAT_MAX_INSNS];
	int32_t most[TL_NAT_MAX_INSNS], sum[TL_NAT_MAX_INSNS];
	struct em *e;
	uint32_t at_insn[TL_NAT_MAX_INSNS];
	unsigned k = 0, native = 0;
	size_t start = jit->used;

	for (unsigned x = 0; x < n; x++)
		entry[x] = 0;
	memset(link, 0, 2 * sizeof(*link));
	if (n > TL_NAT_MAX_INSNS)
		return 0;
	if (jit->size - start < 65536)
		return -1;
	e = calloc(1, sizeof(*e));	/* every count, flag and list empty */
	if (!e)
		return 0;
	e->cold = malloc(COLD_SIZE);
	if (!e->cold || jit_protect(jit, start, jit->size, PROT_READ | PROT_WRITE)) {
		em_free(e);
		return 0;
	}
	e->c = c;
	e->d = d;
	e->n = n;
	e->block = block;
	e->link = link;
	e->assume_lim = assume_lim;
	/* the first pass writes into the space after the buffer's end of use */
	e->buf = e->p = jit->buf + start;
	e->end = jit->buf + jit->size;
	survey(e, st, most, sum);
	if (e->bad) {
		/* (one instruction overflowed the scratch space) */
		jit_protect(jit, start, jit->size, PROT_READ | PROT_EXEC);
		em_free(e);
		return 0;
	}
	for (unsigned x = 0; x < n; x++)
		e->undo[x] = sum[x];
	e->undo[n] = 0;
	memcpy(e->use_sv, e->use, sizeof(e->use));
	memset(e->use, 0, sizeof(e->use));
	e->buf = jit->buf;
	e->p = jit->buf + start;
	e->bad = 0;
	e->nfix = 0;
	e->nxfix = 0;
	e->cold_used = 0;
	while (k < n && !e->bad)
		native += emit_run(e, &k, st, most, sum, entry, at_insn);
	place_cold(e);
	emit_exits(e, jit);
	if (e->bad) {
		/* out of room: the caller drops everything and tries again */
		em_free(e);
		jit_protect(jit, start, jit->size, PROT_READ | PROT_EXEC);
		return -1;
	}
	jit->used = ((size_t)(e->p - e->buf) + 63) & ~(size_t)63;
	em_free(e);
	if (jit_protect(jit, start, jit->used, PROT_READ | PROT_EXEC)) {
		for (unsigned x = 0; x < n; x++)
			entry[x] = 0;
		return 0;
	}
	if (!native)
		jit->used = start;
	return (int)native;
}

typedef unsigned (*tl_enter_fn)(struct x86i_cpu *c, struct x86_state *s, const uint8_t *code,
				const void **block, uint32_t bad);

unsigned tl_jit_run(const struct tl_jit *j, struct x86i_cpu *c, uint32_t entry,
		    const void **block)
{
	tl_enter_fn f = (tl_enter_fn)(void *)j->code;

	return f(c, c->s, j->code + entry, block, guard_bad(c));
}

const uint8_t *tl_jit_code(const struct tl_jit *j, uint32_t entry)
{
	return j->code + entry;
}

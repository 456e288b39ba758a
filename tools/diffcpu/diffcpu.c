/* diffcpu: lockstep differential tester, interpreter against the real CPU.
 *
 *   diffcpu [--seed N] [--blocks N] [--insns N] [--mode real|prot16|prot32|all]
 *           [--keep-going] [--max-fail N] [--strict] [--tcg] [-v]
 *
 * Each block of random instructions (tools/diffcpu/gen.c) runs from the
 * same struct x86_state and the same RAM on the KVM engine (--cpu host) and
 * on the interpreter (pentium2), both stopping at the block's HLT; then the
 * register file, the flags the SDM defines for what the block executed, and
 * the data and stack pages are compared.  The first divergence prints the
 * block (bytes and the generator's mnemonics), the initial state, both final
 * states and the interpreter's trace of the block.  --tcg also runs every
 * block on tcg-lite with native code at once (TANDEM_TCG_HOT=1), which must
 * end exactly as the interpreter does (all of EFLAGS, the instruction count,
 * the pages), and again one instruction per run, so that the cycle counts
 * after each instruction are compared too.  --blocks 0 runs until
 * Ctrl-C.  Ends with "diffcpu: N passed, N failed", or "SKIP diffcpu (...)"
 * when KVM cannot run the modes asked for.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel/accel.h"
#include "hw/machine.h"
#include "tools/diffcpu/disasm.h"
#include "tools/diffcpu/gen.h"
#include "util/log.h"
#if HAVE_KVM_H
/* Read-only peek at the engine's count of instructions it handed to the
 * interpreter (KVM's emulator lacks some): those are not a real-CPU result. */
#include "accel/kvm/kvm_priv.h"
#endif

#define RAM_BYTES (1u << 20)

struct side {
	const char *name;
	struct machine m;
	const struct accel_ops *ops;
	struct vcpu *v;
};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int side_init(struct side *sd, const char *name, const struct cpu_model *model,
		     const struct accel_ops *ops, const char **why)
{
	memset(sd, 0, sizeof(*sd));
	sd->name = name;
	sd->ops = ops;
	sd->m.model = model;
	sd->m.mem = mem_new(RAM_BYTES);
	sd->m.io = ioport_bus_new();
	sd->m.clock = clock_new(&sd->m.cpu.cycles, model->default_hz, NULL, NULL);
	if (!sd->m.mem || !sd->m.io || !sd->m.clock) {
		*why = "out of memory";
		return -1;
	}
	sd->v = ops->init(&sd->m, why);
	if (!sd->v)
		return -1;
	ops->reset(sd->v);
	return 0;
}

static void side_free(struct side *sd)
{
	if (sd->v)
		sd->ops->destroy(sd->v);
	if (sd->m.clock)
		clock_free(sd->m.clock);
	if (sd->m.io)
		ioport_bus_free(sd->m.io);
	if (sd->m.mem)
		mem_free(sd->m.mem);
	memset(sd, 0, sizeof(*sd));
}

static const char *mode_name(enum gen_mode mode)
{
	return mode == GEN_REAL16 ? "real" : mode == GEN_PROT16 ? "prot16" : "prot32";
}

/* Segments and control registers of the mode; GPRs and flags come later. */
static void mode_state(struct x86_state *s, enum gen_mode mode)
{
	int pm = mode != GEN_REAL16;
	uint16_t big = mode == GEN_PROT32 ? 0x4000 : 0;

	for (int i = 0; i < X86_NR_SREG; i++)
		s->seg[i] = (struct x86_seg){ .sel = pm ? 0x10 : GEN_DATA >> 4, .attr = 0x93,
					      .limit = 0xffff, .base = GEN_DATA };
	s->seg[X86_CS] = (struct x86_seg){ .sel = pm ? 0x08 : 0, .attr = 0x9b | big,
					   .limit = pm ? 0xfffff : 0xffff, .base = 0 };
	s->seg[X86_SS] = (struct x86_seg){ .sel = pm ? 0x18 : GEN_STACK >> 4,
					   .attr = 0x93 | big, .limit = 0xffff,
					   .base = GEN_STACK };
	s->gdtr = (struct x86_dtable){ .base = GEN_GDT, .limit = 0x1f };
	s->idtr = pm ? (struct x86_dtable){ .base = GEN_IDT, .limit = 32 * 8 - 1 } :
		       (struct x86_dtable){ .base = 0, .limit = 0x3ff };
	s->cr0 = pm ? 0x11 : 0x10;
	s->cr2 = s->cr3 = s->cr4 = 0;
	s->efer = 0;
	s->rip = GEN_CODE;
	s->run_state = X86_RUNNING;
	s->intr_shadow = 0;
	for (int i = 8; i < X86_NR_GPR; i++)
		s->gpr[i] = 0;
}

static void put_desc(uint8_t *d, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	d[0] = (uint8_t)limit;
	d[1] = (uint8_t)(limit >> 8);
	d[2] = (uint8_t)base;
	d[3] = (uint8_t)(base >> 8);
	d[4] = (uint8_t)(base >> 16);
	d[5] = access;
	d[6] = (uint8_t)(flags << 4 | ((limit >> 16) & 15));
	d[7] = (uint8_t)(base >> 24);
}

/* The low page: real-mode IVT, GDT, IDT and the exception handlers, one
 * HLT per vector so the final EIP tells which vector was taken. */
static void load_low_page(uint8_t *ram, enum gen_mode mode)
{
	uint8_t big = mode == GEN_PROT32 ? 4 : 0;

	memset(ram, 0, GEN_PAGE);
	for (int n = 0; n < 256; n++) {
		ram[n * 4] = (uint8_t)(GEN_HANDLER + n);
		ram[n * 4 + 1] = (uint8_t)((GEN_HANDLER + n) >> 8);
	}
	put_desc(ram + GEN_GDT + 0x08, 0, 0xfffff, 0x9b, big);
	put_desc(ram + GEN_GDT + 0x10, GEN_DATA, 0xffff, 0x93, 0);
	put_desc(ram + GEN_GDT + 0x18, GEN_STACK, 0xffff, 0x93, big);
	for (int n = 0; n < 32; n++) {
		uint8_t *gte = ram + GEN_IDT + n * 8;
		uint32_t off = GEN_HANDLER + (uint32_t)n;
		gte[0] = (uint8_t)off;
		gte[1] = (uint8_t)(off >> 8);
		gte[2] = 0x08;
		gte[5] = big ? 0x8e : 0x86;
	}
	memset(ram + GEN_HANDLER, 0xf4, 0x100);
}

static void load_ram(struct side *sd, const struct gen_block *b, enum gen_mode mode)
{
	uint8_t *ram = mem_ram_ptr(sd->m.mem);

	load_low_page(ram, mode);
	memset(ram + GEN_CODE, 0xf4, GEN_PAGE);
	memcpy(ram + GEN_CODE, b->code, b->len);
	memcpy(ram + GEN_DATA, b->data, GEN_PAGE);
	memcpy(ram + GEN_STACK, b->stack, GEN_PAGE);
}

/* Runs until the HLT (or anything else that ends the run). */
static enum accel_exit run_block(struct side *sd, const struct x86_state *in,
				 struct x86_state *out, uint64_t budget)
{
	enum accel_exit r = ACCEL_EXIT_BUDGET;

	sd->ops->set_state(sd->v, in);
	for (int i = 0; i < 50 && r == ACCEL_EXIT_BUDGET; i++)
		r = sd->ops->run(sd->v, budget);
	sd->ops->get_state(sd->v, out);
	return r;
}

static void flag_str(uint32_t f, char *buf)
{
	static const struct { uint32_t bit; char c; } fl[] = {
		{ X86_OF, 'O' }, { X86_DF, 'D' }, { X86_SF, 'S' }, { X86_ZF, 'Z' },
		{ X86_AF, 'A' }, { X86_PF, 'P' }, { X86_CF, 'C' },
	};
	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		buf[i] = f & fl[i].bit ? fl[i].c : '-';
	buf[sizeof(fl) / sizeof(fl[0])] = 0;
}

static void dump_state(const char *name, const struct x86_state *s)
{
	static const char *const n[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp",
					 "esi", "edi" };
	char fs[8];

	printf("  %-8s", name);
	for (int i = 0; i < 8; i++)
		printf(" %s=%08x", n[i], (uint32_t)s->gpr[i]);
	flag_str((uint32_t)s->rflags, fs);
	printf("\n           eip=%08x eflags=%08x [%s] cs=%04x ss=%04x ds=%04x es=%04x "
	       "run_state=%d\n", (uint32_t)s->rip, (uint32_t)s->rflags, fs,
	       s->seg[X86_CS].sel, s->seg[X86_SS].sel, s->seg[X86_DS].sel,
	       s->seg[X86_ES].sel, s->run_state);
}

/* Bytes, the generator's mnemonic and, with libcapstone, its disassembly
 * (a second opinion on what the bytes mean). */
static void dump_block(const struct gen_block *b, enum gen_mode mode)
{
	for (int i = 0; i < b->ninsn; i++) {
		const struct gen_insn *in = &b->insn[i];
		char hex[40] = "", dis[64] = "| ";
		for (int j = 0; j < in->len && j < 12; j++)
			snprintf(hex + 3 * j, sizeof(hex) - 3 * (size_t)j, "%02x ",
				 b->code[in->off + j]);
		if (!diffcpu_disasm(b->code + in->off, in->len, GEN_CODE + in->off,
				    mode == GEN_PROT32 ? 32 : 16, dis + 2, sizeof(dis) - 2))
			dis[0] = 0;
		printf("    %04x: %-36s %-34s %s\n", GEN_CODE + in->off, hex, in->text, dis);
	}
}

/* Compares; prints every difference when report is set.  Returns the count. */
static int compare(const struct x86_state *k, const struct x86_state *i, struct side *ks,
		   struct side *is, uint32_t fmask, int report)
{
	const char *kn = ks->name, *in = is->name;
	static const char *const n[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp",
					 "esi", "edi" };
	const uint8_t *kr = mem_ram_ptr(ks->m.mem), *ir = mem_ram_ptr(is->m.mem);
	int diffs = 0;

	for (int r = 0; r < 8; r++) {
		if ((uint32_t)k->gpr[r] != (uint32_t)i->gpr[r]) {
			diffs++;
			if (report)
				printf("  %s: %s %08x %s %08x\n", n[r], kn, (uint32_t)k->gpr[r],
				       in, (uint32_t)i->gpr[r]);
		}
	}
	if ((uint32_t)k->rip != (uint32_t)i->rip) {
		diffs++;
		if (report)
			printf("  eip: %s %08x %s %08x\n", kn, (uint32_t)k->rip, in,
			       (uint32_t)i->rip);
	}
	if (((k->rflags ^ i->rflags) & fmask) != 0) {
		diffs++;
		if (report) {
			char a[8], b[8];
			flag_str((uint32_t)k->rflags, a);
			flag_str((uint32_t)i->rflags, b);
			printf("  eflags: %s %08x [%s] %s %08x [%s] (compared bits %08x)\n",
			       kn, (uint32_t)k->rflags, a, in, (uint32_t)i->rflags, b, fmask);
		}
	}
	for (int s = 0; s < X86_NR_SREG; s++) {
		if (k->seg[s].sel != i->seg[s].sel || k->seg[s].base != i->seg[s].base) {
			diffs++;
			if (report)
				printf("  sreg %d: %s %04x/%llx %s %04x/%llx\n", s, kn,
				       k->seg[s].sel, (unsigned long long)k->seg[s].base, in,
				       i->seg[s].sel, (unsigned long long)i->seg[s].base);
		}
	}
	int shown = 0;
	for (uint32_t a = 0; a < GEN_STACK + GEN_PAGE; a++) {
		if (kr[a] != ir[a]) {
			diffs++;
			if (report && shown++ < 16)
				printf("  mem %05x: %s %02x %s %02x\n", a, kn, kr[a], in, ir[a]);
		}
	}
	return diffs;
}

struct opts {
	uint64_t seed;
	long blocks;
	int insns;
	int modes;		/* bit per enum gen_mode */
	int keep_going;
	int max_fail;
	int verbose;
	int strict;
	int tcg;		/* also tcg-lite against the interpreter */
};

static void usage(void)
{
	fprintf(stderr, "usage: diffcpu [--seed N] [--blocks N (0: until Ctrl-C)] "
		"[--insns N] [--mode real|prot16|prot32|all] [--keep-going] "
		"[--max-fail N] [--strict] [--tcg] [-v]\n");
	exit(2);
}

static int parse(int argc, char **argv, struct opts *o)
{
	o->seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
	o->blocks = 2000;
	o->insns = 16;
	o->modes = 7;
	o->max_fail = 20;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--seed") && v) {
			o->seed = strtoull(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--blocks") && v) {
			o->blocks = strtol(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--insns") && v) {
			o->insns = atoi(v);
			i++;
		} else if (!strcmp(a, "--max-fail") && v) {
			o->max_fail = atoi(v);
			i++;
		} else if (!strcmp(a, "--mode") && v) {
			o->modes = !strcmp(v, "real") ? 1 : !strcmp(v, "prot16") ? 2 :
				   !strcmp(v, "prot32") ? 4 : !strcmp(v, "all") ? 7 : 0;
			if (!o->modes)
				usage();
			i++;
		} else if (!strcmp(a, "--keep-going")) {
			o->keep_going = 1;
		} else if (!strcmp(a, "--strict")) {
			o->strict = 1;
		} else if (!strcmp(a, "--tcg")) {
			o->tcg = 1;
		} else if (!strcmp(a, "-v")) {
			o->verbose = 1;
		} else {
			usage();
		}
	}
	if (o->insns < 1 || o->insns > 200 || o->blocks < 0)
		usage();
	if (!o->seed)
		o->seed = 1;
	return 0;
}

static uint64_t kvm_interp_steps(struct side *ks)
{
#if HAVE_KVM_H
	return ks->v ? ks->v->interp_steps : 0;
#else
	(void)ks;
	return 0;
#endif
}

/* Runs one instruction per run (a budget of one cycle) until the HLT. */
static enum accel_exit run_steps(struct side *sd, const struct x86_state *in,
				 struct x86_state *out)
{
	enum accel_exit r = ACCEL_EXIT_BUDGET;

	sd->ops->set_state(sd->v, in);
	for (int i = 0; i < 5000 && r == ACCEL_EXIT_BUDGET; i++)
		r = sd->ops->run(sd->v, 1);
	sd->ops->get_state(sd->v, out);
	return r;
}

/* --tcg: block b from s on tcg-lite and the interpreter, whole and one
 * instruction per run; every difference is one.  Prints them when any. */
static int tcg_check(struct side *ts, struct side *is, const struct gen_block *b,
		     enum gen_mode mode, const struct x86_state *s, long n)
{
	struct x86_state io, to;
	int diffs = 0;

	for (int steps = 0; steps < 2 && !diffs; steps++) {
		load_ram(is, b, mode);
		load_ram(ts, b, mode);
		enum accel_exit ir = steps ? run_steps(is, s, &io) : run_block(is, s, &io, 100000);
		enum accel_exit tr = steps ? run_steps(ts, s, &to) : run_block(ts, s, &to, 100000);
		diffs = compare(&io, &to, is, ts, 0xffffffffu, 0) + (ir != tr) +
			(io.insns != to.insns) + (io.cycles != to.cycles);
		if (!diffs)
			continue;
		printf("\nTCG-LITE DIVERGENCE in block %ld (%s mode, %s): interp exit %d "
		       "insns %llu cycles %llu, tcg-lite exit %d insns %llu cycles %llu\n", n,
		       mode_name(mode), steps ? "one instruction per run" : "whole block", ir,
		       (unsigned long long)(io.insns - s->insns),
		       (unsigned long long)(io.cycles - s->cycles), tr,
		       (unsigned long long)(to.insns - s->insns),
		       (unsigned long long)(to.cycles - s->cycles));
		dump_block(b, mode);
		dump_state("initial", s);
		dump_state("interp", &io);
		dump_state("tcg-lite", &to);
		compare(&io, &to, is, ts, 0xffffffffu, 1);
		fflush(stdout);
	}
	return diffs;
}

/* A KVM that failed the paging probe may still run protected mode without
 * paging: try a two-instruction block in the mode. */
static int mode_works(struct side *ks, const struct x86_state *base, enum gen_mode mode)
{
	static const uint8_t code32[] = { 0xb8, 0x78, 0x56, 0x34, 0x12, 0xf4 };
	static const uint8_t code16[] = { 0xb8, 0x34, 0x12, 0xf4 };
	struct gen_block b = { 0 };
	struct x86_state s = *base, out;
	int big = mode == GEN_PROT32;

	memcpy(b.code, big ? code32 : code16, big ? sizeof(code32) : sizeof(code16));
	b.len = big ? sizeof(code32) : sizeof(code16);
	mode_state(&s, mode);
	s.gpr[X86_RAX] = 0;
	s.rflags = 2;
	load_ram(ks, &b, mode);
	if (run_block(ks, &s, &out, 200000) != ACCEL_EXIT_HALT)
		return 0;
	return out.rip == GEN_CODE + b.len &&
	       (uint32_t)out.gpr[X86_RAX] == (big ? 0x12345678u : 0x1234u) &&
	       (out.cr0 & 1) == (mode != GEN_REAL16);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct side ks, is, ts = { 0 };
	const char *why = NULL;
	int paging_probe_failed = 0;

	parse(argc, argv, &o);
	log_set_quiet(1);
#if !HAVE_KVM_H
	printf("SKIP diffcpu (built without <linux/kvm.h>)\n");
	return 0;
#else
	const struct cpu_model *p2 = cpu_model_find("pentium2");
	if (!p2) {
		fprintf(stderr, "diffcpu: no pentium2 model\n");
		return 2;
	}
	if (side_init(&ks, "kvm", &accel_host_model, &accel_kvm_ops, &why) < 0) {
		/* Protected mode without paging may still run: find out below. */
		if (why && strstr(why, "real mode works")) {
			side_free(&ks);
			paging_probe_failed = 1;
			setenv("TANDEM_KVM_PROBE", "real", 1);
			if (side_init(&ks, "kvm", &accel_host_model, &accel_kvm_ops, &why) < 0) {
				printf("SKIP diffcpu (KVM unusable: %s)\n", why);
				return 0;
			}
		} else {
			printf("SKIP diffcpu (KVM unusable: %s)\n", why ? why : "?");
			return 0;
		}
	}
	if (side_init(&is, "interp", p2, &accel_interp_ops, &why) < 0) {
		fprintf(stderr, "diffcpu: interpreter: %s\n", why);
		return 2;
	}
	if (o.tcg) {
		setenv("TANDEM_TCG_HOT", "1", 1);
		if (side_init(&ts, "tcg-lite", p2, &accel_tcg_lite_ops, &why) < 0) {
			fprintf(stderr, "diffcpu: tcg-lite: %s\n", why);
			return 2;
		}
	}
	struct x86_state base;
	is.ops->get_state(is.v, &base);

	int modes = 0;
	for (int md = 0; md < 3; md++) {
		if (!(o.modes & 1 << md))
			continue;
		if (mode_works(&ks, &base, (enum gen_mode)md))
			modes |= 1 << md;
		else
			printf("SKIP diffcpu %s mode (KVM does not run it here%s)\n",
			       mode_name((enum gen_mode)md),
			       paging_probe_failed ? "; its start-up probe failed too" : "");
	}
	if (!modes) {
		printf("SKIP diffcpu (KVM runs none of the modes asked for)\n");
		side_free(&ks);
		side_free(&is);
		return 0;
	}
	/* A KVM that cannot page is a software one that runs these blocks in
	 * its instruction emulator, whose AAM/AAD flags are wrong. */
	unsigned quirks = 0;
	if (paging_probe_failed && !o.strict) {
		quirks |= GEN_Q_AAM_FLAGS | GEN_Q_NO_PM_INT;
		printf("diffcpu: KVM failed its paging probe (a software KVM: its instruction "
		       "emulator runs these blocks); paging is not generated; AAM/AAD flags, "
		       "which that emulator computes wrongly, are not compared, and protected "
		       "mode gets no faults or INT n, which it delivers wrongly (--strict: "
		       "keep both)\n");
	}

	signal(SIGINT, on_sigint);
	char nblocks[32] = "unbounded (Ctrl-C ends)";
	if (o.blocks)
		snprintf(nblocks, sizeof(nblocks), "%ld", o.blocks);
	printf("diffcpu: seed %#llx, %s blocks of %d instructions, modes%s%s%s\n",
	       (unsigned long long)o.seed, nblocks, o.insns,
	       modes & 1 ? " real" : "", modes & 2 ? " prot16" : "", modes & 4 ? " prot32" : "");
	fflush(stdout);

	uint64_t rng = o.seed, ninsn = 0;
	long passed = 0, failed = 0, noend = 0, nexc = 0, tcg_failed = 0;
	static struct gen_block b;
	uint64_t steps0 = kvm_interp_steps(&ks);
	for (long n = 0; (!o.blocks || n < o.blocks) && !interrupted; n++) {
		enum gen_mode mode;
		do
			mode = (enum gen_mode)(gen_rand(&rng) % 3);
		while (!(modes & 1 << mode));
		uint64_t block_seed = rng;
		struct x86_state s = base, kout, iout;
		mode_state(&s, mode);
		gen_block(&rng, mode, o.insns, quirks, &b, &s);
		load_ram(&ks, &b, mode);
		load_ram(&is, &b, mode);
		enum accel_exit kr = run_block(&ks, &s, &kout, 200000);
		enum accel_exit ir = run_block(&is, &s, &iout, 100000);
		ninsn += (uint64_t)b.ninsn;
		uint32_t fmask = 0x3fffff & ~(uint32_t)X86_RF & ~b.undef;
		int ended = kr == ACCEL_EXIT_HALT;
		if (ended && kout.rip > GEN_HANDLER && kout.rip <= GEN_HANDLER + 32)
			nexc++;
		int diffs = compare(&kout, &iout, &ks, &is, fmask, 0);
		if (!ended)
			noend++;
		if (!diffs && ended && ir == ACCEL_EXIT_HALT) {
			passed++;
			if (o.tcg && tcg_check(&ts, &is, &b, mode, &s, n) &&
			    (++tcg_failed >= o.max_fail || !o.keep_going))
				break;
			continue;
		}
		failed++;
		printf("\nDIVERGENCE in block %ld (%s mode, block seed %#llx): kvm exit %d, "
		       "interp exit %d\n", n, mode_name(mode), (unsigned long long)block_seed,
		       kr, ir);
		dump_block(&b, mode);
		dump_state("initial", &s);
		dump_state("kvm", &kout);
		dump_state("interp", &iout);
		compare(&kout, &iout, &ks, &is, fmask, 1);
		if (o.verbose && is.ops->set_trace) {
			printf("  interpreter trace:\n");
			load_ram(&is, &b, mode);
			is.ops->set_trace(is.v, stdout);
			run_block(&is, &s, &iout, 100000);
			is.ops->set_trace(is.v, NULL);
		}
		fflush(stdout);
		if (!o.keep_going || failed >= o.max_fail)
			break;
		if (o.tcg && tcg_check(&ts, &is, &b, mode, &s, n) && ++tcg_failed >= o.max_fail)
			break;
	}
	printf("diffcpu: %llu instructions in %ld blocks (%ld ended in an exception or INT "
	       "handler); %llu instructions KVM's emulator handed to the interpreter; %ld "
	       "blocks did not halt on KVM\n", (unsigned long long)ninsn, passed + failed, nexc,
	       (unsigned long long)(kvm_interp_steps(&ks) - steps0), noend);
	printf("diffcpu: %ld passed, %ld failed\n", passed, failed);
	if (o.tcg)
		printf("diffcpu: tcg-lite differs from the interpreter in %ld blocks\n",
		       tcg_failed);
	side_free(&ks);
	side_free(&is);
	if (o.tcg)
		side_free(&ts);
	return failed || tcg_failed ? 1 : 0;
#endif
}

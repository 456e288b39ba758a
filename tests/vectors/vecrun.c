/* vecrun: runs SingleStepTests-style per-instruction vectors through the
 * interpreter.
 *
 *   vecrun --cpu MODEL [--min-pass PCT] [--min-cycles PCT] [-v] [--quiet]
 *          [--strict-flags] [--cycles-detail] [--only STEM] [--accel tcg-lite] DIR
 *
 * --accel tcg-lite (80286 set): each test also runs on tcg-lite (native code
 * as TANDEM_TCG_HOT says; the Makefile sets 1) and must end exactly as on
 * the interpreter (tcg_compare); the run fails on any difference.
 *
 * DIR holds metadata.json and one XX.json.gz (or XX.R.json.gz for a ModRM
 * group) per opcode.  Each test starts from a fresh CPU state and RAM that
 * holds only the test's bytes; the 8086 format runs one instruction, the
 * 80286 format runs until the HLT that follows it.  Registers missing from
 * "final" must be unchanged; flags compare under the metadata mask.
 * Prints one row per file (--quiet: only files with failures) and ends
 * with "vectors: N passed, N failed".  On the 8088/8086 models with the
 * 8086 set it also compares each test's clock count with the length of
 * its bus trace (one row per clock, from the clock the first byte leaves
 * the queue to the last one before the next instruction's), prints the
 * share that agrees per file (column "clocks") and in all ("cycles: N of
 * M tests agree (P%)", before the last line) and fails under
 * --min-cycles; --cycles-detail lists each disagreement.  -v details each
 * failing test; --strict-flags also compares the flags the metadata calls
 * undefined.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "accel/accel.h"
#include "cpu/x86-interp/interp.h"
#include "hw/machine.h"

static const char *const reg_names[] = {
	"ax", "bx", "cx", "dx", "cs", "ss", "ds", "es",
	"sp", "bp", "si", "di", "ip", "flags",
};
enum { NREGS = 14, R_FLAGS = 13 };

struct env {
	struct machine m;
	struct x86i_cpu *cpu;
	int fmt286;		/* 80286 conventions: HLT after, exception info */
	int verbose;
	int quiet;
	int strict;		/* compare undefined flags too (diagnostic) */
	int cyc_check;		/* 8086 format: compare clocks with the bus trace */
	int cyc_verbose;	/* --cycles-detail: list each clock mismatch */
	/* --accel tcg-lite (80286 set): each test also runs on tcg-lite, one
	 * instruction per run, and must end in the interpreter's state. */
	int use_tcg;
	struct vcpu *tcg;
	long tcg_diff;
};

struct file_result {
	char name[32];
	int passed, failed, skipped;
	int cyc_agree, cyc_total;	/* clock count equals the trace length */
};

static char *read_gz(const char *path, size_t *len)
{
	gzFile f = gzopen(path, "rb");
	size_t cap = 1 << 20, n = 0;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap + 1);
	while (buf) {
		int r;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		r = gzread(f, buf + n, (unsigned)(cap - n));
		if (r < 0) {
			free(buf);
			buf = NULL;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	gzclose(f);
	if (buf) {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

static char *read_plain(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = 0;
	fclose(f);
	return buf;
}

/* Metadata entry for a file stem "XX" or "XX.R". */
static const cJSON *meta_for(const cJSON *meta, const char *stem)
{
	const cJSON *ops = cJSON_GetObjectItemCaseSensitive(meta, "opcodes");
	char op[3] = { stem[0], stem[1], 0 };
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(ops, op);
	const cJSON *regs = cJSON_GetObjectItemCaseSensitive(e, "reg");

	if (regs && stem[2] == '.') {
		char r[2] = { stem[3], 0 };
		return cJSON_GetObjectItemCaseSensitive(regs, r);
	}
	return e;
}

static int json_u32(const cJSON *o, const char *key, uint32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		return 0;
	*out = (uint32_t)v->valuedouble;
	return 1;
}

static void set_reg(struct x86_state *s, int r, uint16_t v)
{
	static const int gpr[] = { X86_RAX, X86_RBX, X86_RCX, X86_RDX };
	static const int sreg[] = { X86_CS, X86_SS, X86_DS, X86_ES };
	static const int gpr2[] = { X86_RSP, X86_RBP, X86_RSI, X86_RDI };

	if (r < 4) {
		s->gpr[gpr[r]] = v;
	} else if (r < 8) {
		s->seg[sreg[r - 4]].sel = v;
		s->seg[sreg[r - 4]].base = (uint64_t)v << 4;
		s->seg[sreg[r - 4]].limit = 0xffff;
		s->seg[sreg[r - 4]].attr = r == 4 ? 0x9b : 0x93;
	} else if (r < 12) {
		s->gpr[gpr2[r - 8]] = v;
	} else if (r == 12) {
		s->rip = v;
	} else {
		s->rflags = v;
	}
}

static uint16_t get_reg(const struct x86_state *s, int r)
{
	static const int gpr[] = { X86_RAX, X86_RBX, X86_RCX, X86_RDX };
	static const int sreg[] = { X86_CS, X86_SS, X86_DS, X86_ES };
	static const int gpr2[] = { X86_RSP, X86_RBP, X86_RSI, X86_RDI };

	if (r < 4)
		return (uint16_t)s->gpr[gpr[r]];
	if (r < 8)
		return s->seg[sreg[r - 4]].sel;
	if (r < 12)
		return (uint16_t)s->gpr[gpr2[r - 8]];
	if (r == 12)
		return (uint16_t)s->rip;
	return (uint16_t)s->rflags;
}

static void ram_apply(struct env *e, const cJSON *ram, int zero)
{
	const cJSON *cell;
	uint64_t size = mem_ram_size(e->m.mem);

	cJSON_ArrayForEach(cell, ram) {
		const cJSON *a = cJSON_GetArrayItem(cell, 0), *v = cJSON_GetArrayItem(cell, 1);
		uint32_t addr;
		if (!cJSON_IsNumber(a) || !cJSON_IsNumber(v))
			continue;
		addr = (uint32_t)a->valuedouble;
		if (addr < size)
			mem_write8(e->m.mem, addr, zero ? 0 : (uint8_t)v->valuedouble);
	}
}

/* Puts the test's initial state back: the final RAM cells cleared, the
 * initial ones written, the registers, the counters at c0/i0. */
static void tcg_restart(struct env *e, const cJSON *t, const uint32_t *init, uint64_t c0,
			uint64_t i0)
{
	struct x86_state *s = &e->m.cpu;

	ram_apply(e, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(t, "final"),
						      "ram"), 1);
	ram_apply(e, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(t, "initial"),
						      "ram"), 0);
	x86i_reset(e->cpu);
	s->cycles = c0;
	s->insns = i0;
	for (int r = 0; r < NREGS; r++)
		set_reg(s, r, (uint16_t)init[r]);
	s->rflags &= 0x0fff;
}

/* The final RAM cells into v (up to 256); returns how many. */
static int tcg_cells(struct env *e, const cJSON *t, uint8_t *v)
{
	const cJSON *cell;
	uint64_t size = mem_ram_size(e->m.mem);
	int n = 0;

	cJSON_ArrayForEach(cell, cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(t, "final"), "ram")) {
		const cJSON *a = cJSON_GetArrayItem(cell, 0);
		if (n < 256 && cJSON_IsNumber(a) && (uint32_t)a->valuedouble < size)
			v[n++] = mem_read8(e->m.mem, (uint32_t)a->valuedouble);
	}
	return n;
}

static int tcg_same(const struct x86_state *a, const struct x86_state *b)
{
	int ok = !memcmp(a->gpr, b->gpr, sizeof(a->gpr)) && a->rip == b->rip &&
		 a->rflags == b->rflags && a->cycles == b->cycles && a->insns == b->insns &&
		 a->run_state == b->run_state;

	for (int r = 0; r < X86_NR_SREG; r++)
		ok = ok && a->seg[r].sel == b->seg[r].sel && a->seg[r].base == b->seg[r].base;
	return ok;
}

/* tcg-lite runs the test from its initial state with budget B and must end
 * as the reference did (ref, cells want[0..n-1]); 1 if so. */
static int tcg_run(struct env *e, const cJSON *t, const uint32_t *init, uint64_t c0,
		   uint64_t i0, uint64_t budget, const struct x86_state *ref, const uint8_t *want,
		   int n, int no_halt)
{
	struct x86_state *s = &e->m.cpu, in;
	uint8_t got[256];
	enum accel_exit x;

	tcg_restart(e, t, init, c0, i0);
	in = *s;
	accel_tcg_lite_ops.set_state(e->tcg, &in);
	x = accel_tcg_lite_ops.run(e->tcg, budget);
	return (!no_halt || x != ACCEL_EXIT_HALT) && tcg_same(s, ref) &&
	       tcg_cells(e, t, got) == n && !memcmp(got, want, (size_t)n);
}

/* tcg-lite against the interpreter on the test just run (its result in
 * the machine now): from the initial state again, with the cycles the
 * interpreter took as its budget, tcg-lite must stop on that budget (not
 * halted with time left, which would hide clocks it did not charge) with
 * the same registers, cycles, instructions and final RAM cells.  Then both
 * engines run it with half that budget, so that they stop part-way (a
 * REP string instruction yields): the two must again agree. */
static void tcg_compare(struct env *e, const cJSON *t, const uint32_t *init, uint64_t c0,
			uint64_t i0, const char *file)
{
	struct x86_state *s = &e->m.cpu, ref = *s, half;
	uint8_t want[256], want_half[256];
	int n = tcg_cells(e, t, want), nh, ok;
	uint64_t budget = ref.cycles - c0;
	const char *why = "full run";

	ok = tcg_run(e, t, init, c0, i0, budget, &ref, want, n, 1);
	if (ok && budget >= 2) {
		tcg_restart(e, t, init, c0, i0);
		x86i_state_loaded(e->cpu);
		x86i_run(e->cpu, budget / 2);
		half = *s;
		nh = tcg_cells(e, t, want_half);
		ok = tcg_run(e, t, init, c0, i0, budget / 2, &half, want_half, nh, 0);
		why = "half budget";
	}
	if (!ok) {
		e->tcg_diff++;
		printf("  TCG %s: %s: tcg-lite differs from the interpreter (%s; cycles %llu, "
		       "flags %04llx)\n", file,
		       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "name")), why,
		       (unsigned long long)(s->cycles - c0), (unsigned long long)s->rflags);
	}
	/* the interpreter's result is what the test checks */
	tcg_restart(e, t, init, c0, i0);
	*s = ref;
	n = 0;
	{
		const cJSON *cell;
		uint64_t size = mem_ram_size(e->m.mem);
		cJSON_ArrayForEach(cell, cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(t, "final"), "ram")) {
			const cJSON *a = cJSON_GetArrayItem(cell, 0);
			if (n < 256 && cJSON_IsNumber(a) && (uint32_t)a->valuedouble < size)
				mem_write8(e->m.mem, (uint32_t)a->valuedouble, want[n++]);
		}
	}
	x86i_state_loaded(e->cpu);
}

/* Runs one test; returns 1 on pass. */
static int run_test(struct env *e, const cJSON *t, uint16_t fmask, const char *file,
		    struct file_result *res)
{
	const cJSON *ini = cJSON_GetObjectItemCaseSensitive(t, "initial");
	const cJSON *fin = cJSON_GetObjectItemCaseSensitive(t, "final");
	const cJSON *iregs = cJSON_GetObjectItemCaseSensitive(ini, "regs");
	const cJSON *fregs = cJSON_GetObjectItemCaseSensitive(fin, "regs");
	const cJSON *exc = cJSON_GetObjectItemCaseSensitive(t, "exception");
	const cJSON *cell;
	struct x86_state *s = &e->m.cpu;
	uint32_t init[NREGS] = { 0 }, flag_addr = UINT32_MAX;
	int ok = 1;

	x86i_reset(e->cpu);
	for (int r = 0; r < NREGS; r++) {
		json_u32(iregs, reg_names[r], &init[r]);
		set_reg(s, r, (uint16_t)init[r]);
	}
	ram_apply(e, cJSON_GetObjectItemCaseSensitive(ini, "ram"), 0);
	/* A real-mode 80286 cannot hold FLAGS bits 12-15 (the recorded
	 * initial state may show them set). */
	if (e->fmt286)
		s->rflags &= 0x0fff;
	x86i_state_loaded(e->cpu);
	if (e->fmt286) {
		json_u32(exc, "flag_address", &flag_addr);
		/* The set's flag_address is rounded down to even: with an
		 * odd SP it names the byte below the image.  The image is the
		 * third word of the interrupt frame at the final SS:SP. */
		if (flag_addr != UINT32_MAX) {
			uint32_t fsp = init[8], fss = init[5];
			const cJSON *fr = cJSON_GetObjectItemCaseSensitive(fin, "regs");
			json_u32(fr, "sp", &fsp);
			json_u32(fr, "ss", &fss);
			flag_addr = (fss << 4) + ((fsp + 4) & 0xffff);
		}
		/* The instruction, then the HLT wherever execution went. */
		uint64_t c0 = s->cycles, i0 = s->insns;
		for (int n = 0; n < 8 && s->run_state == X86_RUNNING; n++)
			x86i_step(e->cpu, 0);
		if (e->tcg)
			tcg_compare(e, t, init, c0, i0, file);
	} else {
		unsigned got = x86i_step(e->cpu, 0);
		/* The trace has one row per clock, from the clock the first
		 * byte leaves the queue to the instruction's last clock. */
		int want = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(t, "cycles"));

		if (e->cyc_check && want > 0) {
			res->cyc_total++;
			if ((int)got == want)
				res->cyc_agree++;
			else if (e->cyc_verbose)
				printf("  CYCLES %s: %s: want %d got %u\n", file,
				       cJSON_GetStringValue(
					       cJSON_GetObjectItemCaseSensitive(t, "name")),
				       want, got);
		}
	}

	for (int r = 0; r < NREGS; r++) {
		uint32_t want = init[r];
		uint16_t got = get_reg(s, r), mask = 0xffff;
		json_u32(fregs, reg_names[r], &want);
		if (r == R_FLAGS)
			mask = fmask;
		if (((want ^ got) & mask) == 0)
			continue;
		if (e->verbose && ok)
			printf("  FAIL %s: %s\n", file,
			       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "name")));
		if (e->verbose)
			printf("    %-5s want %04X got %04X (mask %04X)\n", reg_names[r],
			       want & 0xffff, got, mask);
		ok = 0;
	}
	cJSON_ArrayForEach(cell, cJSON_GetObjectItemCaseSensitive(fin, "ram")) {
		const cJSON *a = cJSON_GetArrayItem(cell, 0), *v = cJSON_GetArrayItem(cell, 1);
		uint32_t addr;
		uint8_t want, got, mask = 0xff;
		if (!cJSON_IsNumber(a) || !cJSON_IsNumber(v))
			continue;
		addr = (uint32_t)a->valuedouble;
		want = (uint8_t)v->valuedouble;
		got = mem_read8(e->m.mem, addr);
		if (addr == flag_addr)
			mask = (uint8_t)fmask;
		else if (flag_addr != UINT32_MAX && addr == flag_addr + 1)
			mask = (uint8_t)(fmask >> 8);
		if (((want ^ got) & mask) == 0)
			continue;
		if (e->verbose && ok)
			printf("  FAIL %s: %s\n", file,
			       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "name")));
		if (e->verbose)
			printf("    ram[%05X] want %02X got %02X\n", addr, want, got);
		ok = 0;
	}
	ram_apply(e, cJSON_GetObjectItemCaseSensitive(ini, "ram"), 1);
	ram_apply(e, cJSON_GetObjectItemCaseSensitive(fin, "ram"), 1);
	return ok;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int env_init(struct env *e, const struct cpu_model *model, uint64_t ram)
{
	memset(&e->m, 0, sizeof(e->m));
	e->m.model = model;
	e->m.mem = mem_new(ram);
	e->m.io = ioport_bus_new();
	e->m.clock = clock_new(&e->m.cpu.cycles, model->default_hz, NULL, NULL);
	if (!e->m.mem || !e->m.io || !e->m.clock)
		return -ENOMEM;
	e->cpu = x86i_new(&e->m);
	if (!e->cpu)
		return -ENOMEM;
	x86i_reset(e->cpu);
	if (e->use_tcg) {
		const char *why = NULL;
		e->tcg = accel_tcg_lite_ops.init(&e->m, &why);
		if (!e->tcg)
			return -ENOMEM;
	}
	return 0;
}

static void env_free(struct env *e)
{
	if (e->tcg)
		accel_tcg_lite_ops.destroy(e->tcg);
	e->tcg = NULL;
	x86i_free(e->cpu);
	if (e->m.clock)
		clock_free(e->m.clock);
	if (e->m.io)
		ioport_bus_free(e->m.io);
	if (e->m.mem)
		mem_free(e->m.mem);
	e->cpu = NULL;
	e->m.clock = NULL;
	e->m.io = NULL;
	e->m.mem = NULL;
}

static int run_file(struct env *e, const char *dir, const char *fname, const cJSON *meta,
		    struct file_result *res)
{
	char path[4096], stem[32];
	const cJSON *me, *tests, *t;
	const char *status;
	uint32_t fmask = 0xffff;
	size_t len;
	char *text;
	cJSON *root;

	snprintf(stem, sizeof(stem), "%.*s", (int)(strcspn(fname, "j") - 1), fname);
	snprintf(res->name, sizeof(res->name), "%s", stem);
	me = meta_for(meta, stem);
	status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(me, "status"));
	if (status && (!strcmp(status, "prefix") || !strcmp(status, "fpu"))) {
		res->skipped = 1;
		return 0;
	}
	if (!e->strict)
		json_u32(me, "flags-mask", &fmask);
	if (e->fmt286)
		fmask &= 0x0fff;	/* IOPL/NT stay clear in real mode */
	snprintf(path, sizeof(path), "%s/%s", dir, fname);
	text = read_gz(path, &len);
	if (!text) {
		fprintf(stderr, "vecrun: cannot read %s\n", path);
		return -1;
	}
	root = cJSON_ParseWithLength(text, len);
	free(text);
	tests = root;
	if (!cJSON_IsArray(tests)) {
		fprintf(stderr, "vecrun: %s: not a JSON array\n", path);
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(t, tests) {
		if (run_test(e, t, (uint16_t)fmask, stem, res))
			res->passed++;
		else
			res->failed++;
	}
	cJSON_Delete(root);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: vecrun --cpu MODEL [--min-pass PCT] [--min-cycles PCT] "
		"[-v] [--quiet] [--strict-flags] [--cycles-detail] [--only STEM] "
		"[--accel tcg-lite] DIR\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cpu = "8088", *dir = NULL, *only = NULL;
	double min_pass = 0, min_cycles = 0;
	struct env e = { 0 };
	const struct cpu_model *model;
	char path[4096], **names = NULL;
	long total_pass = 0, total_fail = 0, cyc_agree = 0, cyc_total = 0;
	int nnames = 0, load_err = 0;
	cJSON *meta;
	char *text;
	DIR *d;
	struct dirent *de;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--cpu") && a + 1 < argc)
			cpu = argv[++a];
		else if (!strcmp(argv[a], "--min-pass") && a + 1 < argc)
			min_pass = atof(argv[++a]);
		else if (!strcmp(argv[a], "--min-cycles") && a + 1 < argc)
			min_cycles = atof(argv[++a]);
		else if (!strcmp(argv[a], "--only") && a + 1 < argc)
			only = argv[++a];
		else if (!strcmp(argv[a], "-v"))
			e.verbose = 1;
		else if (!strcmp(argv[a], "--quiet"))
			e.quiet = 1;
		else if (!strcmp(argv[a], "--strict-flags"))
			e.strict = 1;
		else if (!strcmp(argv[a], "--cycles-detail"))
			e.cyc_verbose = 1;
		else if (!strcmp(argv[a], "--accel") && a + 1 < argc && !strcmp(argv[a + 1], "tcg-lite"))
			e.use_tcg = ++a;
		else if (argv[a][0] == '-')
			return usage();
		else
			dir = argv[a];
	}
	if (!dir)
		return usage();
	/* The 80286 set's conventions (HLT after, exception info) also
	 * apply when a later CPU runs it as a cross-check. */
	e.fmt286 = !strcmp(cpu, "80286") || strstr(dir, "80286") != NULL;
	if (e.use_tcg && !e.fmt286) {
		fprintf(stderr, "vecrun: --accel tcg-lite runs the 80286 set only\n");
		return 2;
	}
	model = cpu_model_find(cpu);
	if (!model && e.fmt286) {
		/* No 80286 model yet: run its vectors on the 80186. */
		model = cpu_model_find("80186");
		printf("vecrun: no 80286 model, using 80186\n");
	}
	if (!model) {
		fprintf(stderr, "vecrun: unknown cpu %s\n", cpu);
		return 2;
	}
	/* Only the 8086 set's traces start and end with the instruction,
	 * and only the 8088/8086 models count clocks bus cycle by bus cycle. */
	e.cyc_check = !e.fmt286 && model->family == CPU_8086;
	snprintf(path, sizeof(path), "%s/metadata.json", dir);
	text = read_plain(path);
	meta = text ? cJSON_Parse(text) : NULL;
	free(text);
	if (!meta) {
		fprintf(stderr, "vecrun: cannot load %s\n", path);
		return 1;
	}
	if (e.cyc_check) {
		/* The traces are the recording CPU's: an 8088 and an 8086 run
		 * the same microcode but differ in bus width and queue length,
		 * so clocks are compared on the model the set was recorded on
		 * (metadata "cpu"); instruction results are the same on both. */
		const char *rec = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(meta, "cpu"));
		const struct cpu_model *rm = rec ? cpu_model_find(rec) : NULL;

		if (rm && rm != model && rm->family == CPU_8086) {
			printf("vecrun: the set was recorded on an %s: clocks are compared "
			       "on that bus\n", rm->name);
			model = rm;
		}
	}
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "vecrun: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char **nn;
		if (n < 8 || strcmp(de->d_name + n - 8, ".json.gz"))
			continue;
		if (only && strncmp(de->d_name, only, strlen(only)))
			continue;
		nn = realloc(names, sizeof(*names) * (size_t)(nnames + 1));
		if (!nn)
			return 1;
		names = nn;
		names[nnames++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)nnames, sizeof(*names), cmp_str);

	if (!e.quiet && e.cyc_check)
		printf("%-8s %7s %7s %7s\n", "opcode", "passed", "failed", "clocks");
	else if (!e.quiet)
		printf("%-8s %7s %7s\n", "opcode", "passed", "failed");
	for (int k = 0; k < nnames; k++) {
		struct file_result r = { 0 };
		int err;

		/* A fresh machine per file; between the tests of a file only
		 * the bytes a test lists are cleared again. */
		if (env_init(&e, model, e.fmt286 ? 16u << 20 : 1u << 20)) {
			fprintf(stderr, "vecrun: out of memory\n");
			return 1;
		}
		err = run_file(&e, dir, names[k], meta, &r);
		env_free(&e);
		free(names[k]);
		if (err) {
			load_err = 1;
			continue;
		}
		total_pass += r.passed;
		total_fail += r.failed;
		cyc_agree += r.cyc_agree;
		cyc_total += r.cyc_total;
		if (e.quiet && !r.failed)
			continue;
		if (r.skipped)
			printf("%-8s %7s %7s\n", r.name, "-", "skip");
		else if (e.cyc_check)	/* clocks: tests whose clock count agrees */
			printf("%-8s %7d %7d %6d%%\n", r.name, r.passed, r.failed,
			       r.cyc_total ? 100 * r.cyc_agree / r.cyc_total : 100);
		else
			printf("%-8s %7d %7d\n", r.name, r.passed, r.failed);
	}
	free(names);
	cJSON_Delete(meta);
	if (e.cyc_check)
		printf("cycles: %ld of %ld tests agree (%.1f%%)\n", cyc_agree, cyc_total,
		       cyc_total ? 100.0 * (double)cyc_agree / (double)cyc_total : 100.0);
	printf("vectors: %ld passed, %ld failed\n", total_pass, total_fail);
	if (e.use_tcg)
		printf("vectors: tcg-lite differs from the interpreter in %ld\n", e.tcg_diff);
	if (load_err || e.tcg_diff)
		return 1;
	if (min_cycles > 0 && cyc_total &&
	    100.0 * (double)cyc_agree / (double)cyc_total < min_cycles)
		return 1;
	if (total_pass + total_fail == 0)
		return min_pass > 0;
	return 100.0 * (double)total_pass / (double)(total_pass + total_fail) >= min_pass ? 0 : 1;
}

/* The interpreter's x87 glue (cpu/x86-interp/x86i_fpu_glue.c) driven through
 * instruction sequences: coprocessor detection with and without an FPU
 * (--fpu), the CPUID FPU bit, #NM from CR0.EM/TS and WAIT with MP+TS, #MF
 * on a waiting instruction with CR0.NE, FERR# on IRQ13 through the port F0h
 * latch without it, the FXSAVE image as the FPU's only state, a faulting
 * store that leaves the FPU unchanged, and FCOMI on the Pentium II only. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "hw/fpu_irq.h"
#include "hw/machine.h"

enum { CODE = 0x10100, DATA = 0x30000, HANDLERS = 0x40000, GDT = 0x1000 };

struct rig {
	struct machine m;
	struct machine_config cfg;
	struct x86i_cpu *c;
};

static struct rig *rig_new(const char *cpu, const char *fpu)
{
	struct rig *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->m.model = cpu_model_find(cpu);
	ck_assert_ptr_nonnull(r->m.model);
	r->cfg.cpu = r->m.model;
	r->cfg.fpu = fpu;
	r->m.cfg = &r->cfg;
	r->m.mem = mem_new(16u << 20);
	r->m.io = ioport_bus_new();
	r->c = x86i_new(&r->m);
	ck_assert_ptr_nonnull(r->c);
	x86i_reset(r->c);
	/* Real mode at 1000:0100, DS = 3000h, vector n -> 4000:n*16 (HLT). */
	for (int n = 0; n < 32; n++) {
		mem_write16(r->m.mem, n * 4, (uint16_t)(n * 16));
		mem_write16(r->m.mem, n * 4 + 2, 0x4000);
		mem_write8(r->m.mem, HANDLERS + n * 16, 0xf4);
	}
	x86i_load_sreg(r->c, X86_CS, 0x1000);
	x86i_load_sreg(r->c, X86_SS, 0x2000);
	x86i_load_sreg(r->c, X86_DS, 0x3000);
	r->m.cpu.rip = 0x100;
	r->m.cpu.gpr[X86_RSP] = 0x1000;
	return r;
}

static void rig_free(struct rig *r)
{
	x86i_free(r->c);
	ioport_bus_free(r->m.io);
	mem_free(r->m.mem);
	free(r);
}

static void code(struct rig *r, const uint8_t *b, size_t n)
{
	for (size_t k = 0; k < n; k++)
		mem_write8(r->m.mem, CODE + (uint32_t)k, b[k]);
}

static void steps(struct rig *r, int n)
{
	while (n-- > 0)
		x86i_step(r->c, 0);
}

/* Where an exception left the CPU: its vector, or -1 when none was taken. */
static int vector_taken(struct rig *r)
{
	if (r->m.cpu.seg[X86_CS].sel != 0x4000)
		return -1;
	return (int)(r->m.cpu.rip / 16);
}

static uint16_t fsw(struct rig *r)
{
	return (uint16_t)(r->m.cpu.fxsave[2] | r->m.cpu.fxsave[3] << 8);
}

/* FNINIT ; FNSTSW [2] ; FNSTCW [4] with both words preset to 5A5Ah. */
static const uint8_t detect[] = { 0xdb, 0xe3, 0xdd, 0x3e, 0x02, 0x00, 0xd9, 0x3e, 0x04, 0x00 };

START_TEST(detect_without_fpu)
{
	static const char *const cpus[] = { "8088", "80286", "80386", "80486" };

	for (int k = 0; k < 4; k++) {
		struct rig *r = rig_new(cpus[k], k == 3 ? "none" : NULL);
		code(r, detect, sizeof(detect));
		mem_write16(r->m.mem, DATA + 2, 0x5a5a);
		mem_write16(r->m.mem, DATA + 4, 0x5a5a);
		steps(r, 3);
		ck_assert_uint_eq(r->m.cpu.rip, 0x10a);
		ck_assert_uint_eq(mem_read16(r->m.mem, DATA + 2), 0x5a5a);
		ck_assert_uint_eq(mem_read16(r->m.mem, DATA + 4), 0x5a5a);
		rig_free(r);
	}
}
END_TEST

START_TEST(detect_with_fpu)
{
	static const char *const cpu[] = { "8086", "80286", "80386", "80486", "pentium2" };
	static const char *const fpu[] = { "8087", "287", "387", NULL, NULL };
	/* The 8087's FINIT also sets IEM (bit 7). */
	static const uint16_t cw[] = { 0x03ff, 0x037f, 0x037f, 0x037f, 0x037f };

	for (int k = 0; k < 5; k++) {
		struct rig *r = rig_new(cpu[k], fpu[k]);
		code(r, detect, sizeof(detect));
		mem_write16(r->m.mem, DATA + 2, 0x5a5a);
		mem_write16(r->m.mem, DATA + 4, 0x5a5a);
		steps(r, 3);
		ck_assert_uint_eq(mem_read16(r->m.mem, DATA + 2), 0);
		ck_assert_uint_eq(mem_read16(r->m.mem, DATA + 4), cw[k]);
		rig_free(r);
	}
}
END_TEST

START_TEST(cpuid_fpu_bit)
{
	static const uint8_t cpuid[] = { 0x66, 0x31, 0xc0, 0x40, 0x0f, 0xa2 };	/* EAX=1 */

	for (int k = 0; k < 2; k++) {
		struct rig *r = rig_new("pentium", k ? "none" : NULL);
		code(r, cpuid, sizeof(cpuid));
		steps(r, 3);
		ck_assert_uint_eq(r->m.cpu.gpr[X86_RDX] & 1, k ? 0 : 1);
		rig_free(r);
	}
}
END_TEST

START_TEST(nm_from_cr0)
{
	static const uint8_t fld1[] = { 0xd9, 0xe8 };
	static const uint8_t fwait[] = { 0x9b };
	struct rig *r;

	/* EM: every ESC opcode faults; WAIT does not look at EM. */
	r = rig_new("80386", "387");
	r->m.cpu.cr0 = 0x14;
	code(r, fld1, sizeof(fld1));
	steps(r, 1);
	ck_assert_int_eq(vector_taken(r), 7);
	ck_assert_uint_eq(mem_read16(r->m.mem, 0x20000 + 0x1000 - 6), 0x100);
	rig_free(r);

	/* TS alone: ESC faults, WAIT runs. */
	r = rig_new("80386", "387");
	r->m.cpu.cr0 = 0x18;
	code(r, fwait, 1);
	steps(r, 1);
	ck_assert_int_eq(vector_taken(r), -1);
	ck_assert_uint_eq(r->m.cpu.rip, 0x101);
	code(r, fld1, sizeof(fld1));
	r->m.cpu.rip = 0x100;
	steps(r, 1);
	ck_assert_int_eq(vector_taken(r), 7);
	rig_free(r);

	/* MP and TS: WAIT faults too. */
	r = rig_new("80386", "387");
	r->m.cpu.cr0 = 0x1a;
	code(r, fwait, 1);
	steps(r, 1);
	ck_assert_int_eq(vector_taken(r), 7);
	rig_free(r);
}
END_TEST

/* FNINIT ; FLDCW [0] (037Bh: ZE unmasked) ; FLD1 ; FLDZ ; FDIVP ; FLD1 */
static const uint8_t zdiv[] = { 0xdb, 0xe3, 0xd9, 0x2e, 0x00, 0x00, 0xd9, 0xe8, 0xd9, 0xee,
				0xde, 0xf9, 0xd9, 0xe8 };

START_TEST(mf_on_waiting_insn)
{
	struct rig *r = rig_new("80486", NULL);
	uint16_t sw;

	r->m.cpu.cr0 |= 0x20;		/* NE */
	mem_write16(r->m.mem, DATA, 0x037b);
	code(r, zdiv, sizeof(zdiv));
	steps(r, 5);
	ck_assert_int_eq(vector_taken(r), -1);	/* the divide itself runs */
	sw = fsw(r);
	ck_assert_uint_eq(sw & 0x0084, 0x0084);	/* ZE, ES */
	steps(r, 1);
	ck_assert_int_eq(vector_taken(r), 16);
	ck_assert_uint_eq(mem_read16(r->m.mem, 0x20000 + 0x1000 - 6), 0x10c);
	ck_assert_uint_eq(fsw(r), sw);			/* FLD1 did not run */
	rig_free(r);

	/* Without NE the FLD1 runs (FERR# is the board's business). */
	r = rig_new("80486", NULL);
	r->m.cpu.cr0 &= ~(uint64_t)0x20;
	mem_write16(r->m.mem, DATA, 0x037b);
	code(r, zdiv, sizeof(zdiv));
	steps(r, 6);
	ck_assert_int_eq(vector_taken(r), -1);
	ck_assert_uint_eq(r->m.cpu.rip, 0x10e);
	rig_free(r);
}
END_TEST

static void record_level(void *opaque, int n, int level)
{
	(void)n;
	*(int *)opaque = level;
}

START_TEST(ferr_irq13_latch)
{
	struct rig *r = rig_new("80386", "387");
	int level = 0;
	struct irq_line line = { .set = record_level, .opaque = &level, .n = 13 };
	/* FNCLEX, then FLD1 ; FLDZ ; FDIVP again */
	static const uint8_t again[] = { 0xdb, 0xe2, 0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9 };

	r->m.fpu_irq = fpu_irq_new(r->m.io, &line);
	ck_assert_ptr_nonnull(r->m.fpu_irq);
	r->m.cpu.cr0 |= 0x20;		/* no NE on a 386: ignored */
	mem_write16(r->m.mem, DATA, 0x037b);
	code(r, zdiv, sizeof(zdiv));
	steps(r, 4);
	ck_assert_int_eq(level, 0);
	steps(r, 1);
	ck_assert_int_eq(level, 1);
	steps(r, 1);			/* FLD1 runs: no #MF */
	ck_assert_int_eq(vector_taken(r), -1);
	ioport_write(r->m.io, 0xf0, 0, 1);
	ck_assert_int_eq(level, 0);
	/* Still pending (no FNCLEX): no new edge, no new interrupt. */
	code(r, zdiv + 10, 2);
	r->m.cpu.rip = 0x100;
	steps(r, 1);
	ck_assert_int_eq(level, 0);
	code(r, again, sizeof(again));
	r->m.cpu.rip = 0x100;
	steps(r, 4);
	ck_assert_int_eq(level, 1);
	fpu_irq_desc.free(r->m.fpu_irq);
	rig_free(r);
}
END_TEST

START_TEST(fxsave_is_the_state)
{
	struct rig *r = rig_new("80486", NULL);
	/* FNINIT ; FLD1 ; FSTP qword [8] */
	static const uint8_t prog[] = { 0xdb, 0xe3, 0xd9, 0xe8, 0xdd, 0x1e, 0x08, 0x00 };
	const uint8_t *fx = r->m.cpu.fxsave;

	code(r, prog, sizeof(prog));
	steps(r, 2);
	ck_assert_uint_eq(fsw(r), 0x3800);		/* TOP 7 */
	ck_assert_uint_eq(fx[4], 0x80);			/* R7 valid */
	ck_assert_uint_eq(fx[6] | fx[7] << 8, 0x1e8);	/* FOP of D9 E8 */
	ck_assert_uint_eq(fx[8] | fx[9] << 8, 0x102);	/* FIP */
	ck_assert_uint_eq(fx[12] | fx[13] << 8, 0x1000);	/* FCS */
	ck_assert_uint_eq(fx[32 + 7], 0x80);		/* ST0 = 1.0 */
	ck_assert_uint_eq(fx[32 + 8] | fx[32 + 9] << 8, 0x3fff);
	/* What a state load (KVM, save state) puts there is what runs. */
	r->m.cpu.fxsave[32 + 8] = 0x00;
	r->m.cpu.fxsave[32 + 9] = 0x40;			/* 2.0 */
	steps(r, 1);
	ck_assert_uint_eq(mem_read32(r->m.mem, DATA + 8), 0);
	ck_assert_uint_eq(mem_read32(r->m.mem, DATA + 12), 0x40000000u);
	ck_assert_uint_eq(fx[16] | fx[17] << 8, 8);	/* FDP */
	ck_assert_uint_eq(fx[4], 0);
	rig_free(r);
}
END_TEST

static void put_desc(struct rig *r, unsigned sel, uint32_t base, uint16_t limit, uint8_t acc)
{
	uint32_t a = GDT + sel;

	mem_write16(r->m.mem, a, limit);
	mem_write16(r->m.mem, a + 2, (uint16_t)base);
	mem_write8(r->m.mem, a + 4, (uint8_t)(base >> 16));
	mem_write8(r->m.mem, a + 5, acc);
	mem_write16(r->m.mem, a + 6, 0);
}

START_TEST(faulting_store_leaves_fpu)
{
	struct rig *r = rig_new("80286", "287");
	struct x86_state *s = &r->m.cpu;
	/* FLD1 ; FSTP qword [0] with DS read-only */
	static const uint8_t prog[] = { 0xd9, 0xe8, 0xdd, 0x1e, 0x00, 0x00 };

	put_desc(r, 0x08, 0x10000, 0xffff, 0x9a);	/* code */
	put_desc(r, 0x10, 0x20000, 0xffff, 0x92);	/* stack */
	put_desc(r, 0x18, DATA, 0xffff, 0x90);		/* read-only data */
	s->gdtr.base = GDT;
	s->gdtr.limit = 0x1f;
	s->idtr.base = 0x2000;
	s->idtr.limit = 32 * 8 - 1;
	s->cr0 |= 1;
	x86i_state_loaded(r->c);
	x86i_load_sreg(r->c, X86_SS, 0x10);
	x86i_load_sreg(r->c, X86_DS, 0x18);
	s->seg[X86_CS].sel = 0x08;
	s->seg[X86_CS].attr = 0x9b;
	/* IDT gate 13 -> 08:0200 (HLT), a 286 interrupt gate. */
	mem_write16(r->m.mem, 0x2000 + 13 * 8, 0x200);
	mem_write16(r->m.mem, 0x2000 + 13 * 8 + 2, 0x08);
	mem_write16(r->m.mem, 0x2000 + 13 * 8 + 4, 0x8600);
	mem_write8(r->m.mem, 0x10200, 0xf4);
	mem_write32(r->m.mem, DATA, 0x12345678);
	code(r, prog, sizeof(prog));
	steps(r, 1);
	ck_assert_uint_eq(fsw(r), 0x3800);
	steps(r, 1);
	ck_assert_uint_eq(s->rip, 0x200);			/* #GP taken */
	ck_assert_uint_eq(mem_read16(r->m.mem, 0x20000 + 0x1000 - 8), 0);	/* error code */
	ck_assert_uint_eq(fsw(r), 0x3800);		/* no pop */
	ck_assert_uint_eq(r->m.cpu.fxsave[4], 0x80);
	ck_assert_uint_eq(mem_read32(r->m.mem, DATA), 0x12345678);
	rig_free(r);
}
END_TEST

START_TEST(fcomi_p6_only)
{
	/* FLD1 ; FLDZ ; FCOMI ST0,ST1 */
	static const uint8_t prog[] = { 0xd9, 0xe8, 0xd9, 0xee, 0xdb, 0xf1 };
	struct rig *r = rig_new("pentium2", NULL);

	code(r, prog, sizeof(prog));
	r->m.cpu.rflags |= X86_ZF | X86_PF;
	steps(r, 3);
	ck_assert_int_eq(vector_taken(r), -1);
	ck_assert_uint_eq(r->m.cpu.rflags & (X86_CF | X86_ZF | X86_PF), X86_CF);	/* 0 < 1 */
	rig_free(r);

	r = rig_new("pentium", NULL);
	code(r, prog, sizeof(prog));
	steps(r, 3);
	ck_assert_int_eq(vector_taken(r), 6);
	rig_free(r);
}
END_TEST

Suite *x86i_fpu_suite(void)
{
	Suite *s = suite_create("x86i_fpu");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, detect_without_fpu);
	tcase_add_test(tc, detect_with_fpu);
	tcase_add_test(tc, cpuid_fpu_bit);
	tcase_add_test(tc, nm_from_cr0);
	tcase_add_test(tc, mf_on_waiting_insn);
	tcase_add_test(tc, ferr_irq13_latch);
	tcase_add_test(tc, fxsave_is_the_state);
	tcase_add_test(tc, faulting_store_leaves_fpu);
	tcase_add_test(tc, fcomi_p6_only);
	suite_add_tcase(s, tc);
	return s;
}

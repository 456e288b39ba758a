/* Unit tests for the 8086/80186 interpreter: decoder lengths, ALU flag
 * edge cases, BCD adjusts, divide error, interrupts, HLT, single step and
 * interrupted REP string instructions. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "hw/machine.h"

struct rig {
	struct machine m;
	struct x86i_cpu *c;
	int acks;
	uint8_t vec;
};

static uint8_t rig_ack(void *opaque)
{
	struct rig *r = opaque;
	r->acks++;
	r->m.intr.level = 0;
	return r->vec;
}

/* A bare machine: 1 MiB RAM, no devices, CPU at 1000:0100 with SS:SP
 * 2000:1000 and IVT entries n -> 3000:(n*16). */
static struct rig *rig_new(const char *cpu)
{
	struct rig *r = calloc(1, sizeof(*r));
	ck_assert_ptr_nonnull(r);
	r->m.model = cpu_model_find(cpu);
	ck_assert_ptr_nonnull(r->m.model);
	r->m.mem = mem_new(1 << 20);
	r->m.io = ioport_bus_new();
	r->m.intr.ack = rig_ack;
	r->m.intr.opaque = r;
	r->c = x86i_new(&r->m);
	ck_assert_ptr_nonnull(r->c);
	x86i_reset(r->c);
	for (int n = 0; n < 256; n++) {
		mem_write16(r->m.mem, n * 4, (uint16_t)(n * 16));
		mem_write16(r->m.mem, n * 4 + 2, 0x3000);
		mem_write8(r->m.mem, 0x30000 + n * 16, 0xf4);	/* HLT in each handler */
	}
	x86i_load_sreg(r->c, X86_CS, 0x1000);
	x86i_load_sreg(r->c, X86_SS, 0x2000);
	x86i_load_sreg(r->c, X86_DS, 0x4000);
	x86i_load_sreg(r->c, X86_ES, 0x5000);
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

static void rig_code(struct rig *r, const uint8_t *code, size_t n)
{
	for (size_t k = 0; k < n; k++)
		mem_write8(r->m.mem, 0x10100 + (uint32_t)k, code[k]);
}

static uint16_t stack_word(struct rig *r, int idx)
{
	return mem_read16(r->m.mem, 0x20000 + (uint16_t)(r->m.cpu.gpr[X86_RSP] + 2 * idx));
}

/* --- decoder ---------------------------------------------------------- */

struct len_case {
	uint8_t bytes[8];
	int len86, len186;
};

START_TEST(decode_lengths)
{
	static const struct len_case cases[] = {
		{ { 0x90 }, 1, 1 },
		{ { 0x01, 0xd8 }, 2, 2 },
		{ { 0x03, 0x06, 0x34, 0x12 }, 4, 4 },
		{ { 0x81, 0x87, 0x34, 0x12, 0x78, 0x56 }, 6, 6 },
		{ { 0x83, 0x40, 0x05, 0x7f }, 4, 4 },
		{ { 0x26, 0xf3, 0xa5 }, 3, 3 },
		{ { 0xf6, 0xc0, 0x12 }, 3, 3 },		/* TEST AL,imm */
		{ { 0xf6, 0xd0 }, 2, 2 },			/* NOT AL */
		{ { 0xf7, 0x06, 0x00, 0x10, 0x34, 0x12 }, 6, 6 },
		{ { 0x9a, 0x00, 0x00, 0x00, 0xf0 }, 5, 5 },
		{ { 0xc8, 0x10, 0x00, 0x01 }, 3, 4 },	/* RETF iw / ENTER */
		{ { 0x69, 0xc0, 0x34, 0x12 }, 2, 4 },	/* JNS / IMUL imm16 */
		{ { 0xc1, 0xe0, 0x04 }, 1, 3 },		/* RET / SHL imm */
		{ { 0xd4, 0x0a }, 2, 2 },
	};
	uint8_t a86[256], a186[256];

	x86i_build_attr(a86, cpu_model_find("8088")->features);
	x86i_build_attr(a186, cpu_model_find("80186")->features);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		ck_assert_int_eq(x86i_length(a86, cases[k].bytes, 8), cases[k].len86);
		ck_assert_int_eq(x86i_length(a186, cases[k].bytes, 8), cases[k].len186);
	}
	/* Cut short. */
	ck_assert_int_eq(x86i_length(a86, cases[3].bytes, 5), -1);
}
END_TEST

START_TEST(decode_executes_length)
{
	struct rig *r = rig_new("8088");
	static const uint8_t code[] = { 0x81, 0x87, 0x34, 0x12, 0x78, 0x56, 0x90 };

	rig_code(r, code, sizeof(code));
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 0x106);
	ck_assert_uint_eq(r->m.cpu.insns, 1);
	ck_assert_uint_gt(r->m.cpu.cycles, 0);
	rig_free(r);
}
END_TEST

/* --- flags ------------------------------------------------------------ */

#define FL(r) ((uint16_t)(r)->m.cpu.rflags)

START_TEST(flags_add_sub)
{
	struct rig *r = rig_new("8088");
	struct x86i_cpu *c = r->c;

	ck_assert_uint_eq(x86i_alu(c, 0, 0x7f, 1, 0), 0x80);
	ck_assert_uint_eq(FL(r) & (X86_OF | X86_SF | X86_AF | X86_CF | X86_ZF),
			  X86_OF | X86_SF | X86_AF);
	ck_assert_uint_eq(x86i_alu(c, 0, 0xff, 1, 0), 0);
	ck_assert_uint_eq(FL(r) & (X86_OF | X86_SF | X86_AF | X86_CF | X86_ZF | X86_PF),
			  X86_CF | X86_ZF | X86_AF | X86_PF);
	ck_assert_uint_eq(x86i_alu(c, 5, 0, 1, 1), 0xffff);
	ck_assert_uint_eq(FL(r) & (X86_OF | X86_SF | X86_CF | X86_ZF),
			  X86_SF | X86_CF);
	ck_assert_uint_eq(x86i_alu(c, 5, 0x8000, 1, 1), 0x7fff);
	ck_assert_uint_eq(FL(r) & (X86_OF | X86_SF | X86_CF), X86_OF);
	/* ADC/SBB use the carry in. */
	r->m.cpu.rflags |= X86_CF;
	ck_assert_uint_eq(x86i_alu(c, 2, 0xfffe, 1, 1), 0);
	ck_assert(FL(r) & X86_CF);
	ck_assert_uint_eq(x86i_alu(c, 3, 0, 0, 0), 0xff);
	ck_assert(FL(r) & X86_CF);
	/* Logic ops clear CF and OF. */
	r->m.cpu.rflags |= X86_CF | X86_OF;
	ck_assert_uint_eq(x86i_alu(c, 6, 0x55, 0x55, 0), 0);
	ck_assert_uint_eq(FL(r) & (X86_CF | X86_OF | X86_ZF), X86_ZF);
	rig_free(r);
}
END_TEST

START_TEST(flags_shifts)
{
	struct rig *r = rig_new("8088");
	struct x86i_cpu *c = r->c;
	uint64_t before;

	ck_assert_uint_eq(x86i_shift(c, 4, 0x80, 1, 0), 0);
	ck_assert_uint_eq(FL(r) & (X86_CF | X86_OF | X86_ZF), X86_CF | X86_OF | X86_ZF);
	ck_assert_uint_eq(x86i_shift(c, 7, 0x80, 1, 0), 0xc0);
	ck_assert_uint_eq(FL(r) & (X86_CF | X86_OF | X86_SF), X86_SF);
	ck_assert_uint_eq(x86i_shift(c, 5, 0x8001, 1, 1), 0x4000);
	ck_assert_uint_eq(FL(r) & (X86_CF | X86_OF), X86_CF | X86_OF);
	/* Count 0 changes nothing. */
	before = r->m.cpu.rflags;
	ck_assert_uint_eq(x86i_shift(c, 0, 0x81, 0, 0), 0x81);
	ck_assert_uint_eq(r->m.cpu.rflags, before);
	/* 8086 does not mask the count: SHL by 9 of a byte is 0, CF from bit 8. */
	ck_assert_uint_eq(x86i_shift(c, 4, 0xff, 9, 0), 0);
	ck_assert(!(FL(r) & X86_CF));
	ck_assert_uint_eq(x86i_shift(c, 4, 0x01, 8, 0), 0);
	ck_assert(FL(r) & X86_CF);
	/* RCL through carry with 9 steps is the identity on 8 bits + CF. */
	r->m.cpu.rflags &= ~(uint64_t)X86_CF;
	ck_assert_uint_eq(x86i_shift(c, 2, 0xa5, 9, 0), 0xa5);
	/* SETMO (8086 /6) gives all ones. */
	ck_assert_uint_eq(x86i_shift(c, 6, 0x12, 1, 1), 0xffff);
	rig_free(r);
}
END_TEST

START_TEST(shift_count_masked_186)
{
	struct rig *r = rig_new("80186");
	/* MOV CL,21h ; SHL AX,CL  -> count 1 on the 80186 */
	static const uint8_t code[] = { 0xb1, 0x21, 0xd3, 0xe0, 0xc1, 0xe0, 0x22 };

	rig_code(r, code, sizeof(code));
	r->m.cpu.gpr[X86_RAX] = 0x0003;
	x86i_step(r->c, 0);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX] & 0xffff, 0x0006);
	x86i_step(r->c, 0);	/* SHL AX,22h -> by 2 */
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX] & 0xffff, 0x0018);
	rig_free(r);
}
END_TEST

/* --- BCD -------------------------------------------------------------- */

static uint16_t run_adj(struct rig *r, uint8_t op, uint16_t ax, uint16_t flags, uint16_t *fout)
{
	mem_write8(r->m.mem, 0x10100, op);
	r->m.cpu.rip = 0x100;
	r->m.cpu.gpr[X86_RAX] = ax;
	r->m.cpu.rflags = 0xf002 | flags;
	x86i_step(r->c, 0);
	*fout = FL(r);
	return (uint16_t)r->m.cpu.gpr[X86_RAX];
}

START_TEST(bcd_adjust)
{
	struct rig *r = rig_new("8088");
	uint16_t f;

	/* DAA over every packed BCD sum a+b (no carries in): exact decimal. */
	for (int a = 0; a < 100; a++) {
		for (int b = 0; b < 100; b++) {
			uint8_t pa = (uint8_t)((a / 10) << 4 | a % 10);
			uint8_t pb = (uint8_t)((b / 10) << 4 | b % 10);
			uint16_t al, flags;
			x86i_alu(r->c, 0, pa, pb, 0);
			flags = FL(r) & (X86_AF | X86_CF);
			al = run_adj(r, 0x27, (uint8_t)(pa + pb), flags, &f) & 0xff;
			ck_assert_uint_eq(al, (uint8_t)(((a + b) % 100 / 10) << 4 | (a + b) % 10));
			ck_assert_int_eq(!!(f & X86_CF), a + b >= 100);
			/* DAS undoes it: (a+b) - b. */
			x86i_alu(r->c, 5, al, pb, 0);
			flags = FL(r) & (X86_AF | X86_CF);
			al = run_adj(r, 0x2f, (uint8_t)(al - pb), flags, &f) & 0xff;
			ck_assert_uint_eq(al, pa);
		}
	}
	/* The 8086 quirk: with AF set the high adjust starts above 9Fh. */
	ck_assert_uint_eq(run_adj(r, 0x27, 0x9a, X86_AF, &f) & 0xff, 0xa0);
	ck_assert(!(f & X86_CF));
	ck_assert_uint_eq(run_adj(r, 0x27, 0x9a, 0, &f) & 0xff, 0x00);
	ck_assert(f & X86_CF);
	/* AAA: 8086 adds to AL and AH separately. */
	ck_assert_uint_eq(run_adj(r, 0x37, 0x010b, 0, &f), 0x0201);
	ck_assert_uint_eq(f & (X86_AF | X86_CF), X86_AF | X86_CF);
	ck_assert_uint_eq(run_adj(r, 0x37, 0x00fa, 0, &f), 0x0100);
	ck_assert_uint_eq(run_adj(r, 0x37, 0x0005, 0, &f), 0x0005);
	ck_assert_uint_eq(f & (X86_AF | X86_CF), 0);
	/* AAS */
	ck_assert_uint_eq(run_adj(r, 0x3f, 0x0200, X86_AF, &f), 0x010a);
	ck_assert_uint_eq(f & (X86_AF | X86_CF), X86_AF | X86_CF);
	rig_free(r);
}
END_TEST

/* --- exceptions and interrupts ---------------------------------------- */

static void div_zero(const char *cpu, uint16_t want_ip)
{
	struct rig *r = rig_new(cpu);
	/* ES: DIV BL with BL = 0 */
	static const uint8_t code[] = { 0x26, 0xf6, 0xf3 };

	rig_code(r, code, sizeof(code));
	r->m.cpu.gpr[X86_RAX] = 0x1234;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, 0x3000);
	ck_assert_uint_eq(r->m.cpu.rip, 0x0000);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSP], 0x1000 - 6);
	ck_assert_uint_eq(stack_word(r, 0), want_ip);
	ck_assert_uint_eq(stack_word(r, 1), 0x1000);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX] & 0xffff, 0x1234);
	rig_free(r);
}

START_TEST(divide_error_push)
{
	div_zero("8088", 0x103);	/* 8086: address of the next instruction */
	div_zero("80186", 0x100);	/* 80186: the faulting one, prefix included */
}
END_TEST

START_TEST(aam_zero_faults)
{
	struct rig *r = rig_new("8088");
	static const uint8_t code[] = { 0xd4, 0x00 };

	rig_code(r, code, sizeof(code));
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, 0x3000);
	ck_assert_uint_eq(r->m.cpu.rip, 0);
	rig_free(r);
}
END_TEST

START_TEST(intr_and_halt)
{
	struct rig *r = rig_new("8088");
	/* STI ; NOP ; HLT */
	static const uint8_t code[] = { 0xfb, 0x90, 0xf4 };
	enum accel_exit e;

	rig_code(r, code, sizeof(code));
	r->m.intr.level = 1;
	r->vec = 0x08;
	x86i_step(r->c, 1);		/* STI: IF still clear at entry */
	ck_assert_int_eq(r->acks, 0);
	x86i_step(r->c, 1);		/* shadow of STI: NOP runs first */
	ck_assert_int_eq(r->acks, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 0x102);
	x86i_step(r->c, 1);		/* interrupt, then the handler's HLT */
	ck_assert_int_eq(r->acks, 1);
	ck_assert_uint_eq(stack_word(r, 0), 0x102);
	ck_assert(stack_word(r, 2) & X86_IF);
	ck_assert(!(r->m.cpu.rflags & X86_IF));
	ck_assert_int_eq(r->m.cpu.run_state, X86_HALTED);
	/* Halted with IF clear: the slice is consumed, HALT reported. */
	uint64_t c0 = r->m.cpu.cycles;
	e = x86i_run(r->c, 1000);
	ck_assert_int_eq(e, ACCEL_EXIT_HALT);
	ck_assert_uint_eq(r->m.cpu.cycles, c0 + 1000);
	/* NMI wakes it. */
	r->m.cpu.nmi_pending = 1;
	e = x86i_run(r->c, 300);
	ck_assert_int_eq(r->m.cpu.seg[X86_CS].sel, 0x3000);
	ck_assert_uint_eq(r->m.cpu.rip, 0x21);	/* vector 2 handler's HLT done */
	ck_assert_int_eq(e, ACCEL_EXIT_HALT);
	rig_free(r);
}
END_TEST

START_TEST(run_budget_and_kick)
{
	struct rig *r = rig_new("8088");
	/* JMP $ */
	static const uint8_t code[] = { 0xeb, 0xfe };
	uint64_t c0;

	rig_code(r, code, sizeof(code));
	c0 = r->m.cpu.cycles;
	ck_assert_int_eq(x86i_run(r->c, 5000), ACCEL_EXIT_BUDGET);
	ck_assert_uint_ge(r->m.cpu.cycles, c0 + 5000);
	ck_assert_uint_lt(r->m.cpu.cycles, c0 + 5000 + 100);
	r->m.stop = STOP_EXIT_DEVICE;
	ck_assert_int_eq(x86i_run(r->c, 5000), ACCEL_EXIT_STOP);
	rig_free(r);
}
END_TEST

START_TEST(single_step_trap)
{
	struct rig *r = rig_new("8088");
	/* NOP ; MOV SS,AX ; NOP */
	static const uint8_t code[] = { 0x90, 0x8e, 0xd0, 0x90 };

	rig_code(r, code, sizeof(code));
	r->m.cpu.rflags |= X86_TF;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, 0x3000);
	ck_assert_uint_eq(r->m.cpu.rip, 0x10);
	ck_assert_uint_eq(stack_word(r, 0), 0x101);
	ck_assert(!(r->m.cpu.rflags & X86_TF));

	/* MOV SS holds the trap off for one instruction. */
	struct rig *q = rig_new("8088");
	rig_code(q, code, sizeof(code));
	q->m.cpu.rip = 0x101;
	q->m.cpu.gpr[X86_RAX] = 0x2000;
	q->m.cpu.rflags |= X86_TF;
	x86i_step(q->c, 0);
	ck_assert_uint_eq(q->m.cpu.seg[X86_CS].sel, 0x1000);
	ck_assert_uint_eq(q->m.cpu.rip, 0x103);
	x86i_step(q->c, 0);
	ck_assert_uint_eq(q->m.cpu.seg[X86_CS].sel, 0x3000);
	ck_assert_uint_eq(stack_word(q, 0), 0x104);
	rig_free(q);
	rig_free(r);
}
END_TEST

static void rep_interrupted(const char *cpu, uint16_t want_ip)
{
	struct rig *r = rig_new(cpu);
	/* CS: REP MOVSB */
	static const uint8_t code[] = { 0x2e, 0xf3, 0xa4 };

	rig_code(r, code, sizeof(code));
	r->m.cpu.gpr[X86_RCX] = 10;
	r->m.cpu.rflags |= X86_IF;
	r->m.intr.level = 1;
	r->vec = 0x20;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RCX], 9);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSI], 1);
	ck_assert_uint_eq(r->m.cpu.rip, want_ip);
	x86i_step(r->c, 1);
	ck_assert_int_eq(r->acks, 1);
	ck_assert_uint_eq(stack_word(r, 0), want_ip);
	rig_free(r);
}

START_TEST(rep_interrupt_resume)
{
	rep_interrupted("8088", 0x101);		/* only the last prefix survives */
	rep_interrupted("80186", 0x100);
}
END_TEST

START_TEST(rep_runs_to_completion)
{
	struct rig *r = rig_new("8088");
	/* REP STOSW with AX=ABCD, CX=4 */
	static const uint8_t code[] = { 0xf3, 0xab };

	rig_code(r, code, sizeof(code));
	r->m.cpu.gpr[X86_RAX] = 0xabcd;
	r->m.cpu.gpr[X86_RCX] = 4;
	r->m.cpu.gpr[X86_RDI] = 0x10;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RCX], 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RDI], 0x18);
	ck_assert_uint_eq(mem_read16(r->m.mem, 0x50016), 0xabcd);
	ck_assert_uint_eq(r->m.cpu.rip, 0x102);
	rig_free(r);
}
END_TEST

START_TEST(rep_imul_negates_8086)
{
	/* REP IMUL BL ; REP IDIV BL */
	static const uint8_t code[] = { 0xf3, 0xf6, 0xeb, 0xf3, 0xf6, 0xfb };
	struct rig *r = rig_new("8088");
	struct rig *q = rig_new("80186");

	rig_code(r, code, sizeof(code));
	rig_code(q, code, sizeof(code));
	r->m.cpu.gpr[X86_RAX] = q->m.cpu.gpr[X86_RAX] = 3;
	r->m.cpu.gpr[X86_RBX] = q->m.cpu.gpr[X86_RBX] = 5;
	x86i_step(r->c, 0);
	x86i_step(q->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX], 0xfff1);	/* -(3*5) */
	ck_assert_uint_eq(q->m.cpu.gpr[X86_RAX], 0x000f);
	r->m.cpu.gpr[X86_RAX] = q->m.cpu.gpr[X86_RAX] = 17;
	x86i_step(r->c, 0);
	x86i_step(q->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX], 0x02fd);	/* -(17/5), rem 2 */
	ck_assert_uint_eq(q->m.cpu.gpr[X86_RAX], 0x0203);
	rig_free(q);
	rig_free(r);
}
END_TEST

/* --- 80186 additions -------------------------------------------------- */

START_TEST(ops_186)
{
	struct rig *r = rig_new("80186");
	static const uint8_t code[] = {
		0x60,			/* PUSHA */
		0x61,			/* POPA */
		0xc8, 0x08, 0x00, 0x00,	/* ENTER 8,0 */
		0xc9,			/* LEAVE */
		0x6a, 0xfe,		/* PUSH -2 */
		0x6b, 0xc3, 0xfd,	/* IMUL AX,BX,-3 */
		0x0f,			/* #UD */
	};

	rig_code(r, code, sizeof(code));
	for (int k = 0; k < 8; k++)
		if (k != X86_RSP)
			r->m.cpu.gpr[k] = 0x1111u * (unsigned)(k + 1);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSP], 0x1000 - 16);
	ck_assert_uint_eq(stack_word(r, 3), 0x1000);	/* original SP */
	ck_assert_uint_eq(stack_word(r, 7), 0x1111);	/* AX first */
	r->m.cpu.gpr[X86_RAX] = 0;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX], 0x1111);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSP], 0x1000);
	x86i_step(r->c, 0);	/* ENTER */
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RBP], 0x0ffe);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSP], 0x0ffe - 8);
	x86i_step(r->c, 0);	/* LEAVE */
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSP], 0x1000);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RBP], 0x6666);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(stack_word(r, 0), 0xfffe);
	r->m.cpu.gpr[X86_RBX] = 5;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX], 0xfff1);
	ck_assert(!(r->m.cpu.rflags & X86_CF));
	x86i_step(r->c, 0);	/* 0F: #UD, pushes its own address */
	ck_assert_uint_eq(r->m.cpu.rip, 6 * 16);
	ck_assert_uint_eq(stack_word(r, 0), 0x10c);
	rig_free(r);
}
END_TEST

START_TEST(bound_186)
{
	struct rig *r = rig_new("80186");
	/* BOUND AX,[0010] with bounds 10..20 */
	static const uint8_t code[] = { 0x62, 0x06, 0x10, 0x00 };

	rig_code(r, code, sizeof(code));
	mem_write16(r->m.mem, 0x40010, 10);
	mem_write16(r->m.mem, 0x40012, 20);
	r->m.cpu.gpr[X86_RAX] = 15;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 0x104);
	r->m.cpu.rip = 0x100;
	r->m.cpu.gpr[X86_RAX] = 21;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 5 * 16);
	ck_assert_uint_eq(stack_word(r, 0), 0x100);
	rig_free(r);
}
END_TEST

START_TEST(pop_cs_and_aliases_8086)
{
	struct rig *r = rig_new("8088");
	/* PUSH 1234h via MOV AX + PUSH AX ; POP CS */
	static const uint8_t code[] = { 0xb8, 0x34, 0x12, 0x50, 0x0f };

	rig_code(r, code, sizeof(code));
	x86i_step(r->c, 0);
	x86i_step(r->c, 0);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, 0x1234);
	ck_assert_uint_eq(r->m.cpu.rip, 0x105);
	rig_free(r);
}
END_TEST

static FILE *trace_open(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);
	ck_assert_ptr_nonnull(f);
	return f;
}

START_TEST(trace_format)
{
	struct rig *r = rig_new("8088");
	static const uint8_t code[] = { 0x05, 0x34, 0x12 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = trace_open(&buf, &len);

	rig_code(r, code, sizeof(code));
	x86i_set_trace(r->c, f);
	x86i_step(r->c, 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "1000:0100  053412"));
	ck_assert_ptr_nonnull(strstr(buf, "AX=0000 BX=0000"));
	ck_assert_ptr_nonnull(strstr(buf, "FL=F002"));
	free(buf);
	rig_free(r);
}
END_TEST

Suite *x86i_suite(void)
{
	Suite *s = suite_create("x86i");
	TCase *tc = tcase_create("x86i");

	tcase_add_test(tc, decode_lengths);
	tcase_add_test(tc, decode_executes_length);
	tcase_add_test(tc, flags_add_sub);
	tcase_add_test(tc, flags_shifts);
	tcase_add_test(tc, shift_count_masked_186);
	tcase_add_test(tc, bcd_adjust);
	tcase_add_test(tc, divide_error_push);
	tcase_add_test(tc, aam_zero_faults);
	tcase_add_test(tc, intr_and_halt);
	tcase_add_test(tc, run_budget_and_kick);
	tcase_add_test(tc, single_step_trap);
	tcase_add_test(tc, rep_interrupt_resume);
	tcase_add_test(tc, rep_runs_to_completion);
	tcase_add_test(tc, rep_imul_negates_8086);
	tcase_add_test(tc, ops_186);
	tcase_add_test(tc, bound_186);
	tcase_add_test(tc, pop_cs_and_aliases_8086);
	tcase_add_test(tc, trace_format);
	suite_add_tcase(s, tc);
	return s;
}

/* Unit tests for the interpreter's 80286 model: real-mode segment overrun
 * (int 13), the 10-byte instruction limit, MSW, and protected mode: data
 * segment type and limit checks (expand-down too) delivered through the
 * IDT with error codes, the stack fault, the double fault and the triple
 * fault that shuts the CPU down; and where a faulting REP INSW or CMPSW
 * leaves CX (from the 80286 vectors). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "hw/machine.h"

/* Memory map of the rig (all physical, bases of the descriptors). */
enum {
	GDT = 0x1000, IDT = 0x2000, CODE = 0x10000, STACK = 0x20000, DATA = 0x30000,
	HANDLERS = 0x40000,
};
/* Selectors. */
enum {
	S_CODE = 0x08, S_STACK = 0x10, S_DATA = 0x18, S_RO = 0x20, S_DOWN = 0x28,
	S_HCODE = 0x30, S_SMALLSTK = 0x38,
};

struct rig {
	struct machine m;
	struct x86i_cpu *c;
};

static void put_desc(struct rig *r, unsigned sel, uint32_t base, uint16_t limit, uint8_t acc)
{
	uint32_t a = GDT + sel;

	mem_write16(r->m.mem, a, limit);
	mem_write16(r->m.mem, a + 2, (uint16_t)base);
	mem_write8(r->m.mem, a + 4, (uint8_t)(base >> 16));
	mem_write8(r->m.mem, a + 5, acc);
	mem_write16(r->m.mem, a + 6, 0);
}

static struct rig *rig_new(void)
{
	struct rig *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->m.model = cpu_model_find("80286");
	ck_assert_ptr_nonnull(r->m.model);
	r->m.mem = mem_new(16u << 20);
	r->m.io = ioport_bus_new();
	r->c = x86i_new(&r->m);
	ck_assert_ptr_nonnull(r->c);
	x86i_reset(r->c);
	return r;
}

static void rig_free(struct rig *r)
{
	x86i_free(r->c);
	ioport_bus_free(r->m.io);
	mem_free(r->m.mem);
	free(r);
}

static void code_at(struct rig *r, uint32_t a, const uint8_t *code, size_t n)
{
	for (size_t k = 0; k < n; k++)
		mem_write8(r->m.mem, a + (uint32_t)k, code[k]);
}

/* Real mode at 1000:0100, IVT entry n -> 4000:n*16 with a HLT there. */
static void real_setup(struct rig *r)
{
	for (int n = 0; n < 32; n++) {
		mem_write16(r->m.mem, n * 4, (uint16_t)(n * 16));
		mem_write16(r->m.mem, n * 4 + 2, 0x4000);
		mem_write8(r->m.mem, HANDLERS + n * 16, 0xf4);
	}
	x86i_load_sreg(r->c, X86_CS, 0x1000);
	x86i_load_sreg(r->c, X86_SS, 0x2000);
	x86i_load_sreg(r->c, X86_DS, 0x3000);
	x86i_load_sreg(r->c, X86_ES, 0x5000);
	r->m.cpu.rip = 0x100;
	r->m.cpu.gpr[X86_RSP] = 0x1000;
}

/* Protected mode, CPL 0: CS=S_CODE at IP 0, SS:SP = S_STACK:1000,
 * DS = S_DATA; IDT gates n -> S_HCODE:n*16 (286 interrupt gates), HLT in
 * each handler. */
static void pm_setup(struct rig *r)
{
	struct x86_state *s = &r->m.cpu;

	put_desc(r, S_CODE, CODE, 0xffff, 0x9a);
	put_desc(r, S_STACK, STACK, 0xffff, 0x92);
	put_desc(r, S_DATA, DATA, 0xffff, 0x92);
	put_desc(r, S_RO, DATA, 0xffff, 0x90);
	put_desc(r, S_DOWN, DATA, 0x0fff, 0x96);	/* expand-down, valid 1000h-FFFFh */
	put_desc(r, S_HCODE, HANDLERS, 0xffff, 0x9a);
	put_desc(r, S_SMALLSTK, STACK, 0x0003, 0x92);
	for (int n = 0; n < 32; n++) {
		uint32_t g = IDT + n * 8;
		mem_write16(r->m.mem, g, (uint16_t)(n * 16));
		mem_write16(r->m.mem, g + 2, S_HCODE);
		mem_write16(r->m.mem, g + 4, 0x8600);
		mem_write16(r->m.mem, g + 6, 0);
		mem_write8(r->m.mem, HANDLERS + n * 16, 0xf4);
	}
	s->gdtr.base = GDT;
	s->gdtr.limit = 0x3f;
	s->idtr.base = IDT;
	s->idtr.limit = 32 * 8 - 1;
	s->cr0 |= 1;
	x86i_state_loaded(r->c);
	/* Loads at CPL 0 with valid selectors cannot fault. */
	x86i_load_sreg(r->c, X86_SS, S_STACK);
	x86i_load_sreg(r->c, X86_DS, S_DATA);
	x86i_load_sreg(r->c, X86_ES, S_DATA);
	s->seg[X86_CS].sel = S_CODE;
	s->seg[X86_CS].base = CODE;
	s->seg[X86_CS].limit = 0xffff;
	s->seg[X86_CS].attr = 0x9b;
	s->rip = 0;
	s->gpr[X86_RSP] = 0x1000;
}

/* Word n of the stack (0 = top). */
static uint16_t stk(struct rig *r, int n)
{
	return mem_read16(r->m.mem, (uint32_t)r->m.cpu.seg[X86_SS].base +
			  (uint16_t)(r->m.cpu.gpr[X86_RSP] + 2 * n));
}

START_TEST(real_word_at_ffff_faults)
{
	struct rig *r = rig_new();
	/* MOV AX,[FFFFh] */
	static const uint8_t code[] = { 0xa1, 0xff, 0xff };

	real_setup(r);
	code_at(r, 0x10100, code, sizeof(code));
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, 0x4000);
	ck_assert_uint_eq(r->m.cpu.rip, 13 * 16);
	ck_assert_uint_eq(stk(r, 0), 0x100);		/* the faulting instruction */
	ck_assert_uint_eq(stk(r, 1), 0x1000);
	rig_free(r);
}
END_TEST

START_TEST(real_ten_byte_limit)
{
	struct rig *r = rig_new();
	/* five prefixes + ADD word [1234h],5678h = 11 bytes */
	static const uint8_t code[] = { 0x26, 0x26, 0x26, 0x26, 0x26, 0x81, 0x06,
					0x34, 0x12, 0x78, 0x56 };

	real_setup(r);
	code_at(r, 0x10100, code, sizeof(code));
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 13 * 16);
	ck_assert_uint_eq(stk(r, 0), 0x100);
	/* Ten bytes run. */
	real_setup(r);
	code_at(r, 0x10100, code + 1, sizeof(code) - 1);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 0x10a);
	ck_assert_uint_eq(mem_read16(r->m.mem, 0x50000 + 0x1234), 0x5678);
	rig_free(r);
}
END_TEST

START_TEST(msw_lmsw_smsw)
{
	struct rig *r = rig_new();
	/* SMSW AX ; LMSW BX ; SMSW CX ; LMSW DX */
	static const uint8_t code[] = { 0x0f, 0x01, 0xe0, 0x0f, 0x01, 0xf3,
					0x0f, 0x01, 0xe1, 0x0f, 0x01, 0xf2 };

	real_setup(r);
	code_at(r, 0x10100, code, sizeof(code));
	r->m.cpu.gpr[X86_RBX] = 0x000f;
	r->m.cpu.gpr[X86_RDX] = 0x0000;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX] & 0xffff, 0xfff0);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.cr0 & 0xf, 0xf);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RCX] & 0xffff, 0xffff);
	x86i_step(r->c, 0);
	/* LMSW cannot leave protected mode. */
	ck_assert_uint_eq(r->m.cpu.cr0 & 0xf, 0x1);
	rig_free(r);
}
END_TEST

START_TEST(pm_write_readonly_gp)
{
	struct rig *r = rig_new();
	/* MOV AX,S_RO ; MOV ES,AX ; MOV [ES:10h],AL */
	static const uint8_t code[] = { 0xb8, S_RO, 0x00, 0x8e, 0xc0, 0x26, 0xa2, 0x10, 0x00 };

	pm_setup(r);
	code_at(r, CODE, code, sizeof(code));
	x86i_step(r->c, 0);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_ES].sel, S_RO);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, S_HCODE);
	ck_assert_uint_eq(r->m.cpu.rip, 13 * 16);
	ck_assert_uint_eq(stk(r, 0), 0);		/* error code */
	ck_assert_uint_eq(stk(r, 1), 5);		/* IP of the MOV */
	ck_assert_uint_eq(stk(r, 2), S_CODE);
	ck_assert(!(r->m.cpu.rflags & X86_IF));
	rig_free(r);
}
END_TEST

START_TEST(pm_bad_selectors)
{
	struct rig *r = rig_new();
	/* MOV DS,AX with AX = a selector past the GDT limit: #GP(sel). */
	static const uint8_t code[] = { 0x8e, 0xd8 };

	pm_setup(r);
	code_at(r, CODE, code, sizeof(code));
	r->m.cpu.gpr[X86_RAX] = 0x0048;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 13 * 16);
	ck_assert_uint_eq(stk(r, 0), 0x0048);
	ck_assert_uint_eq(r->m.cpu.seg[X86_DS].sel, S_DATA);
	/* Null into SS: #GP(0). */
	pm_setup(r);
	code_at(r, CODE, (const uint8_t[]){ 0x8e, 0xd0 }, 2);
	r->m.cpu.gpr[X86_RAX] = 0;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 13 * 16);
	ck_assert_uint_eq(stk(r, 0), 0);
	/* Null into DS loads; using it is #GP(0). */
	pm_setup(r);
	code_at(r, CODE, (const uint8_t[]){ 0x8e, 0xd8, 0xa0, 0x00, 0x00 }, 5);
	r->m.cpu.gpr[X86_RAX] = 0;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 2);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 13 * 16);
	ck_assert_uint_eq(stk(r, 1), 2);
	rig_free(r);
}
END_TEST

START_TEST(pm_expand_down)
{
	struct rig *r = rig_new();
	/* MOV AX,S_DOWN ; MOV ES,AX ; MOV AL,[ES:1000h] ; MOV AL,[ES:0FFFh] */
	static const uint8_t code[] = { 0xb8, S_DOWN, 0x00, 0x8e, 0xc0,
					0x26, 0xa0, 0x00, 0x10, 0x26, 0xa0, 0xff, 0x0f };

	pm_setup(r);
	mem_write8(r->m.mem, DATA + 0x1000, 0x5a);
	code_at(r, CODE, code, sizeof(code));
	x86i_step(r->c, 0);
	x86i_step(r->c, 0);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX] & 0xff, 0x5a);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 13 * 16);
	ck_assert_uint_eq(stk(r, 1), 9);
	rig_free(r);
}
END_TEST

START_TEST(pm_double_and_triple_fault)
{
	struct rig *r = rig_new();
	/* MOV AX,[0] with DS null -> #GP; the #GP gate is not present -> #NP
	 * while delivering: contributory twice = #DF. */
	static const uint8_t code[] = { 0xa1, 0x00, 0x00 };

	pm_setup(r);
	code_at(r, CODE, code, sizeof(code));
	r->m.cpu.seg[X86_DS].sel = 0;
	r->m.cpu.seg[X86_DS].attr = 0;
	mem_write8(r->m.mem, IDT + 13 * 8 + 5, 0x06);	/* #GP gate not present */
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 8 * 16);
	ck_assert_uint_eq(stk(r, 0), 0);		/* #DF error code */
	ck_assert_uint_eq(stk(r, 1), 0);		/* at the MOV */
	ck_assert_int_eq(r->m.cpu.run_state, X86_RUNNING);
	/* Now the #DF gate is missing too: shutdown, which run reports. */
	pm_setup(r);
	r->m.cpu.seg[X86_DS].sel = 0;
	r->m.cpu.seg[X86_DS].attr = 0;
	mem_write8(r->m.mem, IDT + 13 * 8 + 5, 0x06);
	mem_write8(r->m.mem, IDT + 8 * 8 + 5, 0x06);
	ck_assert_int_eq(x86i_run(r->c, 1000), ACCEL_EXIT_SHUTDOWN);
	ck_assert_int_eq(r->m.cpu.run_state, X86_SHUTDOWN);
	rig_free(r);
}
END_TEST

START_TEST(pm_stack_fault)
{
	struct rig *r = rig_new();
	/* Stack segment limit 3, SP = 2: the first PUSH fits. */
	static const uint8_t code[] = { 0x50, 0x50 };

	pm_setup(r);
	code_at(r, CODE, code, sizeof(code));
	x86i_load_sreg(r->c, X86_SS, S_SMALLSTK);
	r->m.cpu.gpr[X86_RSP] = 2;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSP], 0);
	/* The next push wraps to FFFEh, beyond the limit: #SS, whose delivery
	 * pushes on the same stack and faults again: #DF, then shutdown. */
	x86i_step(r->c, 0);
	ck_assert_int_eq(r->m.cpu.run_state, X86_SHUTDOWN);
	rig_free(r);
}
END_TEST

START_TEST(pm_iret_same_level_and_int)
{
	struct rig *r = rig_new();
	/* INT 5 -> handler at S_HCODE:50h is IRET; back after the INT. */
	static const uint8_t code[] = { 0xcd, 0x05, 0x90 };

	pm_setup(r);
	code_at(r, CODE, code, sizeof(code));
	mem_write8(r->m.mem, HANDLERS + 5 * 16, 0xcf);
	r->m.cpu.rflags |= X86_IF;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, S_HCODE);
	ck_assert_uint_eq(r->m.cpu.rip, 5 * 16);
	ck_assert(!(r->m.cpu.rflags & X86_IF));
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, S_CODE);
	ck_assert_uint_eq(r->m.cpu.rip, 2);
	ck_assert(r->m.cpu.rflags & X86_IF);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSP], 0x1000);
	rig_free(r);
}
END_TEST

START_TEST(loadall_286)
{
	struct rig *r = rig_new();
	/* LOADALL, then MOV AL,[0010h] through a DS cache based at 1 MiB */
	static const uint8_t code[] = { 0x0f, 0x05 };
	static const uint8_t after[] = { 0xa0, 0x10, 0x00 };

	real_setup(r);
	code_at(r, 0x10100, code, sizeof(code));
	code_at(r, 0x10200, after, sizeof(after));
	mem_write16(r->m.mem, 0x81a, 0x200);		/* IP */
	mem_write16(r->m.mem, 0x818, 0x0002);		/* FLAGS */
	mem_write16(r->m.mem, 0x822, 0x1000);		/* CS selector */
	mem_write16(r->m.mem, 0x82c, 0x0800);		/* SP */
	mem_write16(r->m.mem, 0x834, 0x1234);		/* AX */
	/* caches: base (3 bytes), access, limit */
	static const uint8_t cs_c[6] = { 0x00, 0x00, 0x01, 0x9b, 0xff, 0xff };
	static const uint8_t ds_c[6] = { 0x00, 0x00, 0x10, 0x93, 0xff, 0xff };
	static const uint8_t ss_c[6] = { 0x00, 0x00, 0x02, 0x93, 0xff, 0xff };
	code_at(r, 0x83c, cs_c, 6);
	code_at(r, 0x848, ds_c, 6);
	code_at(r, 0x842, ss_c, 6);
	mem_write16(r->m.mem, 0x85a + 4, 0x3ff);	/* IDTR limit */
	mem_write8(r->m.mem, 0x100010, 0x77);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 0x200);
	ck_assert_uint_eq(r->m.cpu.seg[X86_DS].base, 0x100000);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX] & 0xffff, 0x1234);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSP] & 0xffff, 0x0800);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX] & 0xff, 0x77);
	rig_free(r);
}
END_TEST

/* Runs the REP instruction at 1000:0100 to its end (it may yield between
 * iterations); stops at a fault handler's HLT too. */
static void run_rep(struct rig *r)
{
	for (int n = 0; n < 100 && r->m.cpu.seg[X86_CS].sel == 0x1000 &&
			r->m.cpu.rip == 0x100; n++)
		x86i_step(r->c, 0);
}

/* The 80286 vectors: a REP INSW whose word write at ES:FFFF overruns the
 * segment leaves DI advanced once but CX counted down twice, the second
 * time for the iteration that would follow. */
START_TEST(rep_insw_fault_counts_cx_ahead)
{
	struct rig *r = rig_new();
	static const uint8_t code[] = { 0xf3, 0x6d };	/* REP INSW */
	struct x86_state *s = &r->m.cpu;

	real_setup(r);
	code_at(r, 0x10100, code, sizeof(code));
	s->gpr[X86_RCX] = 46;
	s->gpr[X86_RDI] = 0xffff;
	s->gpr[X86_RDX] = 0x3ff;
	run_rep(r);
	ck_assert_uint_eq(s->rip, 13 * 16);
	ck_assert_uint_eq(stk(r, 0), 0x100);
	ck_assert_uint_eq(s->gpr[X86_RCX] & 0xffff, 44);
	ck_assert_uint_eq(s->gpr[X86_RDI] & 0xffff, 0x0001);

	/* No iteration follows the last one: CX stops at 0. */
	real_setup(r);
	s->gpr[X86_RCX] = 1;
	s->gpr[X86_RDI] = 0xffff;
	run_rep(r);
	ck_assert_uint_eq(s->rip, 13 * 16);
	ck_assert_uint_eq(s->gpr[X86_RCX] & 0xffff, 0);

	/* Without a fault the look-ahead leaves no trace. */
	real_setup(r);
	s->gpr[X86_RCX] = 3;
	s->gpr[X86_RDI] = 0x10;
	run_rep(r);
	ck_assert_uint_eq(s->rip, 0x102);
	ck_assert_uint_eq(s->gpr[X86_RCX] & 0xffff, 0);
	ck_assert_uint_eq(s->gpr[X86_RDI] & 0xffff, 0x16);
	rig_free(r);
}
END_TEST

/* The 80286 vectors: REPNE CMPSW counts CX down only after its ES:DI read,
 * so a fault there leaves CX whole (DI has already moved). */
START_TEST(repne_cmpsw_fault_keeps_cx)
{
	struct rig *r = rig_new();
	static const uint8_t code[] = { 0xf2, 0xa7 };	/* REPNE CMPSW */
	struct x86_state *s = &r->m.cpu;

	real_setup(r);
	code_at(r, 0x10100, code, sizeof(code));
	s->rflags |= X86_DF;
	s->gpr[X86_RCX] = 7;
	s->gpr[X86_RSI] = 0xffff;
	s->gpr[X86_RDI] = 0xffff;
	run_rep(r);
	ck_assert_uint_eq(s->rip, 13 * 16);
	ck_assert_uint_eq(stk(r, 0), 0x100);
	ck_assert_uint_eq(s->gpr[X86_RCX] & 0xffff, 7);
	ck_assert_uint_eq(s->gpr[X86_RDI] & 0xffff, 0xfffd);
	ck_assert_uint_eq(s->gpr[X86_RSI] & 0xffff, 0xffff);

	/* Unequal words all the way: CX still ends at 0. */
	real_setup(r);
	s->rflags &= ~(uint64_t)X86_DF;
	s->gpr[X86_RCX] = 3;
	s->gpr[X86_RSI] = 0x20;
	s->gpr[X86_RDI] = 0x40;
	mem_write16(r->m.mem, 0x30020, 0x1111);
	mem_write16(r->m.mem, 0x30022, 0x2222);
	mem_write16(r->m.mem, 0x30024, 0x3333);
	mem_write16(r->m.mem, 0x50040, 0x4444);
	mem_write16(r->m.mem, 0x50042, 0x5555);
	mem_write16(r->m.mem, 0x50044, 0x6666);
	run_rep(r);
	ck_assert_uint_eq(s->rip, 0x102);
	ck_assert_uint_eq(s->gpr[X86_RCX] & 0xffff, 0);
	ck_assert_uint_eq(s->gpr[X86_RSI] & 0xffff, 0x26);
	ck_assert_uint_eq(s->gpr[X86_RDI] & 0xffff, 0x46);
	/* ... and a match stops it with CX counted for that iteration. */
	real_setup(r);
	s->gpr[X86_RCX] = 3;
	s->gpr[X86_RSI] = 0x20;
	s->gpr[X86_RDI] = 0x40;
	mem_write16(r->m.mem, 0x50042, 0x2222);
	run_rep(r);
	ck_assert_uint_eq(s->rip, 0x102);
	ck_assert_uint_eq(s->gpr[X86_RCX] & 0xffff, 1);
	rig_free(r);
}
END_TEST

Suite *x86i_pm_suite(void)
{
	Suite *s = suite_create("x86i_pm");
	TCase *tc = tcase_create("x86i_pm");

	tcase_add_test(tc, real_word_at_ffff_faults);
	tcase_add_test(tc, real_ten_byte_limit);
	tcase_add_test(tc, msw_lmsw_smsw);
	tcase_add_test(tc, pm_write_readonly_gp);
	tcase_add_test(tc, pm_bad_selectors);
	tcase_add_test(tc, pm_expand_down);
	tcase_add_test(tc, pm_double_and_triple_fault);
	tcase_add_test(tc, pm_stack_fault);
	tcase_add_test(tc, pm_iret_same_level_and_int);
	tcase_add_test(tc, loadall_286);
	tcase_add_test(tc, rep_insw_fault_counts_cx_ahead);
	tcase_add_test(tc, repne_cmpsw_fault_keeps_cx);
	suite_add_tcase(s, tc);
	return s;
}

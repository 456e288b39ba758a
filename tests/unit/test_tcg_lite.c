/* Unit tests for tcg-lite's decoder (cpu/x86-interp/x86i_block.c): on random
 * instruction bytes and registers it must give what x86i_decode gives (every
 * struct insn field, IP, clocks, the 8086's last EA), or decline where
 * x86i_decode faults or fetches past the buffer.  The block loop must match
 * the interpreter slice by slice, budgets ending inside blocks and code
 * rewriting the next instruction of its own block. */
#include <check.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_block.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "hw/machine.h"

static uint32_t rng = 12345;

static uint32_t rnd(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static int same_insn(const struct insn *a, const struct insn *b)
{
	int same = a->ip0 == b->ip0 && a->op_ip == b->op_ip && a->op == b->op &&
		   a->mod == b->mod && a->ovr == b->ovr && a->seg == b->seg &&
		   a->rep == b->rep && a->lock == b->lock && a->osz == b->osz &&
		   a->asz == b->asz && a->len == b->len;
	if (a->mod != 3)
		same = same && a->ea == b->ea;
	return same && a->modrm == b->modrm && a->reg == b->reg && a->rm == b->rm &&
	       a->op2 == b->op2 && a->imm == b->imm && a->imm2 == b->imm2;
}

static void check_model(const char *name, int big)
{
	struct machine m;
	struct x86i_cpu *c;
	volatile int declined = 0, matched = 0;

	memset(&m, 0, sizeof(m));
	m.model = cpu_model_find(name);
	ck_assert_ptr_nonnull(m.model);
	m.mem = mem_new(1u << 20);
	m.io = ioport_bus_new();
	c = x86i_new(&m);
	ck_assert_ptr_nonnull(c);
	x86i_reset(c);
	x86i_load_sreg(c, X86_CS, 0x1000);
	if (big)
		m.cpu.seg[X86_CS].attr |= 0x4000;
	for (int t = 0; t < 20000; t++) {
		uint8_t buf[16];
		/* Near the end of the page and of the 64K segment now and then. */
		uint32_t eip = (t & 7) == 0 ? 0xfff0 + (rnd() & 15) : (rnd() & 0xfff0) | 0x100;
		struct x86i_dinsn d;
		struct insn a, b;
		volatile int faulted = 0;
		uint64_t c0, c1, c2;
		uint32_t ip_a, at = (uint32_t)m.cpu.seg[X86_CS].base + eip;
		uint16_t ea_a;
		unsigned avail = MEM_PAGE_SIZE - (at & (MEM_PAGE_SIZE - 1));
		int len;

		for (int k = 0; k < 16; k++) {
			buf[k] = (uint8_t)rnd();
			mem_write8(m.mem, (at + (uint32_t)k) & 0xfffff, buf[k]);
		}
		for (int r = 0; r < 8; r++)
			m.cpu.gpr[r] = rnd() ^ (uint64_t)rnd() << 16;
		m.cpu.rip = eip;
		x86i_pcache_flush(c);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		c->last_ea = 0;
		c0 = m.cpu.cycles;
		if (sigsetjmp(c->jb, 0))
			faulted = 1;
		else
			x86i_decode(c, &a);
		c1 = m.cpu.cycles;
		ip_a = (uint32_t)m.cpu.rip;
		ea_a = c->last_ea;
		m.cpu.rip = eip;
		c->last_ea = 0;
		len = x86i_blk_decode(c, buf, avail < 16 ? avail : 16, eip, &d);
		if (len <= 0) {
			declined++;
			continue;
		}
		ck_assert_msg(!faulted, "%s: decoded an insn x86i_decode faults on", name);
		x86i_blk_issue(c, &d, &b);
		c2 = m.cpu.cycles;
		ck_assert_msg(same_insn(&a, &b), "%s big=%d: insn differs for %02x %02x %02x %02x",
			      name, big, buf[0], buf[1], buf[2], buf[3]);
		ck_assert_uint_eq(ip_a, (uint32_t)m.cpu.rip);
		ck_assert_uint_eq(c1 - c0, c2 - c1);
		ck_assert_uint_eq(ea_a, c->last_ea);
		matched++;
	}
	/* Most random bytes decode inside the page; a test that declined them
	 * all would prove nothing. */
	ck_assert_int_gt(matched, 15000);
	ck_assert_int_gt(declined, 0);
	x86i_free(c);
	ioport_bus_free(m.io);
	mem_free(m.mem);
}

/* 16-bit code at 1000:0100: CX = 200 down to 1, each round storing CL
 * into the immediate of the very next instruction, then HLT. */
static const uint8_t smc_loop[] = {
	0xb9, 0xc8, 0x00,		/* mov cx, 200 */
	0x88, 0x0e, 0x08, 0x01,		/* L: mov [0108h], cl */
	0xb0, 0x00,			/* mov al, 0 (imm at 0108h) */
	0x01, 0xc3,			/* add bx, ax */
	0x53,				/* push bx */
	0x5a,				/* pop dx */
	0x46,				/* inc si */
	0xe2, 0xf3,			/* loop L */
	0xf4,				/* hlt */
};

struct eng {
	struct machine m;
	const struct accel_ops *ops;
	struct vcpu *v;
};

static void eng_start(struct eng *e, const struct accel_ops *ops)
{
	const char *why = NULL;
	struct x86_state st;

	memset(&e->m, 0, sizeof(e->m));
	e->m.model = cpu_model_find("80386");
	ck_assert_ptr_nonnull(e->m.model);
	e->m.mem = mem_new(1u << 20);
	e->m.io = ioport_bus_new();
	for (unsigned k = 0; k < sizeof(smc_loop); k++)
		mem_write8(e->m.mem, 0x10100 + k, smc_loop[k]);
	e->ops = ops;
	e->v = ops->init(&e->m, &why);
	ck_assert_ptr_nonnull(e->v);
	ops->reset(e->v);
	ops->get_state(e->v, &st);
	st.seg[X86_CS].sel = st.seg[X86_DS].sel = 0x1000;
	st.seg[X86_CS].base = st.seg[X86_DS].base = 0x10000;
	st.seg[X86_SS].sel = 0x2000;
	st.seg[X86_SS].base = 0x20000;
	st.gpr[X86_RSP] = 0x1000;
	st.gpr[X86_RAX] = st.gpr[X86_RBX] = st.gpr[X86_RSI] = 0;
	st.rip = 0x100;
	ops->set_state(e->v, &st);
}

static void eng_stop(struct eng *e)
{
	e->ops->destroy(e->v);
	ioport_bus_free(e->m.io);
	mem_free(e->m.mem);
}

START_TEST(block_loop_matches_interp)
{
	struct eng a, b;
	struct x86_state sa, sb;
	enum accel_exit xa, xb;
	int slices = 0;

	eng_start(&a, &accel_interp_ops);
	eng_start(&b, &accel_tcg_lite_ops);
	do {
		/* Budgets of 1 to 40 clocks end most slices inside a block. */
		uint64_t budget = 1 + rnd() % 40;
		xa = a.ops->run(a.v, budget);
		xb = b.ops->run(b.v, budget);
		a.ops->get_state(a.v, &sa);
		b.ops->get_state(b.v, &sb);
		ck_assert_int_eq(xa, xb);
		ck_assert_uint_eq(sa.cycles, sb.cycles);
		ck_assert_uint_eq(sa.insns, sb.insns);
		ck_assert_uint_eq(sa.rip, sb.rip);
		ck_assert_int_eq(memcmp(sa.gpr, sb.gpr, sizeof(sa.gpr)), 0);
		ck_assert_uint_eq(sa.rflags, sb.rflags);
		slices++;
	} while (xa == ACCEL_EXIT_BUDGET && slices < 100000);
	ck_assert_int_eq(xa, ACCEL_EXIT_HALT);
	/* Each round added the CL it had just stored: 200 + 199 + ... + 1. */
	ck_assert_uint_eq(sb.gpr[X86_RBX] & 0xffff, 20100);
	ck_assert_uint_eq(sb.gpr[X86_RSI] & 0xffff, 200);
	ck_assert_int_gt(slices, 100);
	eng_stop(&a);
	eng_stop(&b);
}
END_TEST

/* hw/memory's code watch: which pages can be marked, and which writes to
 * marked pages are reported (after the write, A20 applied, per page). */
static uint32_t cw_addr[8], cw_len[8];
static int cw_n;

static void cw_record(void *opaque, uint32_t addr, uint32_t len)
{
	(void)opaque;
	if (cw_n < 8) {
		cw_addr[cw_n] = addr;
		cw_len[cw_n] = len;
	}
	cw_n++;
}

START_TEST(mem_code_watch_reports_writes)
{
	struct mem *m = mem_new(1u << 20);
	static uint8_t vram[MEM_PAGE_SIZE], rom[MEM_PAGE_SIZE], buf[0x200];

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(mem_reserve_hole(m, 0xa0000, 0x60000), 0);
	ck_assert_int_eq(mem_map_host(m, 0xa0000, MEM_PAGE_SIZE, vram, true), 0);
	ck_assert_int_eq(mem_map_rom(m, 0xf0000, rom, sizeof(rom)), 0);
	mem_set_code_watch(m, cw_record, NULL);
	ck_assert(mem_code_mark(m, 0x10000));
	ck_assert(mem_code_mark(m, 0xf0000));		/* ROM: nothing writes it */
	ck_assert(!mem_code_mark(m, 0xa0000));		/* a device's writable memory */
	ck_assert(!mem_code_mark(m, 0x200000));		/* nothing there */
	ck_assert(mem_is_code(m, 0x10fff) && !mem_is_code(m, 0x11000));

	cw_n = 0;
	mem_write8(m, 0x10005, 1);
	mem_write32(m, 0x10ffc, 2);
	mem_write16(m, 0x10fff, 0x0303);	/* one byte on the marked page */
	mem_write32(m, 0x20000, 4);		/* not marked */
	mem_write8(m, 0xf0000, 5);		/* ROM: dropped, nothing changed */
	ck_assert_int_eq(cw_n, 3);
	ck_assert_uint_eq(cw_addr[0], 0x10005);
	ck_assert_uint_eq(cw_len[0], 1);
	ck_assert_uint_eq(cw_addr[1], 0x10ffc);
	ck_assert_uint_eq(cw_len[1], 4);
	ck_assert_uint_eq(cw_addr[2], 0x10fff);
	ck_assert_uint_eq(mem_read8(m, 0x10fff), 3);

	/* DMA: only the part on the marked page, after it was copied. */
	cw_n = 0;
	memset(buf, 0x5a, sizeof(buf));
	ck_assert_int_eq(mem_copy_to_guest(m, 0xff00, buf, sizeof(buf)), 0);
	ck_assert_int_eq(cw_n, 1);
	ck_assert_uint_eq(cw_addr[0], 0x10000);
	ck_assert_uint_eq(cw_len[0], 0x100);

	/* A20 off: 110005h is 10005h. */
	cw_n = 0;
	mem_set_a20(m, false);
	mem_write8(m, 0x110005, 6);
	ck_assert_int_eq(cw_n, 1);
	ck_assert_uint_eq(cw_addr[0], 0x10005);
	mem_set_a20(m, true);

	cw_n = 0;
	mem_code_unmark(m, 0x10000);
	mem_write8(m, 0x10005, 7);
	ck_assert_int_eq(cw_n, 0);
	mem_free(m);
}
END_TEST

/* 16-bit code at 1000:0100: L: mov bx, 1111h; inc si; jmp L. */
static const uint8_t patch_loop[] = { 0xbb, 0x11, 0x11, 0x46, 0xeb, 0xfa };

/* Blocks are dropped when a device (DMA) or another path of hw/memory writes
 * their bytes between two runs, with no set_state in between. */
START_TEST(device_write_drops_cached_block)
{
	struct eng e;
	struct x86_state st;
	static const uint8_t imm[2] = { 0x22, 0x22 };

	eng_start(&e, &accel_tcg_lite_ops);
	for (unsigned k = 0; k < sizeof(patch_loop); k++)
		mem_write8(e.m.mem, 0x10100 + k, patch_loop[k]);
	ck_assert_int_eq(e.ops->run(e.v, 5000), ACCEL_EXIT_BUDGET);
	e.ops->get_state(e.v, &st);
	ck_assert_uint_eq(st.gpr[X86_RBX] & 0xffff, 0x1111);
	ck_assert_uint_gt(st.gpr[X86_RSI] & 0xffff, 50);

	ck_assert_int_eq(mem_copy_to_guest(e.m.mem, 0x10101, imm, sizeof(imm)), 0);
	ck_assert_int_eq(e.ops->run(e.v, 5000), ACCEL_EXIT_BUDGET);
	e.ops->get_state(e.v, &st);
	ck_assert_uint_eq(st.gpr[X86_RBX] & 0xffff, 0x2222);

	mem_write16(e.m.mem, 0x10101, 0x3333);
	ck_assert_int_eq(e.ops->run(e.v, 5000), ACCEL_EXIT_BUDGET);
	e.ops->get_state(e.v, &st);
	ck_assert_uint_eq(st.gpr[X86_RBX] & 0xffff, 0x3333);
	eng_stop(&e);
}
END_TEST

START_TEST(decode_matches_8088) { check_model("8088", 0); }
END_TEST

START_TEST(decode_matches_80286) { check_model("80286", 0); }
END_TEST

START_TEST(decode_matches_80386) { check_model("80386", 0); check_model("80386", 1); }
END_TEST

START_TEST(decode_matches_pentium2) { check_model("pentium2", 1); }
END_TEST

Suite *tcg_lite_suite(void)
{
	Suite *s = suite_create("tcg_lite");
	TCase *tc = tcase_create("decode");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, decode_matches_8088);
	tcase_add_test(tc, decode_matches_80286);
	tcase_add_test(tc, decode_matches_80386);
	tcase_add_test(tc, decode_matches_pentium2);
	tcase_add_test(tc, block_loop_matches_interp);
	tcase_add_test(tc, mem_code_watch_reports_writes);
	tcase_add_test(tc, device_write_drops_cached_block);
	suite_add_tcase(s, tc);
	return s;
}

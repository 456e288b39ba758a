/* Unit tests for tcg-lite's decoder (cpu/x86-interp/x86i_block.c): on random
 * instruction bytes and registers it must give what x86i_decode gives (every
 * struct insn field, IP, clocks, the 8086's last EA), or decline where
 * x86i_decode faults or fetches past the buffer. */
#include <check.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

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
	suite_add_tcase(s, tc);
	return s;
}

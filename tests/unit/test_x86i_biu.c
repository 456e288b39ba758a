/* The 8086/8088 bus model (cpu/x86-interp/x86i_biu.h): the microcode loop
 * clocks against the real CPU's bus traces, REP string iterations, the
 * similar-form fallback and the replay memo. */
#include <check.h>
#include <stdlib.h>

#include "cpu/x86-interp/x86i_biu.h"

/* Register forms of the SingleStepTests 8086 set (real 80C86): operands
 * and the clocks from the ModRM byte leaving the queue to the next
 * instruction's first byte, which is the routine's clocks plus a constant
 * per opcode (2 for F6/F7, 5 for AAM, 6 for AAD). */
START_TEST(mul_div_loops_match_traces)
{
	int ovf;

	ck_assert_int_eq(x86i_biu_mul_clocks(0x0b, 0xc7, 8, 0, 0) + 2, 71);	/* mul bl */
	ck_assert_int_eq(x86i_biu_mul_clocks(0x7c, 0x64, 8, 0, 0) + 2, 73);
	ck_assert_int_eq(x86i_biu_mul_clocks(0x74, 0x75, 8, 0, 0) + 2, 72);
	ck_assert_int_eq(x86i_biu_mul_clocks(0x33, 0xef, 8, 1, 0) + 2, 93);	/* imul */
	ck_assert_int_eq(x86i_biu_mul_clocks(0x0c, 0x0c, 8, 1, 0) + 2, 80);
	ck_assert_int_eq(x86i_biu_mul_clocks(0x3c, 0x7f, 8, 1, 0) + 2, 82);
	ck_assert_int_eq(x86i_biu_div_clocks(0x0233acd5, 0x9bb9, 16, 0, 0, &ovf) + 2, 146);
	ck_assert_int_eq(ovf, 0);
	ck_assert_int_eq(x86i_biu_div_clocks(0x0ff61e50, 0xff5b, 16, 0, 0, &ovf) + 2, 144);
	ck_assert_int_eq(x86i_biu_div_clocks(0x28dd29d1, 0x6a7f, 16, 0, 0, &ovf) + 2, 153);
	ck_assert_int_eq(x86i_biu_div_clocks(0xf22a, 0xca, 8, 1, 0, &ovf) + 2, 107);	/* idiv */
	ck_assert_int_eq(x86i_biu_div_clocks(0x0c98, 0x98, 8, 1, 0, &ovf) + 2, 106);
	ck_assert_int_eq(x86i_biu_div_clocks(0x23d4, 0xb8, 8, 1, 0, &ovf) + 2, 108);
	ck_assert_int_eq(x86i_biu_div_clocks(0x4d29, 0xb30a, 16, 1, 0, &ovf) + 2, 166);
	ck_assert_int_eq(x86i_biu_div_clocks(0x08f54473, 0xc0ac, 16, 1, 0, &ovf) + 2, 169);
	ck_assert_int_eq(x86i_biu_div_clocks(0xea6924d3, 0x4e31, 16, 1, 0, &ovf) + 2, 179);
	ck_assert_int_eq(x86i_biu_aam_clocks(0x0e, 0x10) + 5, 75);
	ck_assert_int_eq(x86i_biu_aam_clocks(0x98, 0xc6) + 5, 75);
	ck_assert_int_eq(x86i_biu_aad_clocks(0x2e, 0x68) + 6, 60);
	ck_assert_int_eq(x86i_biu_aad_clocks(0x74, 0xeb) + 6, 63);
	ck_assert_int_eq(x86i_biu_aad_clocks(0x8a, 0x9e) + 6, 62);
	/* A quotient too big: the divide error comes out of the loop early. */
	x86i_biu_div_clocks(0x1234, 0x12, 8, 0, 0, &ovf);
	ck_assert_int_eq(ovf, 1);
}
END_TEST

static struct x86i_biu *new_biu(unsigned qsize, unsigned fetch, struct x86_biu_state *out)
{
	struct x86i_biu *b = malloc(sizeof(*b));

	ck_assert_ptr_nonnull(b);
	x86i_biu_init(b, qsize, fetch, out);
	return b;
}

/* REP STOSB from a full queue on the 8086: as the traces show it, the
 * first store 12 clocks after the opcode, the next ones every 10, the
 * hand-over 7 after the last: 2 + 12 + 10 (n - 1) + 7 with the prefix. */
static int rep_stosb(struct x86i_biu *b, uint16_t n)
{
	struct x86i_biu_insn in = {
		.op = 0xaa, .modrm = -1, .nprefix = 1, .len = 2, .next_ip = 0x102, .rep = 1,
	};

	x86i_biu_reset(b, 0x100);
	x86i_biu_begin(b, 0, n, 0, 0);
	for (unsigned k = 0; k < n; k++)
		x86i_biu_note(b, 'W', 0x200 + k, 1);
	ck_assert(x86i_biu_is_rep_loop(b, in.op, in.rep));
	return x86i_biu_end_rep(b, &in);
}

/* REP MOVSW on the 8088: four byte cycles per iteration, in contention
 * with the prefetches. */
static int rep_movsw(struct x86i_biu *b, uint16_t n)
{
	struct x86i_biu_insn in = {
		.op = 0xa5, .modrm = -1, .nprefix = 1, .len = 2, .next_ip = 0x102, .rep = 1,
	};

	x86i_biu_reset(b, 0x100);
	x86i_biu_begin(b, 0, n, 0, 0);
	for (unsigned k = 0; k < n; k++) {
		x86i_biu_note(b, 'R', 0x200 + 2 * k, 2);
		x86i_biu_note(b, 'W', 0x400 + 2 * k, 2);
	}
	return x86i_biu_end_rep(b, &in);
}

START_TEST(rep_string_repeats_iteration)
{
	struct x86_biu_state out;
	struct x86i_biu *b = new_biu(6, 2, &out);
	int period;

	ck_assert_int_eq(rep_stosb(b, 1), 2 + 12 + 7);
	ck_assert_int_eq(rep_stosb(b, 5), 2 + 12 + 4 * 10 + 7);
	ck_assert_int_eq(rep_stosb(b, 1000), 2 + 12 + 999 * 10 + 7);
	free(b);
	/* Long loops skip the iterations that repeat the BIU state: the
	 * same clocks as the short ones, iteration by iteration. */
	b = new_biu(4, 1, &out);
	period = rep_movsw(b, 21) - rep_movsw(b, 20);
	ck_assert_int_ge(period, 17);
	ck_assert_int_eq(rep_movsw(b, 22) - rep_movsw(b, 21), period);
	ck_assert_int_eq(rep_movsw(b, 60000) - rep_movsw(b, 20), 59980 * period);
	free(b);
}
END_TEST

/* ADD r16, r16 (01 /r, register form) from a full queue. */
static int add_rr(struct x86i_biu *b, unsigned nprefix)
{
	struct x86i_biu_insn in = {
		.op = 0x01, .modrm = 0xc3, .nprefix = nprefix, .len = nprefix + 2,
		.next_ip = 0x100 + nprefix + 2,
	};

	x86i_biu_reset(b, 0x100);
	x86i_biu_begin(b, 0, 0, 0, 0);
	return x86i_biu_end(b, &in);
}

/* Six segment prefixes are in no trace: the form with fewer stands in,
 * each prefix 2 clocks more. */
START_TEST(missing_form_uses_similar)
{
	struct x86_biu_state out;
	struct x86i_biu *b = new_biu(6, 2, &out);
	int one = add_rr(b, 1);

	ck_assert_int_gt(one, 0);
	ck_assert_int_eq(add_rr(b, 6), one + 5 * 2);
	free(b);
}
END_TEST

/* The memo gives what a fresh model (empty memo) replays, clocks and the
 * state it leaves, along a sequence that carries state across. */
START_TEST(memo_matches_replay)
{
	struct x86_biu_state out1, out2;
	struct x86i_biu *a = new_biu(4, 1, &out1);
	struct x86i_biu *b = new_biu(4, 1, &out2);
	static const uint8_t modrm[] = { 0xc3, 0x07, 0x47, 0xc3, 0x87 };

	for (int pass = 0; pass < 3; pass++) {
		x86i_biu_init(b, 4, 1, &out2);	/* forget b's memo every pass */
		x86i_biu_reset(a, 0x100);
		x86i_biu_reset(b, 0x100);
		for (unsigned k = 0; k < sizeof(modrm); k++) {
			unsigned disp = modrm[k] >> 6 == 1 ? 1 : modrm[k] >> 6 == 2 ? 2 : 0;
			struct x86i_biu_insn in = {
				.op = 0x01, .modrm = modrm[k], .len = 2 + disp,
				.next_ip = 0x100 + 4 * k,
			};
			int ra, rb;

			x86i_biu_begin(a, 0, 0, 0, 0);
			x86i_biu_begin(b, 0, 0, 0, 0);
			if (modrm[k] < 0xc0) {
				x86i_biu_note(a, 'R', 0x300, 2);
				x86i_biu_note(a, 'W', 0x300, 2);
				x86i_biu_note(b, 'R', 0x300, 2);
				x86i_biu_note(b, 'W', 0x300, 2);
			}
			ra = x86i_biu_end(a, &in);
			rb = x86i_biu_end(b, &in);
			ck_assert_int_eq(ra, rb);
			ck_assert_int_gt(ra, 0);
			ck_assert_uint_eq(a->st, b->st);
			ck_assert_int_eq(out1.q, out2.q);
			ck_assert_int_eq(out1.sched, out2.sched);
		}
	}
	free(a);
	free(b);
}
END_TEST

Suite *x86i_biu_suite(void)
{
	Suite *s = suite_create("x86i_biu");
	TCase *tc = tcase_create("model");

	tcase_add_test(tc, mul_div_loops_match_traces);
	tcase_add_test(tc, rep_string_repeats_iteration);
	tcase_add_test(tc, missing_form_uses_similar);
	tcase_add_test(tc, memo_matches_replay);
	suite_add_tcase(s, tc);
	return s;
}

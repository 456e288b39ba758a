/* The x87 library (cpu/x87): known results for arithmetic under every
 * rounding mode and precision, exception flags and masked responses,
 * stack faults, BCD, FPREM/FPREM1 quotient bits, compares, FXAM, memory
 * image layouts byte by byte, transcendental tables, and a randomized
 * differential test against the host's x87 on x86-64. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/x87/x87.h"
#include "tests/unit/test_x87_host.h"

#define CR0_NE (1u << 5)

static const struct x87_ctx ctx32 = { .cr0 = CR0_NE | 2, .op32 = 1, .pmode = 1 };

static int run(struct x87 *f, uint8_t esc, uint8_t modrm, const void *in, void *out,
	       struct x87_result *res)
{
	struct x87_op op;
	struct x87_result r;
	static const uint8_t zero[512];

	x87_decode(esc, modrm, &op);
	return x87_exec(f, &op, &ctx32, in ? in : zero, out, res ? res : &r);
}

static struct x87_f80 f80(uint16_t se, uint64_t m)
{
	struct x87_f80 v = { m, se };
	return v;
}

/* ST(i) of f. */
static struct x87_f80 sti(const struct x87 *f, unsigned i)
{
	return f->st[((f->sw >> 11) + i) & 7];
}

static void push80(struct x87 *f, struct x87_f80 v)
{
	uint8_t b[10];

	x87_f80_put(b, v);
	ck_assert_int_eq(run(f, 0xdb, 0x28, b, NULL, NULL), X87_OK);	/* FLD m80 */
}

static void push_d(struct x87 *f, double d)
{
	uint8_t b[8];

	memcpy(b, &d, 8);
	ck_assert_int_eq(run(f, 0xdd, 0x00, b, NULL, NULL), X87_OK);	/* FLD m64 */
}

static double pop_d(struct x87 *f)
{
	uint8_t b[8];
	double d;

	ck_assert_int_eq(run(f, 0xdd, 0x18, NULL, b, NULL), X87_OK);	/* FSTP m64 */
	memcpy(&d, b, 8);
	return d;
}

static void set_cw(struct x87 *f, uint16_t cw)
{
	uint8_t b[2] = { (uint8_t)cw, (uint8_t)(cw >> 8) };

	ck_assert_int_eq(run(f, 0xd9, 0x28, b, NULL, NULL), X87_OK);	/* FLDCW */
}

#define ck_f80(v, se_, m_)							\
	do {									\
		struct x87_f80 v_ = (v);					\
		ck_assert_msg(v_.se == (se_) && v_.m == (m_),			\
			      "got %04x:%016llx want %04x:%016llx", v_.se,	\
			      (unsigned long long)v_.m, (unsigned)(se_),	\
			      (unsigned long long)(m_));			\
	} while (0)

#define ONE 0x8000000000000000ull

/* ---- known results ---- */

START_TEST(init_state)
{
	struct x87 f;

	x87_init(&f, X87_387, 0);
	ck_assert_uint_eq(f.cw, 0x037f);
	ck_assert_uint_eq(f.sw, 0);
	ck_assert_uint_eq(x87_tag_word(&f), 0xffff);
	x87_init(&f, X87_8087, 0);
	ck_assert_uint_eq(f.cw, 0x03ff);
}
END_TEST

/* 1/3 in each precision and rounding mode: exact bit patterns. */
START_TEST(div_rounding)
{
	static const struct {
		uint16_t pc_rc;
		uint64_t m;
		int c1;
	} t[] = {
		{ 0x300, 0xAAAAAAAAAAAAAAABull, 1 },	/* 64 bits, nearest: up */
		{ 0x700, 0xAAAAAAAAAAAAAAAAull, 0 },	/* down */
		{ 0xb00, 0xAAAAAAAAAAAAAAABull, 1 },	/* up */
		{ 0xf00, 0xAAAAAAAAAAAAAAAAull, 0 },	/* zero */
		{ 0x200, 0xAAAAAAAAAAAAA800ull, 0 },	/* 53 bits, nearest */
		{ 0xa00, 0xAAAAAAAAAAAAB000ull, 1 },	/* 53 bits, up */
		{ 0x000, 0xAAAAAB0000000000ull, 1 },	/* 24 bits, nearest */
		{ 0xc00, 0xAAAAAA0000000000ull, 0 },	/* 24 bits, zero */
	};
	struct x87 f;

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		x87_init(&f, X87_387, 0);
		set_cw(&f, (uint16_t)(0x3f | t[i].pc_rc));
		push_d(&f, 3.0);
		push_d(&f, 1.0);
		run(&f, 0xd8, 0xf1, NULL, NULL, NULL);	/* FDIV ST, ST(1) */
		ck_f80(sti(&f, 0), 0x3ffd, t[i].m);
		ck_assert_uint_eq(f.sw & 0x3f, 0x20);
		ck_assert_int_eq(!!(f.sw & X87_SW_C1), t[i].c1);
	}
}
END_TEST

/* Negative results round toward the other infinity. */
START_TEST(neg_rounding)
{
	struct x87 f;

	x87_init(&f, X87_387, 0);
	set_cw(&f, 0x073f);			/* down */
	push_d(&f, -3.0);
	push_d(&f, 1.0);
	run(&f, 0xd8, 0xf1, NULL, NULL, NULL);
	ck_f80(sti(&f, 0), 0xbffd, 0xAAAAAAAAAAAAAAABull);
	/* x - x = -0 only when rounding down. */
	push_d(&f, 5.0);
	run(&f, 0xd8, 0xe0, NULL, NULL, NULL);	/* FSUB ST, ST(0) */
	ck_f80(sti(&f, 0), 0x8000, 0);
	set_cw(&f, 0x037f);
	push_d(&f, 5.0);
	run(&f, 0xd8, 0xe0, NULL, NULL, NULL);
	ck_f80(sti(&f, 0), 0x0000, 0);
}
END_TEST

START_TEST(exceptions_masked)
{
	struct x87 f;

	x87_init(&f, X87_387, 0);
	/* 1/0: ZE, +inf */
	push_d(&f, 0.0);
	push_d(&f, 1.0);
	run(&f, 0xd8, 0xf1, NULL, NULL, NULL);
	ck_f80(sti(&f, 0), 0x7fff, ONE);
	ck_assert_uint_eq(f.sw & 0x3f, X87_SW_ZE);
	/* 0/0: IE, indefinite */
	x87_init(&f, X87_387, 0);
	push_d(&f, 0.0);
	push_d(&f, 0.0);
	run(&f, 0xd8, 0xf1, NULL, NULL, NULL);
	ck_f80(sti(&f, 0), 0xffff, 0xC000000000000000ull);
	ck_assert_uint_eq(f.sw & 0x3f, X87_SW_IE);
	/* sqrt(-1): IE */
	x87_init(&f, X87_387, 0);
	push_d(&f, -1.0);
	run(&f, 0xd9, 0xfa, NULL, NULL, NULL);
	ck_f80(sti(&f, 0), 0xffff, 0xC000000000000000ull);
	/* overflow: max * 2 -> inf with OE PE, C1 set (rounded up) */
	x87_init(&f, X87_387, 0);
	push80(&f, f80(0x7ffe, ~0ull));
	push80(&f, f80(0x7ffe, ~0ull));
	run(&f, 0xd8, 0xc1, NULL, NULL, NULL);
	ck_f80(sti(&f, 0), 0x7fff, ONE);
	ck_assert_uint_eq(f.sw & 0x3f, X87_SW_OE | X87_SW_PE);
	ck_assert(f.sw & X87_SW_C1);
	/* the same rounding toward zero gives the largest finite value */
	x87_init(&f, X87_387, 0);
	set_cw(&f, 0x0f7f);
	push80(&f, f80(0x7ffe, ~0ull));
	push80(&f, f80(0x7ffe, ~0ull));
	run(&f, 0xd8, 0xc1, NULL, NULL, NULL);
	ck_f80(sti(&f, 0), 0x7ffe, ~0ull);
	ck_assert(!(f.sw & X87_SW_C1));
	/* underflow: smallest normal / 3 -> denormal, UE PE */
	x87_init(&f, X87_387, 0);
	push_d(&f, 4.0);
	push80(&f, f80(0x0001, ONE));
	run(&f, 0xd8, 0xf1, NULL, NULL, NULL);
	ck_f80(sti(&f, 0), 0x0000, 0x2000000000000000ull);
	ck_assert_uint_eq(f.sw & 0x3f, 0);	/* exact: no UE when masked */
	run(&f, 0xd8, 0xf1, NULL, NULL, NULL);	/* /4 again: still exact */
	push_d(&f, 3.0);
	run(&f, 0xd9, 0xc9, NULL, NULL, NULL);	/* FXCH */
	run(&f, 0xd8, 0xf1, NULL, NULL, NULL);	/* denormal / 3 */
	ck_assert_uint_eq(f.sw & 0x3f, X87_SW_UE | X87_SW_PE | X87_SW_DE);
}
END_TEST

START_TEST(exceptions_unmasked)
{
	struct x87 f;
	struct x87_result res;

	x87_init(&f, X87_387, 0);
	set_cw(&f, 0x037b);			/* ZE unmasked */
	push_d(&f, 0.0);
	push_d(&f, 1.0);
	run(&f, 0xd8, 0xf1, NULL, NULL, &res);
	ck_assert(res.pending);
	ck_assert(f.sw & X87_SW_ES);
	ck_assert(f.sw & X87_SW_B);
	ck_f80(sti(&f, 0), 0x3fff, ONE);	/* destination unchanged */
	/* the next waiting instruction reports #MF, FNSTSW does not */
	ck_assert_int_eq(run(&f, 0xd9, 0xe8, NULL, NULL, NULL), X87_MF);
	uint8_t sw[2];
	ck_assert_int_eq(run(&f, 0xdd, 0x38, NULL, sw, &res), X87_OK);
	ck_assert(res.store);
	ck_assert_uint_eq(sw[0] | sw[1] << 8, f.sw);
	ck_assert_int_eq(run(&f, 0xdb, 0xe2, NULL, NULL, NULL), X87_OK);	/* FNCLEX */
	ck_assert(!x87_pending(&f));
	/* unmasked overflow: result delivered with exponent - 24576 */
	x87_init(&f, X87_387, 0);
	set_cw(&f, 0x0377);
	push80(&f, f80(0x7ffe, ONE));
	push80(&f, f80(0x7ffe, ONE));
	run(&f, 0xd8, 0xc9, NULL, NULL, &res);	/* FMUL: 2^32767 */
	ck_assert(res.pending);
	/* 2^32766 has biased exponent 49149; 49149 - 24576 = 0x5ffd */
	ck_f80(sti(&f, 0), 0x5ffd, ONE);
	ck_assert_uint_eq(f.sw & 0x3f, X87_SW_OE);
}
END_TEST

START_TEST(cr0_and_models)
{
	struct x87 f;
	struct x87_op op;
	struct x87_result res;
	struct x87_ctx c = ctx32;

	x87_init(&f, X87_387, 0);
	x87_decode(0xd9, 0xe8, &op);
	c.cr0 = 4;				/* EM */
	ck_assert_int_eq(x87_exec(&f, &op, &c, NULL, NULL, &res), X87_NM);
	c.cr0 = 8;				/* TS */
	ck_assert_int_eq(x87_exec(&f, &op, &c, NULL, NULL, &res), X87_NM);
	c.cr0 = 8;
	ck_assert_int_eq(x87_wait(&f, &c), X87_OK);
	c.cr0 = 8 | 2;				/* TS+MP: WAIT faults too */
	ck_assert_int_eq(x87_wait(&f, &c), X87_NM);
	x87_decode(0xd9, 0xd1, &op);
	ck_assert(op.undefined);
	ck_assert_int_eq(x87_exec(&f, &op, &ctx32, NULL, NULL, &res), X87_UD);
	/* FCOMI needs the P6 feature, FSIN the 387 */
	ck_assert_int_eq(run(&f, 0xdb, 0xf1, NULL, NULL, NULL), X87_UD);
	x87_init(&f, X87_287, 0);
	ck_assert_int_eq(run(&f, 0xd9, 0xfe, NULL, NULL, NULL), X87_UD);
	ck_assert_int_eq(run(&f, 0xd9, 0xf5, NULL, NULL, NULL), X87_UD);
	x87_init(&f, X87_NONE, 0);
	ck_assert_int_eq(run(&f, 0xd9, 0xe8, NULL, NULL, NULL), X87_NOFPU);
	/* 287 projective infinity: inf + inf is invalid, affine it is inf */
	x87_init(&f, X87_287, 0);
	push80(&f, f80(0x7fff, ONE));
	push80(&f, f80(0x7fff, ONE));
	run(&f, 0xd8, 0xc1, NULL, NULL, NULL);
	ck_assert(f.sw & X87_SW_IE);
	x87_init(&f, X87_287, 0);
	set_cw(&f, 0x137f);
	push80(&f, f80(0x7fff, ONE));
	push80(&f, f80(0x7fff, ONE));
	run(&f, 0xd8, 0xc1, NULL, NULL, NULL);
	ck_assert(!(f.sw & X87_SW_IE));
	/* 387 ignores IC */
	x87_init(&f, X87_387, 0);
	push80(&f, f80(0x7fff, ONE));
	push80(&f, f80(0x7fff, ONE));
	run(&f, 0xd8, 0xc1, NULL, NULL, NULL);
	ck_assert(!(f.sw & X87_SW_IE));
}
END_TEST

START_TEST(decode_kinds)
{
	static const struct {
		uint8_t esc, modrm, kind, dir, nowait;
		unsigned s16, s32;
	} t[] = {
		{ 0xd8, 0x06, X87_M_FP32, X87_LOAD, 0, 4, 4 },
		{ 0xdc, 0x06, X87_M_FP64, X87_LOAD, 0, 8, 8 },
		{ 0xda, 0x06, X87_M_INT32, X87_LOAD, 0, 4, 4 },
		{ 0xde, 0x3e, X87_M_INT16, X87_LOAD, 0, 2, 2 },
		{ 0xdf, 0x2e, X87_M_INT64, X87_LOAD, 0, 8, 8 },
		{ 0xdf, 0x3e, X87_M_INT64, X87_STORE, 0, 8, 8 },
		{ 0xdb, 0x2e, X87_M_FP80, X87_LOAD, 0, 10, 10 },
		{ 0xdb, 0x3e, X87_M_FP80, X87_STORE, 0, 10, 10 },
		{ 0xdf, 0x26, X87_M_BCD80, X87_LOAD, 0, 10, 10 },
		{ 0xdf, 0x36, X87_M_BCD80, X87_STORE, 0, 10, 10 },
		{ 0xd9, 0x26, X87_M_ENV, X87_LOAD, 0, 14, 28 },
		{ 0xd9, 0x36, X87_M_ENV, X87_STORE, 1, 14, 28 },
		{ 0xd9, 0x2e, X87_M_WORD, X87_LOAD, 0, 2, 2 },
		{ 0xd9, 0x3e, X87_M_WORD, X87_STORE, 1, 2, 2 },
		{ 0xdd, 0x26, X87_M_STATE, X87_LOAD, 0, 94, 108 },
		{ 0xdd, 0x36, X87_M_STATE, X87_STORE, 1, 94, 108 },
		{ 0xdd, 0x3e, X87_M_WORD, X87_STORE, 1, 2, 2 },
	};
	struct x87_op op;

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		x87_decode(t[i].esc, t[i].modrm, &op);
		ck_assert(op.mem);
		ck_assert_uint_eq(op.kind, t[i].kind);
		ck_assert_uint_eq(op.dir, t[i].dir);
		ck_assert_uint_eq(op.nowait, t[i].nowait);
		ck_assert_uint_eq(x87_mem_size(op.kind, false), t[i].s16);
		ck_assert_uint_eq(x87_mem_size(op.kind, true), t[i].s32);
	}
	x87_decode(0xdb, 0xe3, &op);		/* FNINIT */
	ck_assert(!op.mem && op.nowait && op.control);
	x87_decode(0xdf, 0xe0, &op);		/* FNSTSW AX */
	ck_assert(!op.mem && op.nowait);
	x87_decode(0xd9, 0x0e, &op);		/* D9 /1: reserved */
	ck_assert(op.undefined);
	x87_decode(0xdd, 0xf0, &op);
	ck_assert(op.undefined);
}
END_TEST

START_TEST(stack_faults)
{
	struct x87 f;
	uint8_t b[8];

	x87_init(&f, X87_387, 0);
	/* underflow: FADD with an empty ST(1), masked -> indefinite, C1=0 */
	push_d(&f, 1.0);
	run(&f, 0xd8, 0xc1, NULL, NULL, NULL);
	ck_assert_uint_eq(f.sw & 0x7f, X87_SW_IE | X87_SW_SF);
	ck_assert(!(f.sw & X87_SW_C1));
	ck_f80(sti(&f, 0), 0xffff, 0xC000000000000000ull);
	/* overflow: 9th push, C1=1, indefinite pushed */
	x87_init(&f, X87_387, 0);
	for (int i = 0; i < 8; i++)
		push_d(&f, i);
	ck_assert_uint_eq(f.sw & 0x7f, 0);
	push_d(&f, 8.0);
	ck_assert_uint_eq(f.sw & 0x7f, X87_SW_IE | X87_SW_SF);
	ck_assert(f.sw & X87_SW_C1);
	ck_f80(sti(&f, 0), 0xffff, 0xC000000000000000ull);
	ck_assert_uint_eq((f.sw >> 11) & 7, 7);		/* pushed over R7 */
	/* unmasked underflow: nothing changes and nothing is stored */
	x87_init(&f, X87_387, 0);
	set_cw(&f, 0x037e);
	struct x87_result res;
	run(&f, 0xdd, 0x18, NULL, b, &res);	/* FSTP m64 from empty */
	ck_assert(!res.store);
	ck_assert(res.pending);
	ck_assert_uint_eq((f.sw >> 11) & 7, 0);
	/* masked: stores the QNaN indefinite and pops */
	x87_init(&f, X87_387, 0);
	run(&f, 0xdd, 0x18, NULL, b, &res);
	ck_assert(res.store);
	uint64_t v;
	memcpy(&v, b, 8);
	ck_assert_uint_eq(v, 0xfff8000000000000ull);
	ck_assert_uint_eq((f.sw >> 11) & 7, 1);
}
END_TEST

START_TEST(integers_and_bcd)
{
	struct x87 f;
	uint8_t b[10];
	static const struct {
		double v;
		uint16_t rc;
		int32_t want;
	} t[] = {
		{ 2.5, 0x000, 2 }, { 3.5, 0x000, 4 }, { -2.5, 0x000, -2 },
		{ 2.5, 0x400, 2 }, { -2.5, 0x400, -3 }, { 2.1, 0x800, 3 },
		{ -2.9, 0xc00, -2 }, { 2147483647.0, 0, 2147483647 },
		{ -2147483648.0, 0, (int32_t)0x80000000 },
	};

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		x87_init(&f, X87_387, 0);
		set_cw(&f, (uint16_t)(0x37f | t[i].rc));
		push_d(&f, t[i].v);
		run(&f, 0xdb, 0x18, NULL, b, NULL);	/* FISTP m32 */
		int32_t got;
		memcpy(&got, b, 4);
		ck_assert_int_eq(got, t[i].want);
	}
	/* out of range: IE and the integer indefinite */
	x87_init(&f, X87_387, 0);
	push_d(&f, 40000.0);
	run(&f, 0xdf, 0x18, NULL, b, NULL);		/* FISTP m16 */
	ck_assert_uint_eq(b[0] | b[1] << 8, 0x8000);
	ck_assert_uint_eq(f.sw & 0x3f, X87_SW_IE);
	/* FILD m64 of INT64_MIN, exact */
	x87_init(&f, X87_387, 0);
	int64_t big = INT64_MIN;
	run(&f, 0xdf, 0x28, &big, NULL, NULL);
	ck_f80(sti(&f, 0), 0xc03e, ONE);
	/* BCD round trip of 18 digits and sign */
	static const uint8_t bcd[10] = { 0x89, 0x67, 0x45, 0x23, 0x01, 0x89, 0x67, 0x45, 0x23,
					 0x80 };
	x87_init(&f, X87_387, 0);
	run(&f, 0xdf, 0x20, bcd, NULL, NULL);		/* FBLD */
	ck_assert_int_eq(pop_d(&f), -234567890123456789.0);
	run(&f, 0xdf, 0x20, bcd, NULL, NULL);
	run(&f, 0xdf, 0x30, NULL, b, NULL);		/* FBSTP */
	ck_assert_mem_eq(b, bcd, 10);
	/* 10^18 does not fit: BCD indefinite */
	push_d(&f, 1e18);
	run(&f, 0xdf, 0x30, NULL, b, NULL);
	static const uint8_t indef[10] = { 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff };
	ck_assert_mem_eq(b, indef, 10);
	/* 2.5 rounds to even: 2, PE */
	x87_init(&f, X87_387, 0);
	push_d(&f, 2.5);
	run(&f, 0xdf, 0x30, NULL, b, NULL);
	ck_assert_uint_eq(b[0], 2);
	ck_assert_uint_eq(f.sw & 0x3f, X87_SW_PE);
}
END_TEST

START_TEST(fprem_quotient)
{
	struct x87 f;
	static const struct {
		double a, b;
		int near;
		double r;
		unsigned q;
	} t[] = {
		{ 17.0, 3.0, 0, 2.0, 5 },	/* 17 = 5*3 + 2 */
		{ 17.0, 3.0, 1, -1.0, 6 },	/* 17 = 6*3 - 1 */
		{ -17.0, 3.0, 0, -2.0, 5 },
		{ 7.5, 1.0, 1, -0.5, 0 },	/* tie: quotient 8 is even */
		{ 6.5, 1.0, 1, 0.5, 6 },
		{ 1.0, 3.0, 0, 1.0, 0 },
		{ 2.0, 3.0, 1, -1.0, 1 },
	};

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		x87_init(&f, X87_387, 0);
		push_d(&f, t[i].b);
		push_d(&f, t[i].a);
		run(&f, 0xd9, t[i].near ? 0xf5 : 0xf8, NULL, NULL, NULL);
		unsigned q = (f.sw & X87_SW_C0 ? 4 : 0) | (f.sw & X87_SW_C3 ? 2 : 0) |
			     (f.sw & X87_SW_C1 ? 1 : 0);
		ck_assert_msg(q == (t[i].q & 7), "case %u q=%u", i, q);
		ck_assert(!(f.sw & X87_SW_C2));
		ck_assert(pop_d(&f) == t[i].r);
	}
	/* a huge exponent difference takes several partial steps (C2) */
	x87_init(&f, X87_387, 0);
	push_d(&f, 3.0);
	push_d(&f, 1e300);
	int steps = 0;
	do {
		run(&f, 0xd9, 0xf8, NULL, NULL, NULL);
		steps++;
	} while ((f.sw & X87_SW_C2) && steps < 100);
	ck_assert_int_gt(steps, 1);
	ck_assert(!(f.sw & X87_SW_C2));
	ck_assert(pop_d(&f) == fmod(1e300, 3.0));
}
END_TEST

START_TEST(compares_and_fxam)
{
	struct x87 f;
	struct x87_result res;
	const uint16_t CC = X87_SW_C0 | X87_SW_C2 | X87_SW_C3;

	x87_init(&f, X87_387, X87_FEAT_P6);
	push_d(&f, 2.0);
	push_d(&f, 1.0);
	run(&f, 0xd8, 0xd1, NULL, NULL, NULL);		/* FCOM ST(1): 1 < 2 */
	ck_assert_uint_eq(f.sw & CC, X87_SW_C0);
	run(&f, 0xdb, 0xf1, NULL, NULL, &res);		/* FCOMI */
	ck_assert_uint_eq(res.eflags, 1);
	ck_assert_uint_eq(res.eflags_mask & 0x8d5, 0x8d5);
	run(&f, 0xd9, 0xe4, NULL, NULL, NULL);		/* FTST: 1 > 0 */
	ck_assert_uint_eq(f.sw & CC, 0);
	/* QNaN: FUCOM is quiet, FCOM raises IE; both unordered */
	push80(&f, f80(0x7fff, 0xC000000000000001ull));
	run(&f, 0xdd, 0xe1, NULL, NULL, NULL);
	ck_assert_uint_eq(f.sw & CC, CC);
	ck_assert(!(f.sw & X87_SW_IE));
	run(&f, 0xd8, 0xd1, NULL, NULL, NULL);
	ck_assert(f.sw & X87_SW_IE);
	/* FXAM classes */
	static const struct {
		uint16_t se;
		uint64_t m;
		uint16_t cc;
	} t[] = {
		{ 0x3fff, ONE, X87_SW_C2 },
		{ 0x8000, 0, X87_SW_C3 | X87_SW_C1 },
		{ 0x7fff, ONE, X87_SW_C2 | X87_SW_C0 },
		{ 0xffff, 0xC000000000000000ull, X87_SW_C0 | X87_SW_C1 },
		{ 0x0000, 1, X87_SW_C3 | X87_SW_C2 },
		{ 0x3fff, 1, 0 },			/* unnormal: unsupported */
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		x87_init(&f, X87_387, 0);
		push80(&f, f80(t[i].se, t[i].m));
		run(&f, 0xd9, 0xe5, NULL, NULL, NULL);
		ck_assert_uint_eq(f.sw & (CC | X87_SW_C1), t[i].cc);
	}
	x87_init(&f, X87_387, 0);
	run(&f, 0xd9, 0xe5, NULL, NULL, NULL);		/* empty */
	ck_assert_uint_eq(f.sw & CC, X87_SW_C3 | X87_SW_C0);
}
END_TEST

/* Environment and state images in all four layouts. */
START_TEST(images)
{
	struct x87 f;
	struct x87_op op;
	struct x87_result res;
	uint8_t out[108];

	x87_init(&f, X87_387, 0);
	push_d(&f, 1.0);
	push_d(&f, 0.0);
	f.fcs = 0x1234;
	f.fip = 0x5678;
	f.fds = 0x2000;
	f.fdp = 0x0010;
	f.fop = 0x1ee;
	struct x87_ctx c = ctx32;
	/* 16-bit protected */
	c.op32 = 0;
	x87_decode(0xd9, 0x30, &op);
	x87_exec(&f, &op, &c, NULL, out, &res);
	static const uint8_t p16[14] = { 0x7f, 0x03, 0x00, 0x30, 0xff, 0x1f, 0x78, 0x56,
					 0x34, 0x12, 0x10, 0x00, 0x00, 0x20 };
	ck_assert_mem_eq(out, p16, 14);
	ck_assert_uint_eq(f.cw, 0x037f);	/* FNSTENV masked all (already) */
	/* 16-bit real: linear 0x179b8 and 0x20010 */
	c.pmode = 0;
	x87_exec(&f, &op, &c, NULL, out, &res);
	static const uint8_t r16[14] = { 0x7f, 0x03, 0x00, 0x30, 0xff, 0x1f, 0xb8, 0x79,
					 0xee, 0x11, 0x10, 0x00, 0x00, 0x20 };
	ck_assert_mem_eq(out, r16, 14);
	/* 32-bit protected */
	c.op32 = 1;
	c.pmode = 1;
	x87_exec(&f, &op, &c, NULL, out, &res);
	static const uint8_t p32[28] = {
		0x7f, 0x03, 0xff, 0xff, 0x00, 0x30, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff,
		0x78, 0x56, 0x00, 0x00, 0x34, 0x12, 0xee, 0x01, 0x10, 0x00, 0x00, 0x00,
		0x00, 0x20, 0xff, 0xff };
	ck_assert_mem_eq(out, p32, 28);
	/* 32-bit real */
	c.pmode = 0;
	x87_exec(&f, &op, &c, NULL, out, &res);
	static const uint8_t r32[28] = {
		0x7f, 0x03, 0xff, 0xff, 0x00, 0x30, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff,
		0xb8, 0x79, 0xff, 0xff, 0xee, 0x11, 0x00, 0x00, 0x10, 0x00, 0xff, 0xff,
		0x00, 0x20, 0x00, 0x00 };
	ck_assert_mem_eq(out, r32, 28);
	/* FNSAVE (16-bit real) then FRSTOR restores the same state */
	struct x87 g = f;
	x87_decode(0xdd, 0x30, &op);
	c.op32 = 0;
	x87_exec(&f, &op, &c, NULL, out, &res);
	ck_assert_uint_eq(f.sw, 0);		/* FNSAVE reinitialises */
	ck_assert_uint_eq(x87_tag_word(&f), 0xffff);
	ck_assert_uint_eq(out[14], 0);		/* ST(0) = +0 */
	ck_assert_uint_eq(out[14 + 10 + 7], 0x80);	/* ST(1) = 1.0 */
	ck_assert_uint_eq(out[14 + 10 + 9], 0x3f);
	x87_decode(0xdd, 0x20, &op);
	x87_exec(&f, &op, &c, out, NULL, &res);
	ck_assert_uint_eq(f.sw, g.sw);
	ck_assert_uint_eq(f.cw, g.cw);
	ck_assert_uint_eq(f.valid, g.valid);
	ck_assert_mem_eq(f.st, g.st, sizeof(f.st));
	/* FXSAVE image: abridged tag, registers at 32 + 16 * i */
	uint8_t fx[512];
	memset(fx, 0xaa, sizeof(fx));
	x87_to_fxsave(&g, fx);
	ck_assert_uint_eq(fx[0] | fx[1] << 8, 0x037f);
	ck_assert_uint_eq(fx[2] | fx[3] << 8, 0x3000);
	ck_assert_uint_eq(fx[4], 0xc0);
	ck_assert_uint_eq(fx[32 + 16 + 7], 0x80);
	ck_assert_uint_eq(fx[32 + 16 + 10], 0);
	ck_assert_uint_eq(fx[160], 0xaa);	/* XMM area untouched */
	x87_init(&f, X87_387, 0);
	x87_from_fxsave(&f, fx);
	ck_assert_mem_eq(f.st, g.st, sizeof(f.st));
	ck_assert_uint_eq(x87_tag_word(&f), 0x1fff);
}
END_TEST

/* FSTENV -> FLDENV -> FSTENV gives the same bytes in every layout, and
 * FLDENV recomputes ES from the loaded words. */
START_TEST(env_round_trip)
{
	for (int fmt = 0; fmt < 4; fmt++) {
		struct x87 f, g;
		struct x87_op st, ld;
		struct x87_result res;
		struct x87_ctx c = ctx32;
		uint8_t a[28], b[28];

		c.op32 = fmt & 1;
		c.pmode = fmt >> 1;
		x87_init(&f, X87_387, 0);
		push_d(&f, 2.0);
		f.cw = 0x0b7e;			/* IE unmasked ... */
		f.sw |= X87_SW_IE | X87_SW_ES | X87_SW_B;	/* ... and pending */
		f.fcs = 0x0123;
		f.fip = 0x4567;
		f.fds = 0x0089;
		f.fdp = 0xabcd;
		f.fop = 0x5d9;
		x87_decode(0xd9, 0x30, &st);
		x87_decode(0xd9, 0x20, &ld);
		x87_exec(&f, &st, &c, NULL, a, &res);
		x87_init(&g, X87_387, 0);
		memcpy(g.st, f.st, sizeof(g.st));	/* FLDENV loads no registers */
		x87_exec(&g, &ld, &c, a, NULL, &res);
		ck_assert(x87_pending(&g));
		ck_assert(res.pending);
		ck_assert_uint_eq(g.cw, 0x0b7e);
		ck_assert_uint_eq(g.valid, f.valid);
		x87_exec(&g, &st, &c, NULL, b, &res);
		ck_assert_mem_eq(a, b, c.op32 ? 28 : 14);
		/* FNSTENV masked everything afterwards */
		ck_assert_uint_eq(g.cw, 0x0b7f);
	}
}
END_TEST

/* 8087 and 287 specifics that live in the FPU. */
START_TEST(old_models)
{
	struct x87 f;

	x87_init(&f, X87_8087, 0);
	run(&f, 0xdb, 0xe0, NULL, NULL, NULL);		/* FENI clears IEM */
	ck_assert(!(f.cw & X87_CW_IEM));
	run(&f, 0xdb, 0xe1, NULL, NULL, NULL);		/* FDISI sets it */
	ck_assert(f.cw & X87_CW_IEM);
	ck_assert_int_eq(run(&f, 0xdf, 0xe0, NULL, NULL, NULL), X87_UD);	/* FSTSW AX */
	x87_init(&f, X87_387, 0);
	run(&f, 0xdb, 0xe1, NULL, NULL, NULL);		/* a no-op on the 387 */
	ck_assert_uint_eq(f.cw, 0x037f);
	/* unnormal operand: IE on the 387, an ordinary number on the 287 */
	static const enum x87_model m[2] = { X87_287, X87_387 };
	for (int i = 0; i < 2; i++) {
		x87_init(&f, m[i], 0);
		push80(&f, f80(0x3fff, 0x4000000000000000ull));	/* 0.5 unnormal */
		push_d(&f, 1.0);
		run(&f, 0xd8, 0xc1, NULL, NULL, NULL);
		if (m[i] == X87_387) {
			ck_assert(f.sw & X87_SW_IE);
			ck_f80(sti(&f, 0), 0xffff, 0xC000000000000000ull);
		} else {
			ck_assert(!(f.sw & X87_SW_IE));
			ck_assert(pop_d(&f) == 1.5);
		}
	}
	/* FSETPM is accepted on the 287 and ignored */
	x87_init(&f, X87_287, 0);
	ck_assert_int_eq(run(&f, 0xdb, 0xe4, NULL, NULL, NULL), X87_OK);
	ck_assert_uint_eq(f.cw, 0x037f);
}
END_TEST

/* Without CR0.NE a pending exception does not stop the next waiting
 * instruction (the glue signals FERR#/IRQ13 instead). */
START_TEST(pending_without_ne)
{
	struct x87 f;
	struct x87_op op;
	struct x87_result res;
	struct x87_ctx c = ctx32;

	c.cr0 = 0;
	x87_init(&f, X87_387, 0);
	set_cw(&f, 0x037e);
	x87_decode(0xd9, 0xe0, &op);			/* FCHS of an empty ST(0) */
	ck_assert_int_eq(x87_exec(&f, &op, &c, NULL, NULL, &res), X87_OK);
	ck_assert(res.pending);
	ck_assert_int_eq(x87_wait(&f, &c), X87_OK);
	x87_decode(0xd9, 0xe8, &op);			/* FLD1 runs */
	ck_assert_int_eq(x87_exec(&f, &op, &c, NULL, NULL, &res), X87_OK);
	ck_assert(res.pending);
	c.cr0 = CR0_NE;
	ck_assert_int_eq(x87_wait(&f, &c), X87_MF);
	/* instruction and operand pointers of the last non-control op */
	ck_assert_uint_eq(f.fop, 0x1e8);
	ck_assert_uint_eq(f.fip, 0);
}
END_TEST

/* Constants under each rounding mode (pi: ...C234C4C6 rounds up only
 * to nearest/up; log2(10): ...8AFE492B rounds up only upward). */
START_TEST(constants)
{
	static const struct {
		uint8_t modrm;
		uint16_t se;
		uint64_t rn, rd;
	} t[] = {
		{ 0xeb, 0x4000, 0xC90FDAA22168C235ull, 0xC90FDAA22168C234ull },
		{ 0xe9, 0x4000, 0xD49A784BCD1B8AFEull, 0xD49A784BCD1B8AFEull },
		{ 0xea, 0x3fff, 0xB8AA3B295C17F0BCull, 0xB8AA3B295C17F0BBull },
		{ 0xec, 0x3ffd, 0x9A209A84FBCFF799ull, 0x9A209A84FBCFF798ull },
		{ 0xed, 0x3ffe, 0xB17217F7D1CF79ACull, 0xB17217F7D1CF79ABull },
	};
	struct x87 f;

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		x87_init(&f, X87_387, 0);
		run(&f, 0xd9, t[i].modrm, NULL, NULL, NULL);
		ck_f80(sti(&f, 0), t[i].se, t[i].rn);
		set_cw(&f, 0x077f);
		run(&f, 0xd9, t[i].modrm, NULL, NULL, NULL);
		ck_f80(sti(&f, 0), t[i].se, t[i].rd);
		ck_assert_uint_eq(f.sw & 0x3f, 0);
	}
}
END_TEST

/* Transcendental results against 40-digit values from `bc -l`
 * (scale=60, converted to 80-bit with correct rounding to nearest by
 * exact rational arithmetic in a Python one-off). */
START_TEST(transcendental_table)
{
	static const struct {
		uint8_t modrm;		/* D9 xx */
		double x, y;		/* ST(0), ST(1) */
		uint16_t se;
		uint64_t m;
	} t[] = {
		/* sin(1) = .8414709848078965066525023216302989996226 */
		{ 0xfe, 1.0, 0, 0x3ffe, 0xD76AA47848677021ull },
		/* cos(1) = .5403023058681397174009366074429766037323 */
		{ 0xff, 1.0, 0, 0x3ffe, 0x8A51407DA8345C92ull },
		/* sin(100) = -.5063656411097587936565576104597854320650 */
		{ 0xfe, 100.0, 0, 0xbffe, 0x81A12DBC626DC038ull },
		/* 2^0.5 - 1 = .4142135623730950488016887242096980785697 */
		{ 0xf0, 0.5, 0, 0x3ffd, 0xD413CCCFE7799211ull },
		/* 3 * log2(10) = 9.965784284662087043610958288468170527594 */
		{ 0xf1, 10.0, 3.0, 0x4002, 0x9F73DA38D9D4A83Full },
		/* atan2(1, 3) = .3217505543966421934014046143586613190208 */
		{ 0xf3, 3.0, 1.0, 0x3ffd, 0xA4BC7D1934F70924ull },
		/* log2(1.25) = .3219280948873623478703194294893901758648 */
		{ 0xf9, 0.25, 1.0, 0x3ffd, 0xA4D3C25E68DC57F2ull },
	};
	struct x87 f;

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		x87_init(&f, X87_387, 0);
		push_d(&f, t[i].y);
		push_d(&f, t[i].x);
		run(&f, 0xd9, t[i].modrm, NULL, NULL, NULL);
		ck_f80(sti(&f, 0), t[i].se, t[i].m);
		ck_assert(f.sw & X87_SW_PE);
	}
	/* Large arguments reduced exactly (checked with bc -l at scale=160;
	 * the host FPU's short pi is off by 343..7992 ulp on these). */
	static const struct {
		uint8_t modrm;
		uint16_t xse, rse;
		uint64_t xm, rm;
	} big[] = {
		{ 0xfe, 0x4001, 0xbff3, 0xC90C479F4E76D3CCull, 0xE4C0B442B760DE89ull },
		{ 0xff, 0xc005, 0x3ff6, 0xCC32CFE8405AB56Dull, 0xA512295980225FD2ull },
		{ 0xfe, 0xc034, 0x3ffe, 0xB27D3C663EB93778ull, 0xC883A9B8989C0B3Bull },
		{ 0xf2, 0x4005, 0xc00b, 0xD8C531B3CC9BAD55ull, 0x9D9C047386E43701ull },
	};
	for (unsigned i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		x87_init(&f, X87_387, 0);
		push80(&f, f80(big[i].xse, big[i].xm));
		run(&f, 0xd9, big[i].modrm, NULL, NULL, NULL);
		ck_f80(sti(&f, big[i].modrm == 0xf2), big[i].rse, big[i].rm);
	}
	/* sin of 2^63 or more: C2, operand unchanged */
	x87_init(&f, X87_387, 0);
	push_d(&f, 9.3e18);
	run(&f, 0xd9, 0xfe, NULL, NULL, NULL);
	ck_assert(f.sw & X87_SW_C2);
	ck_assert(pop_d(&f) == 9.3e18);
	/* FPTAN pushes 1.0 */
	x87_init(&f, X87_387, 0);
	push_d(&f, 0.0);
	run(&f, 0xd9, 0xf2, NULL, NULL, NULL);
	ck_assert(pop_d(&f) == 1.0);
	ck_assert(pop_d(&f) == 0.0);
	/* log2 of an exact power of two is exact (PE is still reported,
	 * as the host FPU does) */
	x87_init(&f, X87_387, 0);
	push_d(&f, 1.0);
	push_d(&f, 1024.0);
	run(&f, 0xd9, 0xf1, NULL, NULL, NULL);
	ck_assert(pop_d(&f) == 10.0);
	ck_assert_uint_eq(f.sw & X87_SW_PE, X87_SW_PE);
}
END_TEST

#ifdef X87_HOST
#include "tests/unit/x87_diff.inc"
#endif

Suite *x87_suite(void)
{
	Suite *s = suite_create("x87");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, init_state);
	tcase_add_test(tc, div_rounding);
	tcase_add_test(tc, neg_rounding);
	tcase_add_test(tc, exceptions_masked);
	tcase_add_test(tc, exceptions_unmasked);
	tcase_add_test(tc, cr0_and_models);
	tcase_add_test(tc, decode_kinds);
	tcase_add_test(tc, stack_faults);
	tcase_add_test(tc, integers_and_bcd);
	tcase_add_test(tc, fprem_quotient);
	tcase_add_test(tc, compares_and_fxam);
	tcase_add_test(tc, images);
	tcase_add_test(tc, constants);
	tcase_add_test(tc, env_round_trip);
	tcase_add_test(tc, old_models);
	tcase_add_test(tc, pending_without_ne);
	tcase_add_test(tc, transcendental_table);
#ifdef X87_HOST
	tcase_add_test(tc, host_differential);
	tcase_add_test(tc, host_transcendental);
#else
	printf("x87: SKIP host differential tests (not an x86-64 host)\n");
#endif
	suite_add_tcase(s, tc);
	return s;
}

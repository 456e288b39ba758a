/* The clocks of the 8086 microcode routines whose length depends on data
 * (x86i_biu.h), walked the way the microcode ROM does them: a taken
 * microcode jump costs a clock; the multiply loop (CORX) spends a clock
 * more on each 1 bit of the multiplier (it adds only then); the divide
 * loop (CORD) takes one of three paths per quotient bit; the signed forms
 * negate their operands first (PREIMUL, PREIDIV and the NEGATE routine)
 * and the product or quotient after; the flags check at the end branches
 * on the upper half.  The F1 latch a REP prefix sets negates the result
 * too (the 8086 quirk x86i_alu.c reproduces).  tools/biu/eu_loops.py is
 * the same for the table generator, checked against the bus traces: the
 * table keeps only each form's constant part. */
#include "cpu/x86-interp/x86i_biu.h"

static unsigned msb(uint32_t x, unsigned n)
{
	return (x >> (n - 1)) & 1;
}

/* NEGATE from its seventh line: tmpb's sign, negated when set. */
static int negate_tail(uint32_t *b, unsigned n, int *f1)
{
	if (!msb(*b, n))
		return 6;
	*b = (0u - *b) & ((1u << n) - 1);
	*f1 = !*f1;
	return 5;
}

/* CORX: tmpc * tmpb, n bits; the product to *hi:*lo. */
static int corx(uint32_t b, uint32_t c, unsigned n, uint32_t *hi, uint32_t *lo)
{
	uint32_t mask = (1u << n) - 1, acc = 0, carry = c & 1, nc;
	int t = 2;

	c >>= 1;		/* the carry rotated in at the top is never tested */
	for (unsigned i = 0; i < n; i++) {
		t++;
		if (carry) {
			uint32_t s = acc + b;
			carry = s >> n;
			acc = s & mask;
			t += 2;
		} else {
			t++;
		}
		nc = acc & 1;
		acc = (acc >> 1) | carry << (n - 1);
		carry = nc;
		nc = c & 1;
		c = (c >> 1) | carry << (n - 1);
		carry = nc;
		t += i < n - 1 ? 4 : 3;
	}
	*hi = acc;
	*lo = c & mask;
	return t + 2;
}

int x86i_biu_mul_clocks(uint32_t a, uint32_t b, unsigned n, int is_signed, int rep)
{
	uint32_t mask = (1u << n) - 1, hi, lo;
	int t = 2, f1 = rep != 0;

	a &= mask;
	b &= mask;
	if (is_signed) {
		t += 3;
		if (msb(a, n)) {
			a = (0u - a) & mask;
			f1 = !f1;
			t += 3;
		} else {
			t++;
		}
		t += negate_tail(&b, n, &f1);
	}
	t += 2 + corx(b, a, n, &hi, &lo) + 1;
	if (f1) {
		/* NEGATE from the top: the double-width product, then tmpb. */
		uint64_t p = ((uint64_t)hi << n | lo);
		int dummy = 0;

		p = (0 - p) & (((uint64_t)1 << (2 * n)) - 1);
		hi = (uint32_t)(p >> n);
		lo = (uint32_t)p & mask;
		t += 1 + 5 + negate_tail(&b, n, &dummy);
	}
	t++;
	if (is_signed)
		return t + 4 + (((hi + msb(lo, n)) & mask) == 0 ? 4 : 3) + 2;
	return t + 6 + (hi == 0 ? 4 : 3);
}

/* CORD: tmpa:tmpc / tmpb, n bits.  Returns its clocks; *overflow when
 * the quotient cannot fit, else *carry the bit POSTIDIV tests. */
static int cord(uint32_t a, uint32_t b, uint32_t c, unsigned n, int *overflow, int *carry_out)
{
	uint32_t mask = (1u << n) - 1, carry = 1, nc;
	int t = 3;

	if (a >= b) {
		*overflow = 1;
		return t + 1;
	}
	for (unsigned i = 0; i < n; i++) {
		int last = i == n - 1;
		uint32_t sigma;

		nc = c >> (n - 1);
		c = ((c << 1) | carry) & mask;
		carry = nc;
		nc = a >> (n - 1);
		a = ((a << 1) | carry) & mask;
		carry = nc;
		sigma = (a - b) & mask;
		t += 4;
		if (carry) {
			a = sigma;
			carry = 0;
			t += 3 + (last ? 2 : 1);
		} else {
			t += 2;
			carry = a < b;
			if (!carry) {
				a = sigma;
				t += 2 + (last ? 2 : 1);
			} else {
				t += 1 + (last ? 0 : 1);
			}
		}
	}
	c = ((c << 1) | carry) & mask;
	*overflow = 0;
	*carry_out = (int)(c >> (n - 1));
	return t + 4;
}

int x86i_biu_div_clocks(uint32_t num, uint32_t b, unsigned n, int is_signed, int rep,
			int *overflow)
{
	uint32_t mask = (1u << n) - 1, a = (num >> n) & mask, c = num & mask;
	int t = 3, f1 = rep != 0, carry = 0;

	b &= mask;
	if (is_signed) {
		t += 3;
		if (msb(a, n)) {
			uint64_t full = (0 - (uint64_t)num) & (((uint64_t)1 << (2 * n)) - 1);

			a = (uint32_t)(full >> n);
			c = (uint32_t)full & mask;
			f1 = !f1;
			t += 5;
		} else {
			t++;
		}
		t += negate_tail(&b, n, &f1);
	}
	t += 2 + cord(a, b, c, n, overflow, &carry);
	if (*overflow)
		return t;
	t += 2;
	if (is_signed) {
		t += 2;
		if (!carry) {
			*overflow = 1;
			return t + 1;
		}
		t += 3 + 1 + 2 + 1 + 2;
	}
	return t;
}

int x86i_biu_aam_clocks(uint8_t al, uint8_t imm)
{
	int overflow, carry;

	return cord(0, imm, al, 8, &overflow, &carry);
}

int x86i_biu_aad_clocks(uint8_t ah, uint8_t imm)
{
	uint32_t hi, lo;

	return corx(ah, imm, 8, &hi, &lo);
}

int x86i_biu_var_clocks(const struct x86i_biu *b, unsigned var, unsigned op, unsigned sel,
			int rep)
{
	unsigned n = op & 1 ? 16 : 8;
	int overflow;

	switch (var) {
	case X86I_BIU_VAR_CL:
		return 4 * (b->cx0 & 0xff);
	case X86I_BIU_VAR_AXSIGN:
		return b->ax0 >> 15;
	case X86I_BIU_VAR_CF:
		return b->fl0 & 1;
	case X86I_BIU_VAR_ADJUST:
		return (b->ax0 & 0xf) > 9 || (b->fl0 & 0x10) ? -1 : 0;
	case X86I_BIU_VAR_MULDIV:
		if (sel < 4)
			return 0;
		if (sel < 6)
			return x86i_biu_mul_clocks(b->ax0, b->opnd, n, sel == 5, rep);
		return x86i_biu_div_clocks(n == 16 ? (uint32_t)b->dx0 << 16 | b->ax0 : b->ax0,
					   b->opnd, n, sel == 7, rep, &overflow);
	case X86I_BIU_VAR_AAM:
		return x86i_biu_aam_clocks((uint8_t)b->ax0, (uint8_t)b->opnd);
	case X86I_BIU_VAR_AAD:
		return x86i_biu_aad_clocks((uint8_t)(b->ax0 >> 8), (uint8_t)b->opnd);
	}
	return 0;
}

/* Arithmetic and flags: the eight ALU operations, INC/DEC, shifts and
 * rotates (bit by bit, as the 8086 microcode loops, so the flags of large
 * counts come out right), multiply and divide with the 8086 quirks. */
#include "cpu/x86-interp/x86i_priv.h"

#define P4(n) (n), (n) ^ 1, (n) ^ 1, (n)
#define P16(n) P4(n), P4((n) ^ 1), P4((n) ^ 1), P4(n)
#define P64(n) P16(n), P16((n) ^ 1), P16((n) ^ 1), P16(n)
/* 1 where the byte has an even number of set bits (PF set). */
const uint8_t x86i_parity[256] = { P64(1), P64(0), P64(0), P64(1) };

/* The operations themselves are inline in x86i_priv.h. */
uint32_t x86i_alu(struct x86i_cpu *c, int op, uint32_t a, uint32_t b, int wide)
{
	return x86i_alu_op(c, op, a, b, wide);
}

uint32_t x86i_inc_dec(struct x86i_cpu *c, uint32_t a, int dec, int wide)
{
	return x86i_inc_dec_op(c, a, dec, wide);
}

uint32_t x86i_shift(struct x86i_cpu *c, int op, uint32_t v, unsigned count, int wide)
{
	return x86i_shift_op(c, op, v, count, wide);
}

uint16_t x86i_imul16(struct x86i_cpu *c, int16_t a, int16_t b)
{
	int32_t p = (int32_t)a * b;
	int ov = p != (int16_t)p;

	setf(c, X86_CF, ov);
	setf(c, X86_OF, ov);
	return (uint16_t)p;
}

static void muldiv_flags(struct x86i_cpu *c, int ov, uint32_t lo, int wide)
{
	setf(c, X86_CF, ov);
	setf(c, X86_OF, ov);
	x86i_szp(c, lo, wide);
}

/* Sets AF CF OF SF ZF PF as the ALU's SUB of w bits would; returns borrow. */
static int sub_flags(struct x86i_cpu *c, uint32_t a, uint32_t b, int wide)
{
	x86i_alu(c, 5, a, b, wide);
	return cf(c) != 0;
}

/* The 8086 divides in microcode (CORD): a shift-and-subtract loop whose
 * last flag-setting subtraction leaves the "undefined" flags, which a
 * divide error pushes.  Following the same steps gives the same flags.
 * f1 is the microcode's negate latch (set by a REP prefix).  Returns 0 and
 * the quotient/remainder, or -1 on overflow. */
static int div_8086(struct x86i_cpu *c, int wide, uint32_t hi, uint32_t lo, uint32_t divisor,
		    int is_signed, int f1, uint32_t *quot, uint32_t *rem)
{
	unsigned w = wide ? 16 : 8;
	uint32_t mask = wide ? 0xffff : 0xff, sign = wide ? 0x8000 : 0x80;
	uint32_t tmpa = hi, tmpc = lo, tmpb = divisor;
	int carry = (tmpa & sign) != 0, nc;

	if (is_signed) {
		if (carry) {
			int borrow = tmpc != 0;
			tmpc = (0u - tmpc) & mask;
			tmpa = borrow ? ~tmpa & mask : (0u - tmpa) & mask;
			f1 = !f1;
		}
		if (tmpb & sign) {
			tmpb = (0u - tmpb) & mask;
			f1 = !f1;
		}
	}
	carry = sub_flags(c, tmpa, tmpb, wide);
	if (!carry)
		return -1;
	for (unsigned n = 0; n < w; n++) {
		nc = (tmpc & sign) != 0;
		tmpc = ((tmpc << 1) | (uint32_t)carry) & mask;
		carry = nc;
		nc = (tmpa & sign) != 0;
		tmpa = ((tmpa << 1) | (uint32_t)carry) & mask;
		carry = nc;
		if (carry) {
			carry = 0;
			tmpa = (tmpa - tmpb) & mask;
		} else {
			carry = sub_flags(c, tmpa, tmpb, wide);
			if (!carry)
				tmpa = (tmpa - tmpb) & mask;
		}
	}
	nc = (tmpc & sign) != 0;
	tmpc = ((tmpc << 1) | (uint32_t)carry) & mask;
	carry = (tmpc & sign) != 0;
	setf(c, X86_CF, carry);
	*quot = ~tmpc & mask;
	*rem = tmpa;
	(void)nc;
	if (!is_signed)
		return 0;
	if (!carry)
		return -1;
	if (hi & sign)
		*rem = (0u - tmpa) & mask;
	*quot = f1 ? (tmpc + 1) & mask : ~tmpc & mask;
	setf(c, X86_CF, 0);
	setf(c, X86_OF, 0);
	return 0;
}

/* 8086 MUL/IMUL as the microcode does them: magnitudes multiplied, the
 * negate latch (REP prefix, toggled per negative operand) negates the
 * double-width product, then CF/OF say whether the high half carries
 * information.  So a REP prefix negates MUL's product too. */
static void mul_8086(struct x86i_cpu *c, int wide, uint32_t a, uint32_t b, int is_signed,
		     int f1, uint32_t *lo, uint32_t *hi)
{
	unsigned w = wide ? 16 : 8;
	uint32_t mask = wide ? 0xffff : 0xff, sign = wide ? 0x8000 : 0x80;
	uint32_t sigma;
	uint64_t p;

	if (is_signed) {
		if (a & sign) {
			a = (0u - a) & mask;
			f1 = !f1;
		}
		if (b & sign) {
			b = (0u - b) & mask;
			f1 = !f1;
		}
	}
	p = (uint64_t)a * b;
	if (f1)
		p = (0 - p) & (((uint64_t)1 << (2 * w)) - 1);
	*lo = (uint32_t)p & mask;
	*hi = (uint32_t)(p >> w) & mask;
	if (is_signed) {
		sigma = x86i_alu(c, 0, *hi, *lo >> (w - 1), wide);
	} else {
		sigma = *hi;
		c->s->rflags &= ~(uint64_t)X86_AF;
		x86i_szp(c, sigma, wide);
	}
	setf(c, X86_CF, sigma != 0);
	setf(c, X86_OF, sigma != 0);
}

/* MUL/IMUL/DIV/IDIV.  Models with the 8086 microcode quirks go through
 * its step-by-step model (exact undefined flags, REP negation); later
 * models compute directly. */
uint32_t x86i_imul32(struct x86i_cpu *c, int32_t a, int32_t b)
{
	int64_t p = (int64_t)a * b;
	int ov = p != (int32_t)p;

	setf(c, X86_CF, ov);
	setf(c, X86_OF, ov);
	return (uint32_t)p;
}

/* MUL/IMUL/DIV/IDIV with a 32-bit operand on EDX:EAX (80386+). */
static int muldiv32(struct x86i_cpu *c, struct insn *i, int op, uint32_t src)
{
	uint32_t eax = r32(c, X86_RAX), edx = r32(c, X86_RDX);
	uint64_t d = (uint64_t)edx << 32 | eax;

	switch (op) {
	case 4: {
		uint64_t p = (uint64_t)eax * src;
		w32(c, X86_RAX, (uint32_t)p);
		w32(c, X86_RDX, (uint32_t)(p >> 32));
		muldiv_flags(c, (p >> 32) != 0, (uint32_t)p, 2);
		break;
	}
	case 5: {
		int64_t p = (int64_t)(int32_t)eax * (int32_t)src;
		w32(c, X86_RAX, (uint32_t)p);
		w32(c, X86_RDX, (uint32_t)((uint64_t)p >> 32));
		muldiv_flags(c, p != (int32_t)p, (uint32_t)p, 2);
		break;
	}
	case 6:
		if (!src || d / src > 0xffffffffu) {
			x86i_divide_error(c, i);
			return -1;
		}
		w32(c, X86_RAX, (uint32_t)(d / src));
		w32(c, X86_RDX, (uint32_t)(d % src));
		break;
	default: {
		int64_t n = (int64_t)d, dv = (int32_t)src, q;
		/* INT64_MIN / -1 overflows in C too: it is a divide error. */
		if (!dv || (n == INT64_MIN && dv == -1)) {
			x86i_divide_error(c, i);
			return -1;
		}
		q = n / dv;
		if (q > INT32_MAX || q < INT32_MIN) {
			x86i_divide_error(c, i);
			return -1;
		}
		w32(c, X86_RAX, (uint32_t)q);
		w32(c, X86_RDX, (uint32_t)(n % dv));
		break;
	}
	}
	clk(c, op < 6 ? c->t->mul16 : c->t->div16);
	return 0;
}

int x86i_muldiv(struct x86i_cpu *c, struct insn *i, int op, uint32_t src, int wide)
{
	const struct x86i_timing *t = c->t;

	if (wide == 2)
		return muldiv32(c, i, op, src);

	/* The bus model times the microcode loops by their operand. */
	if (c->biu)
		x86i_biu_operand(c->biu, (uint16_t)src);
	/* The REP-negation quirk marks the 8086 microcode multiplier. */
	if (op < 6 && (c->feat & CPUF_REP_IMUL_NEG)) {
		uint32_t lo, hi;
		if (wide) {
			mul_8086(c, 1, r16(c, X86_RAX), src, op == 5, i->rep != 0, &lo, &hi);
			w16(c, X86_RAX, (uint16_t)lo);
			w16(c, X86_RDX, (uint16_t)hi);
			clk(c, op == 5 ? t->imul16 : t->mul16);
		} else {
			mul_8086(c, 0, r8(c, 0), src & 0xff, op == 5, i->rep != 0, &lo, &hi);
			w16(c, X86_RAX, (uint16_t)(hi << 8 | lo));
			clk(c, op == 5 ? t->imul8 : t->mul8);
		}
		return 0;
	}
	/* ... and its divider (whose magnitude check also faults on a
	 * quotient of -80h/-8000h). */
	if (op >= 6 && (c->feat & CPUF_REP_IMUL_NEG)) {
		uint32_t q, r, hi, lo;
		if (wide) {
			hi = r16(c, X86_RDX);
			lo = r16(c, X86_RAX);
		} else {
			hi = r8(c, 4);
			lo = r8(c, 0);
		}
		clk(c, wide ? (op == 6 ? t->div16 : t->idiv16) : (op == 6 ? t->div8 : t->idiv8));
		if (div_8086(c, wide, hi, lo, wide ? src : (src & 0xff), op == 7,
			     i->rep != 0, &q, &r)) {
			x86i_divide_error(c, i);
			return -1;
		}
		if (wide) {
			w16(c, X86_RAX, (uint16_t)q);
			w16(c, X86_RDX, (uint16_t)r);
		} else {
			w16(c, X86_RAX, (uint16_t)(r << 8 | q));
		}
		return 0;
	}

	if (!wide) {
		uint16_t ax = r16(c, X86_RAX);
		uint8_t al = (uint8_t)ax;
		switch (op) {
		case 4: {
			uint16_t p = (uint16_t)(al * (uint8_t)src);
			w16(c, X86_RAX, p);
			muldiv_flags(c, p >> 8 != 0, p, 0);
			clk(c, t->mul8);
			break;
		}
		case 5: {
			int32_t p = (int8_t)al * (int8_t)src;
			w16(c, X86_RAX, (uint16_t)p);
			muldiv_flags(c, p != (int8_t)p, (uint32_t)p, 0);
			clk(c, t->imul8);
			break;
		}
		case 6: {
			uint8_t d = (uint8_t)src;
			clk(c, t->div8);
			if (!d || ax / d > 0xff) {
				x86i_divide_error(c, i);
				return -1;
			}
			w16(c, X86_RAX, (uint16_t)((ax % d) << 8 | (ax / d)));
			break;
		}
		default: {
			int32_t d = (int16_t)ax, s = (int8_t)src, q, r;
			clk(c, t->idiv8);
			if (!s) {
				x86i_divide_error(c, i);
				return -1;
			}
			q = d / s;
			r = d % s;
			if (q > 127 || q < -128) {
				x86i_divide_error(c, i);
				return -1;
			}
			w16(c, X86_RAX, (uint16_t)((uint8_t)r << 8 | (uint8_t)q));
			break;
		}
		}
		return 0;
	}

	uint16_t ax = r16(c, X86_RAX), dx = r16(c, X86_RDX);
	switch (op) {
	case 4: {
		uint32_t p = (uint32_t)ax * src;
		w16(c, X86_RAX, (uint16_t)p);
		w16(c, X86_RDX, (uint16_t)(p >> 16));
		muldiv_flags(c, (p >> 16) != 0, p, 1);
		clk(c, t->mul16);
		break;
	}
	case 5: {
		int64_t p = (int64_t)(int16_t)ax * (int16_t)src;
		w16(c, X86_RAX, (uint16_t)p);
		w16(c, X86_RDX, (uint16_t)((uint64_t)p >> 16));
		muldiv_flags(c, p != (int16_t)p, (uint32_t)p, 1);
		clk(c, t->imul16);
		break;
	}
	case 6: {
		uint32_t d = (uint32_t)dx << 16 | ax;
		clk(c, t->div16);
		if (!src || d / src > 0xffff) {
			x86i_divide_error(c, i);
			return -1;
		}
		w16(c, X86_RAX, (uint16_t)(d / src));
		w16(c, X86_RDX, (uint16_t)(d % src));
		break;
	}
	default: {
		int64_t d = (int32_t)((uint32_t)dx << 16 | ax), s = (int16_t)src, q, r;
		clk(c, t->idiv16);
		if (!s) {
			x86i_divide_error(c, i);
			return -1;
		}
		q = d / s;
		r = d % s;
		if (q > 32767 || q < -32768) {
			x86i_divide_error(c, i);
			return -1;
		}
		w16(c, X86_RAX, (uint16_t)q);
		w16(c, X86_RDX, (uint16_t)r);
		break;
	}
	}
	return 0;
}

/* Transcendental instructions, computed in a 128-bit-significand internal
 * format ("xf") and rounded once to the 64-bit destination.
 *
 * Error bound: each xf operation truncates to 128 bits (relative error
 * below 2^-126); the longest evaluation (FPATAN's series, ~50 terms)
 * accumulates well under 2^-118 relative error.  The final rounding is
 * therefore correct unless the exact result lies within 2^-54 ulp of a
 * rounding boundary, and always within 0.5 + 2^-54 ulp.  Sine and cosine
 * reduce their argument against a 384-bit pi (not the 66-bit pi of Intel
 * hardware), so large arguments are reduced exactly as well.
 *
 * Constants: digits of pi, ln 2, log2 e, log2 10, log10 2 were produced
 * with `bc -l` at scale=200 (e.g. obase=16; 4*a(1)*2^382).
 */
#include "cpu/x87/sf.h"

/* value = m * 2^(e - 127); m normalized (bit 127 set) unless zero. */
struct xf {
	int sign;
	int32_t e;
	sf_u128 m;
};

#define U128(hi, lo) (((sf_u128)(hi) << 64) | (lo))

/* pi * 2^382, 384 bits, most significant limb first. */
static const uint64_t pi_limbs[6] = {
	0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull, 0x29024E088A67CC74ull,
	0x020BBEA63B139B22ull, 0x514A08798E3404DDull, 0xEF9519B3CD3A431Bull,
};

static const struct xf xf_pi = { 0, 1, U128(0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull) };
static const struct xf xf_pi2 = { 0, 0, U128(0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull) };
static const struct xf xf_pi4 = { 0, -1, U128(0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull) };
static const struct xf xf_ln2 = { 0, -1, U128(0xB17217F7D1CF79ABull, 0xC9E3B39803F2F6AFull) };
static const struct xf xf_l2e = { 0, 0, U128(0xB8AA3B295C17F0BBull, 0xBE87FED0691D3E89ull) };
static const struct xf xf_l2t = { 0, 1, U128(0xD49A784BCD1B8AFEull, 0x492BF6FF4DAFDB4Dull) };
static const struct xf xf_lg2 = { 0, -2, U128(0x9A209A84FBCFF798ull, 0x8F8959AC0B7C9178ull) };
static const struct xf xf_one = { 0, 0, (sf_u128)1 << 127 };

static int clz128(sf_u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);

	if (hi)
		return __builtin_clzll(hi);
	return (uint64_t)v ? 64 + __builtin_clzll((uint64_t)v) : 128;
}

static struct xf xf_norm(int sign, int32_t e, sf_u128 m)
{
	struct xf r = { sign, e, m };

	if (!m) {
		r.e = 0;
		return r;
	}
	int lz = clz128(m);
	r.m <<= lz;
	r.e -= lz;
	return r;
}

static struct xf xf_from_u64(uint64_t v)
{
	return xf_norm(0, 127, v);
}

static struct xf xf_from_num(const struct sf_num *n)
{
	if (n->cls == SF_ZERO)
		return xf_norm(n->sign, 0, 0);
	return xf_norm(n->sign, n->q + 63 + 64, (sf_u128)n->m << 64 >> 64);
}

static struct xf xf_neg(struct xf a)
{
	a.sign ^= 1;
	return a;
}

static struct xf xf_scale(struct xf a, int32_t n)
{
	if (a.m)
		a.e += n;
	return a;
}

static struct xf xf_add(struct xf a, struct xf b)
{
	if (!a.m)
		return b;
	if (!b.m)
		return a;
	if (a.e < b.e || (a.e == b.e && a.m < b.m)) {
		struct xf t = a;
		a = b;
		b = t;
	}
	int32_t d = a.e - b.e;
	sf_u128 am = a.m >> 1;
	sf_u128 bm = d >= 127 ? 0 : b.m >> (d + 1);
	if (a.sign == b.sign)
		return xf_norm(a.sign, a.e + 1, am + bm);
	/* Keep every result truncated toward zero (xf_round's sticky bit
	 * relies on it): bits of b shifted out make the difference smaller. */
	bool lost = d >= 127 || (b.m & ((((sf_u128)1) << (d + 1)) - 1));
	return xf_norm(a.sign, a.e + 1, am - bm - lost);
}

static struct xf xf_sub(struct xf a, struct xf b)
{
	return xf_add(a, xf_neg(b));
}

static struct xf xf_mul(struct xf a, struct xf b)
{
	if (!a.m || !b.m)
		return xf_norm(a.sign ^ b.sign, 0, 0);
	uint64_t ah = (uint64_t)(a.m >> 64), al = (uint64_t)a.m;
	uint64_t bh = (uint64_t)(b.m >> 64), bl = (uint64_t)b.m;
	sf_u128 hh = (sf_u128)ah * bh, hl = (sf_u128)ah * bl;
	sf_u128 lh = (sf_u128)al * bh, ll = (sf_u128)al * bl;
	sf_u128 mid = (hl & ~0ull) + (lh & ~0ull) + (ll >> 64);
	sf_u128 hi = hh + (hl >> 64) + (lh >> 64) + (mid >> 64);
	/* hi:(mid low 64) is the 256-bit product's top; keep 128 bits. */
	int32_t e = a.e + b.e + 1;
	if (!(hi >> 127)) {
		hi = (hi << 1) | ((uint64_t)mid >> 63);
		e--;
	}
	struct xf r = { a.sign ^ b.sign, e, hi };
	return r;
}

static struct xf xf_div(struct xf a, struct xf b)
{
	if (!a.m)
		return xf_norm(a.sign ^ b.sign, 0, 0);
	/* Restoring division; r < 2 * b.m always, bit 128 kept in carry. */
	sf_u128 r = a.m, q = 0;
	bool carry = false;
	for (int i = 0; i < 128; i++) {
		q <<= 1;
		if (carry || r >= b.m) {
			r -= b.m;
			q |= 1;
		}
		carry = r >> 127;
		r <<= 1;
	}
	return xf_norm(a.sign ^ b.sign, a.e - b.e, q);
}

static struct xf xf_div_u(struct xf a, uint64_t n)
{
	return xf_div(a, xf_from_u64(n));
}

/* Is |a| below 2^e? (zero counts as tiny) */
static bool xf_tiny(struct xf a, int32_t e)
{
	return !a.m || a.e < e;
}

static struct x87_f80 xf_round(struct sf_env *env, struct xf a)
{
	if (!a.m)
		return sf_zero(a.sign);
	/* The result is irrational here: force a sticky bit. */
	return sf_round80(env, 64, a.sign, a.e - 127, a.m | 1);
}

/* e^y - 1 for |y| < 0.75 by its Taylor series. */
static struct xf xf_expm1(struct xf y)
{
	struct xf sum = y, term = y;

	for (unsigned n = 2; n < 60; n++) {
		term = xf_div_u(xf_mul(term, y), n);
		sum = xf_add(sum, term);
		if (xf_tiny(term, sum.e - 132))
			break;
	}
	return sum;
}

/* 2 * atanh(s) = ln((1 + s) / (1 - s)) for |s| < 0.5. */
static struct xf xf_2atanh(struct xf s)
{
	struct xf s2 = xf_mul(s, s), sum = s, pw = s;

	for (unsigned n = 3; n < 400; n += 2) {
		pw = xf_mul(pw, s2);
		struct xf term = xf_div_u(pw, n);
		sum = xf_add(sum, term);
		if (xf_tiny(term, sum.e - 132))
			break;
	}
	return xf_scale(sum, 1);
}

/* ln(x) for x > 0. */
static struct xf xf_ln(struct xf x)
{
	/* x = m * 2^k with m in [sqrt(1/2), sqrt(2)). */
	int32_t k = x.e;
	struct xf m = x;
	m.e = 0;
	if (m.m > U128(0xB504F333F9DE6484ull, 0x597D89B3754ABE9Full)) {
		m.e = -1;
		k++;
	}
	struct xf s = xf_div(xf_sub(m, xf_one), xf_add(m, xf_one));
	struct xf l = xf_2atanh(s);
	if (k)
		l = xf_add(l, xf_mul(xf_from_u64(k < 0 ? -(uint64_t)k : (uint64_t)k),
				     k < 0 ? xf_neg(xf_ln2) : xf_ln2));
	return l;
}

/* atan(t) for 0 <= t <= 1. */
static struct xf xf_atan01(struct xf t)
{
	struct xf base = { 0, 0, 0 };

	/* Above tan(pi/8): atan(t) = pi/4 + atan((t - 1) / (t + 1)). */
	if (t.e >= -1 || (t.e == -2 && t.m > U128(0xD413CCCFE7799211ull, 0x65F626CDD52AFA7Cull))) {
		base = xf_pi4;
		t = xf_div(xf_sub(t, xf_one), xf_add(t, xf_one));
	}
	struct xf t2 = xf_mul(t, t), sum = t, pw = t;
	for (unsigned n = 3; n < 400 && t.m; n += 2) {
		pw = xf_neg(xf_mul(pw, t2));
		struct xf term = xf_div_u(pw, n);
		sum = xf_add(sum, term);
		if (xf_tiny(term, sum.e - 132))
			break;
	}
	return xf_add(base, sum);
}

static struct x87_f80 invalid(struct sf_env *env)
{
	env->flags |= X87_SW_IE;
	return sf_indefinite();
}

struct x87_f80 sf_f2xm1(struct sf_env *env, struct x87_f80 a)
{
	struct sf_num n;

	env->c1 = false;
	sf_unpack(env, a, &n);
	if (sf_is_nanlike(&n))
		return sf_nan1(env, a, &n);
	if (n.cls == SF_ZERO)
		return a;
	if (n.cls == SF_INF)
		return n.sign ? sf_make(1, SF_BIAS, 1ull << 63) : a;
	if (n.denormal)
		env->flags |= X87_SW_DE;
	struct xf x = xf_from_num(&n);
	if (x.e == 0 && x.m == xf_one.m) {
		/* +-1: exact results, yet the host FPU reports PE (and C1 for
		 * +1, as if rounded up from just below). */
		env->flags |= X87_SW_PE;
		env->c1 = !n.sign;
		return n.sign ? sf_make(1, SF_BIAS - 1, 1ull << 63) : sf_make(0, SF_BIAS, 1ull << 63);
	}
	if (x.e < 0)
		return xf_round(env, xf_expm1(xf_mul(x, xf_ln2)));
	/* Outside -1..+1 the SDM leaves the result undefined; the host FPU
	 * of the differential test returns the operand with PE set. */
	env->flags |= X87_SW_PE;
	return a;
}

struct x87_f80 sf_fyl2x(struct sf_env *env, struct x87_f80 xv, struct x87_f80 yv, bool p1)
{
	struct sf_num x, y;

	env->c1 = false;
	sf_unpack(env, xv, &x);
	sf_unpack(env, yv, &y);
	if (sf_is_nanlike(&x) || sf_is_nanlike(&y))
		return sf_nan2(env, xv, &x, yv, &y);
	if (p1) {
		/* y * log2(1 + x).  The SDM leaves x <= -1 undefined; the host
		 * FPU of the differential test returns x itself (PE), or a
		 * signed zero/infinity for y = 0/inf as if log2 were < 0. */
		bool le_m1 = x.sign && x.cls == SF_FINITE && x.q >= -63;
		/* as FYL2X: -inf and 0 * inf are invalid */
		if (x.cls == SF_INF && (x.sign || y.cls == SF_ZERO))
			return invalid(env);
		if (x.denormal || y.denormal)
			env->flags |= X87_SW_DE;
		if (x.cls == SF_INF)
			return sf_inf(y.sign);
		if (x.cls == SF_ZERO) {
			if (y.cls == SF_INF)
				return invalid(env);
			return sf_zero(x.sign ^ y.sign);
		}
		if (y.cls == SF_ZERO)
			return sf_zero(x.sign ^ y.sign);
		if (y.cls == SF_INF && le_m1)
			return sf_inf(!y.sign);
		if (le_m1) {
			env->flags |= X87_SW_PE;
			return xv;
		}
		struct xf xx = xf_from_num(&x), l;
		if (xx.e < -2)
			l = xf_2atanh(xf_div(xx, xf_add(xx, xf_scale(xf_one, 1))));
		else
			l = xf_ln(xf_add(xx, xf_one));
		if (y.cls == SF_INF)
			return sf_inf(y.sign ^ l.sign);
		return xf_round(env, xf_mul(xf_mul(l, xf_l2e), xf_from_num(&y)));
	}
	if (x.sign && x.cls != SF_ZERO)
		return invalid(env);
	if (x.cls == SF_ZERO) {		/* ZE outranks y's DE */
		if (y.cls == SF_ZERO)
			return invalid(env);
		if (y.cls != SF_INF)
			env->flags |= X87_SW_ZE;
		return sf_inf(!y.sign);
	}
	if (x.cls == SF_INF) {
		if (y.cls == SF_ZERO)
			return invalid(env);
		if (y.denormal)
			env->flags |= X87_SW_DE;
		return sf_inf(y.sign);
	}
	if (x.denormal || y.denormal)
		env->flags |= X87_SW_DE;
	struct xf xx = xf_from_num(&x);
	bool one = xx.e == 0 && xx.m == xf_one.m;
	if (y.cls == SF_INF) {
		if (one)
			return invalid(env);
		return sf_inf(y.sign ^ (xx.e < 0));
	}
	if (one || y.cls == SF_ZERO)
		return sf_zero(y.sign ^ (xx.e < 0));
	if (xx.m == xf_one.m) {
		/* Exact power of two: log2 is the integer exponent. */
		int32_t k = xx.e;
		uint64_t mag = k < 0 ? -(uint64_t)k : (uint64_t)k;
		struct x87_f80 r = sf_round80(env, 64, y.sign ^ (k < 0), y.q, (sf_u128)y.m * mag);
		/* reported even when exact, as the host FPU does */
		env->flags |= X87_SW_PE;
		if (!(r.se & 0x7fff))
			env->flags |= X87_SW_UE;
		return r;
	}
	struct xf l = xf_mul(xf_ln(xx), xf_l2e);
	return xf_round(env, xf_mul(l, xf_from_num(&y)));
}

struct x87_f80 sf_fpatan(struct sf_env *env, struct x87_f80 xv, struct x87_f80 yv)
{
	struct sf_num x, y;

	env->c1 = false;
	sf_unpack(env, xv, &x);
	sf_unpack(env, yv, &y);
	if (sf_is_nanlike(&x) || sf_is_nanlike(&y))
		return sf_nan2(env, xv, &x, yv, &y);
	if (x.denormal || y.denormal)
		env->flags |= X87_SW_DE;
	struct xf r;
	if (y.cls == SF_ZERO) {
		if (!x.sign)
			return sf_zero(y.sign);
		r = xf_pi;
	} else if (x.cls == SF_INF && y.cls == SF_INF) {
		r = x.sign ? xf_mul(xf_pi4, xf_from_u64(3)) : xf_pi4;
	} else if (y.cls == SF_INF || x.cls == SF_ZERO) {
		r = xf_pi2;
	} else if (x.cls == SF_INF) {
		if (!x.sign)
			return sf_zero(y.sign);
		r = xf_pi;
	} else {
		struct xf ax = xf_from_num(&x), ay = xf_from_num(&y);
		ax.sign = ay.sign = 0;
		if (ay.e < ax.e || (ay.e == ax.e && ay.m <= ax.m))
			r = xf_atan01(xf_div(ay, ax));
		else
			r = xf_sub(xf_pi2, xf_atan01(xf_div(ax, ay)));
		if (x.sign)
			r = xf_sub(xf_pi, r);
	}
	r.sign = y.sign;
	return xf_round(env, r);
}

/* Exact reduction of |a| (m * 2^q, q <= -1) by pi/2: *k gets the
 * quotient (rounded to nearest), the result the remainder in
 * [-pi/4, pi/4]. */
#define NL 8
static struct xf reduce(uint64_t m, int32_t q, uint64_t *kout)
{
	/* Fixed point with 384 fraction bits, little-endian limbs. */
	uint64_t x[NL] = { 0 }, p[NL] = { 0 }, t[NL];
	int sh = 384 + q;	/* 321..383 */

	x[sh / 64] = m << (sh % 64);
	if (sh % 64)
		x[sh / 64 + 1] = m >> (64 - sh % 64);
	/* pi/2 = P * 2^-383 = 2P in units of 2^-384 */
	for (int i = 0; i < 6; i++)
		p[i] = pi_limbs[5 - i];
	for (int i = NL - 1; i > 0; i--)
		p[i] = (p[i] << 1) | (p[i - 1] >> 63);
	p[0] <<= 1;
	/* k = x / (pi/2) rounded; an estimate off by one is corrected
	 * below from the exact remainder. */
	struct xf xx = xf_norm(0, q + 127, m);
	struct xf kq = xf_div(xx, xf_pi2);
	uint64_t k = 0;
	if (kq.e >= 0 && kq.e < 64)
		k = (uint64_t)(((kq.m >> (126 - kq.e)) + 1) >> 1);
	for (int pass = 0; pass < 3; pass++) {
		/* t = k * p */
		sf_u128 c = 0;
		for (int i = 0; i < NL; i++) {
			c += (sf_u128)p[i] * k;
			t[i] = (uint64_t)c;
			c >>= 64;
		}
		/* t = x - t, signed */
		uint64_t bw = 0;
		for (int i = 0; i < NL; i++) {
			uint64_t xi = x[i], ti = t[i];
			uint64_t d = xi - ti - bw;
			bw = (xi < ti) || (xi - ti < bw);
			t[i] = d;
		}
		int neg = (int)(t[NL - 1] >> 63);
		if (neg) {
			uint64_t cy = 1;
			for (int i = 0; i < NL; i++) {
				t[i] = ~t[i] + cy;
				cy = cy && t[i] == 0;
			}
		}
		/* |t| as an xf: the top 128 bits below its leading one. */
		int top = NL - 1;
		while (top > 0 && !t[top])
			top--;
		uint64_t w2 = t[top], w1 = top > 0 ? t[top - 1] : 0;
		uint64_t w0 = top > 1 ? t[top - 2] : 0;
		int lz = w2 ? __builtin_clzll(w2) : 64;
		sf_u128 hi = ((sf_u128)w2 << 64) | w1;
		if (lz)
			hi = (hi << lz) | (w0 >> (64 - lz));
		struct xf r = { neg, top * 64 + 63 - lz - 384, hi };
		struct xf ar = r;
		ar.sign = 0;
		if (ar.e < xf_pi4.e || (ar.e == xf_pi4.e && ar.m <= xf_pi4.m)) {
			*kout = k;
			return r;
		}
		k += neg ? -1 : 1;
	}
	*kout = k;
	return xf_norm(0, 0, 0);
}

static void xf_sincos(struct xf r, struct xf *s, struct xf *c)
{
	struct xf r2 = xf_mul(r, r), term = r, sum = r;

	for (unsigned n = 2; n < 80 && r.m; n += 2) {
		term = xf_neg(xf_div_u(xf_mul(term, r2), (uint64_t)n * (n + 1)));
		sum = xf_add(sum, term);
		if (xf_tiny(term, sum.e - 132))
			break;
	}
	*s = sum;
	term = xf_one;
	sum = xf_one;
	for (unsigned n = 1; n < 80 && r.m; n += 2) {
		term = xf_neg(xf_div_u(xf_mul(term, r2), (uint64_t)n * (n + 1)));
		sum = xf_add(sum, term);
		if (xf_tiny(term, sum.e - 132))
			break;
	}
	*c = sum;
}

/* sin/cos of a finite nonzero |a| < 2^63 in xf, with a's sign. */
static void sincos_xf(const struct sf_num *n, struct xf *s, struct xf *c)
{
	uint64_t k = 0;
	struct xf r, sr, cr;

	if (n->q < -64 || (n->q == -64 && n->m <= 0xC90FDAA22168C234ull))
		r = xf_norm(0, n->q + 127, n->m);	/* |a| <= pi/4 */
	else
		r = reduce(n->m, n->q, &k);
	xf_sincos(r, &sr, &cr);
	switch (k & 3) {
	case 0: *s = sr; *c = cr; break;
	case 1: *s = cr; *c = xf_neg(sr); break;
	case 2: *s = xf_neg(sr); *c = xf_neg(cr); break;
	default: *s = xf_neg(cr); *c = sr; break;
	}
	if (n->sign)
		*s = xf_neg(*s);
}

/* Common argument checks; returns 1 to compute, 0 done (*res set),
 * -1 out of range (C2). */
static int trig_arg(struct sf_env *env, struct x87_f80 a, struct sf_num *n,
		    struct x87_f80 *res)
{
	env->c1 = false;
	sf_unpack(env, a, n);
	if (sf_is_nanlike(n)) {
		*res = sf_nan1(env, a, n);
		return 0;
	}
	if (n->cls == SF_INF) {
		*res = invalid(env);
		return 0;
	}
	if (n->cls == SF_ZERO) {
		*res = a;
		return 0;
	}
	if (n->q >= 0)
		return -1;
	if (n->denormal)
		env->flags |= X87_SW_DE;
	return 1;
}

bool sf_sincos(struct sf_env *env, struct x87_f80 a, struct x87_f80 *s, struct x87_f80 *c,
	       bool want_sin, bool want_cos)
{
	struct sf_num n;
	struct x87_f80 res;
	struct xf xs, xc;

	int st = trig_arg(env, a, &n, &res);
	if (st < 0)
		return false;
	if (st == 0) {
		*s = res;
		*c = n.cls == SF_ZERO ? sf_make(0, SF_BIAS, 1ull << 63) : res;
		return true;
	}
	sincos_xf(&n, &xs, &xc);
	/* Cosine last: FSINCOS's C1 describes ST(0), the cosine. */
	if (want_sin)
		*s = xf_round(env, xs);
	if (want_cos)
		*c = xf_round(env, xc);
	return true;
}

bool sf_tan(struct sf_env *env, struct x87_f80 a, struct x87_f80 *t)
{
	struct sf_num n;
	struct xf xs, xc;

	int st = trig_arg(env, a, &n, t);
	if (st < 0)
		return false;
	if (st == 0)
		return true;
	sincos_xf(&n, &xs, &xc);
	*t = xf_round(env, xf_div(xs, xc));
	return true;
}

struct x87_f80 sf_const(const struct sf_env *env, int k)
{
	static const struct xf *const tab[] = {
		[SF_K_L2T] = &xf_l2t, [SF_K_L2E] = &xf_l2e, [SF_K_PI] = &xf_pi,
		[SF_K_LG2] = &xf_lg2, [SF_K_LN2] = &xf_ln2,
	};
	struct sf_env e = *env;
	const struct xf *c = tab[k];

	return sf_round80(&e, 64, 0, c->e - 127, c->m);
}

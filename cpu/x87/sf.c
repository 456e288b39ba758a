/* Software extended-precision arithmetic with exact x87 rounding: the
 * basic operations, rounding, NaN rules and conversions. */
#include <stddef.h>

#include "cpu/x87/sf.h"

const struct sf_fmt sf_fmt_f32 = { 24, 127, 0xff, false };
const struct sf_fmt sf_fmt_f64 = { 53, 1023, 0x7ff, false };
const struct sf_fmt sf_fmt_f80 = { 64, SF_BIAS, 0x7fff, true };

#define QUIET (1ull << 62)
#define JBIT (1ull << 63)
/* Exponent wrap for unmasked overflow/underflow on register results. */
#define WRAP 24576

struct x87_f80 sf_indefinite(void)
{
	return sf_make(1, 0x7fff, 0xc000000000000000ull);
}

struct x87_f80 sf_zero(int sign)
{
	return sf_make(sign, 0, 0);
}

struct x87_f80 sf_inf(int sign)
{
	return sf_make(sign, 0x7fff, JBIT);
}

int sf_pc_bits(const struct sf_env *env)
{
	static const int bits[4] = { 24, 64, 53, 64 };	/* 1 is reserved */

	return bits[(env->cw >> X87_CW_PC_SHIFT) & 3];
}

static int clz64(uint64_t v)
{
	return v ? __builtin_clzll(v) : 64;
}

static int clz128(sf_u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);

	return hi ? clz64(hi) : 64 + clz64((uint64_t)v);
}

static sf_u128 shr_jam(sf_u128 s, int32_t n)
{
	if (n <= 0)
		return s;
	if (n >= 128)
		return s != 0;
	return (s >> n) | ((s & (((sf_u128)1 << n) - 1)) != 0);
}

void sf_unpack(const struct sf_env *env, struct x87_f80 v, struct sf_num *n)
{
	int e = v.se & 0x7fff;

	n->sign = sf_sign(v);
	n->denormal = 0;
	n->m = v.m;
	n->q = SF_Q(e);
	if (e == 0x7fff) {
		if (!(v.m & JBIT) && !env->unsupp_valid)
			n->cls = SF_UNSUPP;	/* pseudo-infinity / pseudo-NaN */
		else if (!(v.m << 1))
			n->cls = SF_INF;
		else
			n->cls = (v.m & QUIET) ? SF_QNAN : SF_SNAN;
		return;
	}
	if (v.m == 0) {
		n->cls = SF_ZERO;
		return;
	}
	if (e == 0) {
		n->q = SF_Q(1);
		n->denormal = 1;
	} else if (!(v.m & JBIT) && !env->unsupp_valid) {
		n->cls = SF_UNSUPP;	/* unnormal */
		return;
	}
	n->cls = SF_FINITE;
	int sh = clz64(v.m);
	n->m <<= sh;
	n->q -= sh;
}

static bool round_up(sf_u128 s, sf_u128 mask, int rc, int sign)
{
	sf_u128 rem = s & mask;

	if (!rem)
		return false;
	switch (rc) {
	case SF_RN: {
		sf_u128 half = (mask >> 1) + 1;
		return rem > half || (rem == half && (s & (mask + 1)));
	}
	case SF_RD:
		return sign;
	case SF_RU:
		return !sign;
	default:
		return false;
	}
}

void sf_round(struct sf_env *env, const struct sf_fmt *fmt, int prec, int sign,
	      int32_t k, sf_u128 s, int32_t *pe, uint64_t *pm)
{
	int rc = (env->cw >> X87_CW_RC_SHIFT) & 3;
	bool um_ue = !(env->cw & X87_SW_UE), um_oe = !(env->cw & X87_SW_OE);
	sf_u128 mask = ((sf_u128)1 << (128 - prec)) - 1;
	bool up;

	env->c1 = false;
	if (s == 0) {
		*pe = 0;
		*pm = 0;
		return;
	}
	int lz = clz128(s);
	s <<= lz;
	/* k is bounded by the callers to well inside int32. */
	int32_t e = k - lz + 127 + fmt->bias;

	if (e <= 0) {
		/* Tininess is judged after rounding, as x86 does: only a value
		 * that rounds up to the smallest normal escapes. */
		bool tiny = e < 0 || (s | mask) != ~(sf_u128)0 ||
			    !round_up(s, mask, rc, sign);
		if (tiny && um_ue && fmt->adjust && e + WRAP <= 0) {
			/* Beyond the wrap range (FSCALE): a signed zero. */
			env->flags |= X87_SW_UE | X87_SW_PE;
			*pe = 0;
			*pm = 0;
			return;
		}
		if (tiny && um_ue && fmt->adjust) {
			env->flags |= X87_SW_UE;
			e += WRAP;
		} else {
			if (tiny && um_ue)
				env->flags |= X87_SW_UE;
			s = shr_jam(s, 1 - e);
			up = round_up(s, mask, rc, sign);
			if (s & mask) {
				env->flags |= X87_SW_PE;
				if (tiny)
					env->flags |= X87_SW_UE;
			}
			s &= ~mask;
			if (up)
				s += mask + 1;
			env->c1 = up;
			*pe = (s >> 127) ? 1 : 0;
			*pm = (uint64_t)(s >> 64);
			return;
		}
	}
	up = round_up(s, mask, rc, sign);
	bool inexact = (s & mask) != 0;
	s &= ~mask;
	if (up) {
		s += mask + 1;
		if (s == 0) {
			s = (sf_u128)1 << 127;
			e++;
		}
	}
	if (e >= fmt->emax) {
		env->flags |= X87_SW_OE;
		if (um_oe && fmt->adjust && e - WRAP < fmt->emax) {
			e -= WRAP;
		} else {
			/* Beyond the wrap range (FSCALE) even an unmasked
			 * overflow delivers infinity. */
			bool to_inf = rc == SF_RN || (rc == SF_RU && !sign) ||
				      (rc == SF_RD && sign) || (um_oe && fmt->adjust);
			env->flags |= X87_SW_PE;
			env->c1 = to_inf;
			if (to_inf) {
				*pe = fmt->emax;
				*pm = JBIT;
			} else {
				*pe = fmt->emax - 1;
				*pm = (uint64_t)(~mask >> 64);
			}
			return;
		}
	}
	if (inexact) {
		env->flags |= X87_SW_PE;
		env->c1 = up;
	}
	*pe = e;
	*pm = (uint64_t)(s >> 64);
}

struct x87_f80 sf_round80(struct sf_env *env, int prec, int sign, int32_t k, sf_u128 s)
{
	int32_t e;
	uint64_t m;

	sf_round(env, &sf_fmt_f80, prec, sign, k, s, &e, &m);
	return sf_make(sign, (uint16_t)e, m);
}

struct x87_f80 sf_nan1(struct sf_env *env, struct x87_f80 a, const struct sf_num *na)
{
	if (na->cls == SF_UNSUPP) {
		env->flags |= X87_SW_IE;
		return sf_indefinite();
	}
	if (na->cls == SF_SNAN)
		env->flags |= X87_SW_IE;
	a.m |= QUIET;
	return a;
}

struct x87_f80 sf_nan2(struct sf_env *env, struct x87_f80 a, const struct sf_num *na,
		       struct x87_f80 b, const struct sf_num *nb)
{
	if (na->cls == SF_UNSUPP || nb->cls == SF_UNSUPP) {
		env->flags |= X87_SW_IE;
		return sf_indefinite();
	}
	if (na->cls == SF_SNAN || nb->cls == SF_SNAN)
		env->flags |= X87_SW_IE;
	if (!sf_is_nanlike(nb))
		return sf_nan1(env, a, na);
	if (!sf_is_nanlike(na))
		return sf_nan1(env, b, nb);
	/* Two NaNs: an SNaN loses to a QNaN; otherwise the larger
	 * significand wins (SDM table 4-7). */
	if (na->cls != nb->cls)
		return na->cls == SF_QNAN ? a : sf_nan1(env, b, nb);
	a.m |= QUIET;
	b.m |= QUIET;
	if (a.m != b.m)
		return a.m > b.m ? a : b;
	return (a.se < b.se) ? a : b;
}

static struct x87_f80 invalid(struct sf_env *env)
{
	env->flags |= X87_SW_IE;
	return sf_indefinite();
}

static void denormals(struct sf_env *env, const struct sf_num *a, const struct sf_num *b)
{
	if (a->denormal || (b && b->denormal))
		env->flags |= X87_SW_DE;
}

static int rc_of(const struct sf_env *env)
{
	return (env->cw >> X87_CW_RC_SHIFT) & 3;
}

struct x87_f80 sf_add(struct sf_env *env, struct x87_f80 a, struct x87_f80 b, bool sub)
{
	struct sf_num na, nb;

	env->c1 = false;
	sf_unpack(env, a, &na);
	sf_unpack(env, b, &nb);
	if (sf_is_nanlike(&na) || sf_is_nanlike(&nb))
		return sf_nan2(env, a, &na, b, &nb);
	nb.sign ^= sub;
	denormals(env, &na, &nb);
	if (na.cls == SF_INF || nb.cls == SF_INF) {
		if (na.cls == SF_INF && nb.cls == SF_INF) {
			if (na.sign != nb.sign || env->projective)
				return invalid(env);
		}
		return sf_inf(na.cls == SF_INF ? na.sign : nb.sign);
	}
	int prec = sf_pc_bits(env);
	if (na.cls == SF_ZERO && nb.cls == SF_ZERO) {
		if (na.sign == nb.sign)
			return sf_zero(na.sign);
		return sf_zero(rc_of(env) == SF_RD);
	}
	if (na.cls == SF_ZERO)
		return sf_round80(env, prec, nb.sign, nb.q, nb.m);
	if (nb.cls == SF_ZERO)
		return sf_round80(env, prec, na.sign, na.q, na.m);
	if (na.q < nb.q || (na.q == nb.q && na.m < nb.m)) {
		struct sf_num t = na;
		na = nb;
		nb = t;
	}
	sf_u128 sa = (sf_u128)na.m << 63;
	sf_u128 sb = shr_jam((sf_u128)nb.m << 63, na.q - nb.q);
	sf_u128 s;
	if (na.sign == nb.sign) {
		s = sa + sb;
	} else {
		s = sa - sb;
		if (s == 0)
			return sf_zero(rc_of(env) == SF_RD);
	}
	return sf_round80(env, prec, na.sign, na.q - 63, s);
}

struct x87_f80 sf_mul(struct sf_env *env, struct x87_f80 a, struct x87_f80 b)
{
	struct sf_num na, nb;

	env->c1 = false;
	sf_unpack(env, a, &na);
	sf_unpack(env, b, &nb);
	if (sf_is_nanlike(&na) || sf_is_nanlike(&nb))
		return sf_nan2(env, a, &na, b, &nb);
	int sign = na.sign ^ nb.sign;
	if (na.cls == SF_INF || nb.cls == SF_INF) {
		if (na.cls == SF_ZERO || nb.cls == SF_ZERO)
			return invalid(env);
		denormals(env, &na, &nb);
		return sf_inf(sign);
	}
	denormals(env, &na, &nb);
	if (na.cls == SF_ZERO || nb.cls == SF_ZERO)
		return sf_zero(sign);
	return sf_round80(env, sf_pc_bits(env), sign, na.q + nb.q, (sf_u128)na.m * nb.m);
}

/* 128-bit quotient of na.m / nb.m with a sticky bit; *k gets the scale. */
static sf_u128 div_sig(uint64_t ma, uint64_t mb, int32_t *k)
{
	int sh = ma >= mb ? 63 : 64;
	sf_u128 num = (sf_u128)ma << sh;
	uint64_t qh = (uint64_t)(num / mb);
	sf_u128 r = num % mb;
	sf_u128 num2 = r << 64;
	uint64_t ql = (uint64_t)(num2 / mb);
	bool sticky = (num2 % mb) != 0;

	*k = -(sh + 64);
	return ((sf_u128)qh << 64) | ql | sticky;
}

struct x87_f80 sf_div(struct sf_env *env, struct x87_f80 a, struct x87_f80 b)
{
	struct sf_num na, nb;

	env->c1 = false;
	sf_unpack(env, a, &na);
	sf_unpack(env, b, &nb);
	if (sf_is_nanlike(&na) || sf_is_nanlike(&nb))
		return sf_nan2(env, a, &na, b, &nb);
	int sign = na.sign ^ nb.sign;
	if ((na.cls == SF_INF && nb.cls == SF_INF) || (na.cls == SF_ZERO && nb.cls == SF_ZERO))
		return invalid(env);
	if (nb.cls == SF_ZERO && na.cls != SF_INF) {
		/* ZE takes precedence over a denormal dividend's DE. */
		env->flags |= X87_SW_ZE;
		return sf_inf(sign);
	}
	denormals(env, &na, &nb);
	if (na.cls == SF_INF)
		return sf_inf(sign);
	if (nb.cls == SF_INF)
		return sf_zero(sign);
	if (na.cls == SF_ZERO)
		return sf_zero(sign);
	int32_t k;
	sf_u128 s = div_sig(na.m, nb.m, &k);
	return sf_round80(env, sf_pc_bits(env), sign, na.q - nb.q + k, s);
}

/* floor(sqrt(x * 2^(2*extra))) for x < 2^128, digit by digit; *inexact
 * when a remainder is left.  extra <= 60 keeps everything in 128 bits. */
static sf_u128 isqrt(sf_u128 x, int extra, bool *inexact)
{
	sf_u128 r = 0, rem = 0;

	for (int i = 0; i < 64 + extra; i++) {
		unsigned pair = i < 64 ? (unsigned)(x >> (126 - 2 * i)) & 3 : 0;
		rem = (rem << 2) | pair;
		sf_u128 t = (r << 2) | 1;
		r <<= 1;
		if (rem >= t) {
			rem -= t;
			r |= 1;
		}
	}
	*inexact = rem != 0;
	return r;
}

struct x87_f80 sf_sqrt(struct sf_env *env, struct x87_f80 a)
{
	struct sf_num na;

	env->c1 = false;
	sf_unpack(env, a, &na);
	if (sf_is_nanlike(&na))
		return sf_nan1(env, a, &na);
	if (na.cls == SF_ZERO)
		return a;
	if (na.sign)
		return invalid(env);
	if (na.cls == SF_INF)
		return env->projective ? invalid(env) : a;
	denormals(env, &na, NULL);
	/* value = m * 2^q; make the exponent even. */
	int32_t q = na.q;
	sf_u128 x = (sf_u128)na.m << 64;
	if (q & 1) {
		x >>= 1;
		q += 1;
	}
	/* x = m * 2^(64 or 63); sqrt(value) = sqrt(x) * 2^((q - 64) / 2). */
	bool inexact;
	sf_u128 r = isqrt(x, 60, &inexact);
	return sf_round80(env, sf_pc_bits(env), 0, (q - 64) / 2 - 60, r | inexact);
}

/* Rounds |value| to an integer per RC.  Returns the magnitude (which may
 * need 64 bits) or sets *big when it does not fit in 64 bits. */
static uint64_t round_to_int(struct sf_env *env, const struct sf_num *n, bool *big)
{
	int rc = rc_of(env);

	*big = false;
	env->c1 = false;
	if (n->q >= 0) {
		*big = n->q > 0;
		return n->m;
	}
	int32_t sh = -n->q;
	uint64_t m = n->m;
	if (sh > 66) {
		sh = 66;
		m = 1;	/* only the sticky bit matters below one half */
	}
	uint64_t ip = sh >= 64 ? 0 : m >> sh;
	sf_u128 fr = (sf_u128)m << (128 - sh);
	sf_u128 half = (sf_u128)1 << 127;
	bool up = false;
	if (fr) {
		env->flags |= X87_SW_PE;
		switch (rc) {
		case SF_RN:
			up = fr > half || (fr == half && (ip & 1));
			break;
		case SF_RD:
			up = n->sign;
			break;
		case SF_RU:
			up = !n->sign;
			break;
		}
	}
	env->c1 = up;
	return ip + up;
}

struct x87_f80 sf_rndint(struct sf_env *env, struct x87_f80 a)
{
	struct sf_num na;
	bool big;

	env->c1 = false;
	sf_unpack(env, a, &na);
	if (sf_is_nanlike(&na))
		return sf_nan1(env, a, &na);
	if (na.cls != SF_FINITE)
		return a;
	denormals(env, &na, NULL);
	if (na.q >= 0)
		return a;
	uint64_t v = round_to_int(env, &na, &big);
	if (!v)
		return sf_zero(na.sign);
	bool c1 = env->c1;
	struct x87_f80 r = sf_round80(env, 64, na.sign, 0, v);
	env->c1 = c1;
	return r;
}

struct x87_f80 sf_scale(struct sf_env *env, struct x87_f80 a, struct x87_f80 b)
{
	struct sf_num na, nb;

	env->c1 = false;
	sf_unpack(env, a, &na);
	sf_unpack(env, b, &nb);
	if (sf_is_nanlike(&na) || sf_is_nanlike(&nb))
		return sf_nan2(env, a, &na, b, &nb);
	if (nb.cls == SF_INF) {
		if (!nb.sign) {
			if (na.cls == SF_ZERO)
				return invalid(env);
			denormals(env, &na, NULL);
			return sf_inf(na.sign);
		}
		if (na.cls == SF_INF)
			return invalid(env);
		denormals(env, &na, NULL);
		return sf_zero(na.sign);
	}
	denormals(env, &na, &nb);
	if (na.cls != SF_FINITE)
		return a;
	/* trunc(b), clamped far beyond any exponent range. */
	int32_t n = 0;
	if (nb.cls == SF_FINITE && nb.q > -64) {
		uint64_t mag = nb.q >= 0 ? (1u << 20) : nb.m >> -nb.q;
		if (mag > (1u << 20))
			mag = 1u << 20;
		n = nb.sign ? -(int32_t)mag : (int32_t)mag;
	}
	return sf_round80(env, 64, na.sign, na.q + n, na.m);
}

struct x87_f80 sf_rem(struct sf_env *env, struct x87_f80 a, struct x87_f80 b, bool near,
		      unsigned *qbits, bool *partial)
{
	struct sf_num na, nb;

	env->c1 = false;
	*qbits = 0;
	*partial = false;
	sf_unpack(env, a, &na);
	sf_unpack(env, b, &nb);
	if (sf_is_nanlike(&na) || sf_is_nanlike(&nb))
		return sf_nan2(env, a, &na, b, &nb);
	if (na.cls == SF_INF || nb.cls == SF_ZERO)
		return invalid(env);
	denormals(env, &na, &nb);
	if (na.cls == SF_ZERO)
		return a;
	if (nb.cls == SF_INF)	/* a itself, normalized as a result */
		return sf_round80(env, 64, na.sign, na.q, na.m);
	int32_t d = na.q - nb.q;
	int32_t scale;		/* result = r * 2^scale */
	sf_u128 r, q = 0;
	int sign = na.sign;
	if (d < 0) {
		/* |a| < |b|: the quotient is 0, or 1 for FPREM1 when
		 * |a| > |b| / 2 (d == -1 and a's significand larger). */
		if (!near || d < -1 || na.m <= nb.m)
			return sf_round80(env, 64, na.sign, na.q, na.m);
		r = ((sf_u128)nb.m << 1) - na.m;
		*qbits = 1;
		return sf_round80(env, 64, !sign, na.q, r);
	}
	int32_t n = d;
	if (d >= 64) {
		/* Partial remainder: reduce the exponent by 32..63 bits. */
		n = 32 + (d & 31);
		*partial = true;
		scale = na.q - n;
	} else {
		scale = nb.q;
	}
	r = (sf_u128)na.m << n;
	for (int32_t i = n; i >= 0; i--) {
		q <<= 1;
		if (r >= ((sf_u128)nb.m << i)) {
			r -= (sf_u128)nb.m << i;
			q |= 1;
		}
	}
	/* r is now the remainder in units of 2^(q_b) (or 2^scale). */
	if (near && !*partial) {
		sf_u128 twice = r << 1;
		if (twice > nb.m || (twice == nb.m && (q & 1))) {
			r = nb.m - r;
			q++;
			sign = !sign;
		}
	}
	*qbits = (unsigned)(q & 7);
	if (r == 0)
		return sf_zero(na.sign);
	return sf_round80(env, 64, sign, scale, r);
}

int sf_compare(struct sf_env *env, struct x87_f80 a, struct x87_f80 b, bool quiet)
{
	struct sf_num na, nb;

	sf_unpack(env, a, &na);
	sf_unpack(env, b, &nb);
	if (sf_is_nanlike(&na) || sf_is_nanlike(&nb)) {
		if (!quiet || na.cls == SF_SNAN || nb.cls == SF_SNAN ||
		    na.cls == SF_UNSUPP || nb.cls == SF_UNSUPP)
			env->flags |= X87_SW_IE;
		return SF_UN;
	}
	denormals(env, &na, &nb);
	if (env->projective && (na.cls == SF_INF) != (nb.cls == SF_INF)) {
		env->flags |= X87_SW_IE;
		return SF_UN;
	}
	if (na.cls == SF_ZERO && nb.cls == SF_ZERO)
		return SF_EQ;
	if (na.cls == SF_ZERO)
		return nb.sign ? SF_GT : SF_LT;
	if (nb.cls == SF_ZERO)
		return na.sign ? SF_LT : SF_GT;
	if (na.sign != nb.sign)
		return na.sign ? SF_LT : SF_GT;
	int mag;	/* -1, 0, 1 comparing |a| with |b| */
	if (na.cls == SF_INF || nb.cls == SF_INF)
		mag = (na.cls == SF_INF) - (nb.cls == SF_INF);
	else if (na.q != nb.q)
		mag = na.q < nb.q ? -1 : 1;
	else
		mag = na.m == nb.m ? 0 : (na.m < nb.m ? -1 : 1);
	if (na.sign)
		mag = -mag;
	return mag < 0 ? SF_LT : (mag == 0 ? SF_EQ : SF_GT);
}

struct x87_f80 sf_from_int(int64_t v)
{
	if (v == 0)
		return sf_zero(0);
	int sign = v < 0;
	uint64_t mag = sign ? -(uint64_t)v : (uint64_t)v;
	int sh = clz64(mag);
	return sf_make(sign, (uint16_t)(SF_BIAS + 63 - sh), mag << sh);
}

/* Exact widening of a float with fbits fraction and ebits exponent bits;
 * a denormal source raises DE. */
static struct x87_f80 widen(struct sf_env *env, uint64_t v, int fbits, int ebits)
{
	int sign = (int)(v >> (fbits + ebits));
	int32_t emax = (1 << ebits) - 1, bias = emax >> 1;
	int32_t e = (int32_t)(v >> fbits) & emax;
	uint64_t f = v & ((1ull << fbits) - 1);

	if (e == emax) {
		if (!f)
			return sf_inf(sign);
		/* An SNaN stays signaling: the caller decides (FLD quiets it
		 * with IE, arithmetic applies the two-NaN rules). */
		return sf_make(sign, 0x7fff, JBIT | (f << (63 - fbits)));
	}
	if (e == 0) {
		if (!f)
			return sf_zero(sign);
		env->flags |= X87_SW_DE;
		int sh = clz64(f);
		/* value = f * 2^(1 - bias - fbits) */
		return sf_make(sign, (uint16_t)(1 - bias - fbits + 63 - sh + SF_BIAS), f << sh);
	}
	return sf_make(sign, (uint16_t)(e - bias + SF_BIAS), JBIT | (f << (63 - fbits)));
}

struct x87_f80 sf_from_f32(struct sf_env *env, uint32_t v)
{
	return widen(env, v, 23, 8);
}

struct x87_f80 sf_from_f64(struct sf_env *env, uint64_t v)
{
	return widen(env, v, 52, 11);
}

static uint64_t narrow(struct sf_env *env, struct x87_f80 v, const struct sf_fmt *fmt)
{
	struct sf_num n;
	int fbits = fmt->prec - 1;
	int ebits = fmt == &sf_fmt_f32 ? 8 : 11;
	uint64_t emax = (uint64_t)fmt->emax;

	env->c1 = false;
	sf_unpack(env, v, &n);
	uint64_t sign = (uint64_t)n.sign << (fbits + ebits);
	switch (n.cls) {
	case SF_UNSUPP:
		env->flags |= X87_SW_IE;
		return (1ull << (fbits + ebits)) | (emax << fbits) | (1ull << (fbits - 1));
	case SF_SNAN:
		env->flags |= X87_SW_IE;
		/* fall through */
	case SF_QNAN:
		return sign | (emax << fbits) | ((v.m | QUIET) << 1 >> (64 - fbits));
	case SF_INF:
		return sign | (emax << fbits);
	case SF_ZERO:
		return sign;
	}
	int32_t e;
	uint64_t m;
	sf_round(env, fmt, fmt->prec, n.sign, n.q, n.m, &e, &m);
	return sign | ((uint64_t)e << fbits) | ((m >> (64 - fmt->prec)) & ((1ull << fbits) - 1));
}

uint32_t sf_to_f32(struct sf_env *env, struct x87_f80 v)
{
	return (uint32_t)narrow(env, v, &sf_fmt_f32);
}

uint64_t sf_to_f64(struct sf_env *env, struct x87_f80 v)
{
	return narrow(env, v, &sf_fmt_f64);
}

int64_t sf_to_int(struct sf_env *env, struct x87_f80 v, int bits)
{
	struct sf_num n;
	int64_t indef = (int64_t)(~0ull << (bits - 1));
	bool big;

	env->c1 = false;
	sf_unpack(env, v, &n);
	if (n.cls == SF_ZERO)
		return 0;
	if (n.cls != SF_FINITE) {
		env->flags |= X87_SW_IE;
		return indef;
	}
	uint16_t saved = env->flags;
	uint64_t mag = round_to_int(env, &n, &big);
	uint64_t lim = (1ull << (bits - 1)) - 1 + n.sign;
	if (big || mag > lim) {
		env->flags = saved | X87_SW_IE;
		env->c1 = false;
		return indef;
	}
	return n.sign ? (int64_t)(0 - mag) : (int64_t)mag;
}

struct x87_f80 sf_from_bcd(const uint8_t b[10])
{
	uint64_t v = 0;

	for (int i = 8; i >= 0; i--)
		v = v * 100 + (b[i] >> 4) * 10 + (b[i] & 15);
	struct x87_f80 r = sf_from_int((int64_t)v);
	r.se |= (uint16_t)((b[9] & 0x80) << 8);
	return r;
}

void sf_to_bcd(struct sf_env *env, struct x87_f80 v, uint8_t b[10])
{
	struct sf_num n;
	bool big;
	uint64_t mag = 0;

	env->c1 = false;
	sf_unpack(env, v, &n);
	if (n.cls == SF_FINITE) {
			uint16_t saved = env->flags;
		mag = round_to_int(env, &n, &big);
		if (big || mag >= 1000000000000000000ull) {
			env->flags = saved;
			n.cls = SF_UNSUPP;
		}
	}
	if (n.cls != SF_FINITE && n.cls != SF_ZERO) {
		/* The packed-BCD indefinite. */
		env->flags |= X87_SW_IE;
		env->c1 = false;
		for (int i = 0; i < 7; i++)
			b[i] = 0;
		b[7] = 0xc0;
		b[8] = b[9] = 0xff;
		return;
	}
	for (int i = 0; i < 9; i++) {
		unsigned lo = (unsigned)(mag % 10);
		mag /= 10;
		b[i] = (uint8_t)(((mag % 10) << 4) | lo);
		mag /= 10;
	}
	b[9] = n.sign ? 0x80 : 0;
}

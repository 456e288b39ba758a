/* Internal to cpu/x87: software extended-precision arithmetic.
 *
 * Every operation takes its operands as raw 80-bit values, ORs the x87
 * status flags it raises into env->flags (IE DE ZE OE UE PE, and C1 for
 * "rounded up" in env->c1) and returns the masked response.  The caller
 * decides from the control word whether the result is committed.
 */
#ifndef TANDEM_CPU_X87_SF_H
#define TANDEM_CPU_X87_SF_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/x87/x87.h"

typedef unsigned __int128 sf_u128;

enum { SF_RN = 0, SF_RD = 1, SF_RU = 2, SF_RZ = 3 };

struct sf_env {
	uint16_t cw;		/* masks (unmasked O/U bias-adjust), RC, PC, IC */
	uint16_t flags;		/* X87_SW_IE..PE raised by the operation */
	bool c1;		/* last rounding went up in magnitude */
	bool projective;	/* 8087/287 with IC clear */
	bool unsupp_valid;	/* 8087/287: unnormals are operands, not IE */
};

/* Classes of an unpacked operand. */
enum { SF_ZERO, SF_FINITE, SF_INF, SF_QNAN, SF_SNAN, SF_UNSUPP };

/* value = m * 2^q with m normalized (bit 63 set) for SF_FINITE. */
struct sf_num {
	int cls;
	int sign;
	int denormal;		/* denormal or pseudo-denormal operand (DE) */
	int32_t q;
	uint64_t m;
};

/* Destination formats for rounding. */
struct sf_fmt {
	int prec;		/* significand bits: 24, 53 or 64 */
	int32_t bias;
	int32_t emax;		/* biased exponent of infinity */
	bool adjust;		/* register destination: unmasked O/U deliver a
				   result with the exponent wrapped by 24576 */
};

extern const struct sf_fmt sf_fmt_f32, sf_fmt_f64, sf_fmt_f80;

#define SF_BIAS 16383
#define SF_Q(e) ((int32_t)(e) - SF_BIAS - 63)

static inline struct x87_f80 sf_make(int sign, uint16_t e, uint64_t m)
{
	struct x87_f80 r = { m, (uint16_t)((sign ? 0x8000 : 0) | e) };
	return r;
}

static inline int sf_sign(struct x87_f80 v)
{
	return v.se >> 15;
}

struct x87_f80 sf_indefinite(void);
struct x87_f80 sf_zero(int sign);
struct x87_f80 sf_inf(int sign);
void sf_unpack(const struct sf_env *env, struct x87_f80 v, struct sf_num *n);
/* Precision control in bits (24/53/64) from env->cw. */
int sf_pc_bits(const struct sf_env *env);

/* Rounds s * 2^k (s's bit 0 may be a sticky bit) into fmt with precision
 * prec (<= fmt->prec); returns biased exponent and 64-bit significand with
 * explicit integer bit. */
void sf_round(struct sf_env *env, const struct sf_fmt *fmt, int prec, int sign,
	      int32_t k, sf_u128 s, int32_t *pe, uint64_t *pm);
/* sf_round into the 80-bit register format. */
struct x87_f80 sf_round80(struct sf_env *env, int prec, int sign, int32_t k, sf_u128 s);

/* One NaN (or unsupported) operand: quiet it, IE for SNaN. */
struct x87_f80 sf_nan1(struct sf_env *env, struct x87_f80 a, const struct sf_num *na);
/* Two operands at least one of which is NaN or unsupported. */
struct x87_f80 sf_nan2(struct sf_env *env, struct x87_f80 a, const struct sf_num *na,
		       struct x87_f80 b, const struct sf_num *nb);
static inline bool sf_is_nanlike(const struct sf_num *n)
{
	return n->cls >= SF_QNAN;
}

struct x87_f80 sf_add(struct sf_env *env, struct x87_f80 a, struct x87_f80 b, bool sub);
struct x87_f80 sf_mul(struct sf_env *env, struct x87_f80 a, struct x87_f80 b);
struct x87_f80 sf_div(struct sf_env *env, struct x87_f80 a, struct x87_f80 b);
struct x87_f80 sf_sqrt(struct sf_env *env, struct x87_f80 a);
struct x87_f80 sf_rndint(struct sf_env *env, struct x87_f80 a);
struct x87_f80 sf_scale(struct sf_env *env, struct x87_f80 a, struct x87_f80 b);
/* FPREM (near = false) / FPREM1 (near = true).  *q gets the low quotient
 * bits, *partial is set when the reduction is incomplete (C2). */
struct x87_f80 sf_rem(struct sf_env *env, struct x87_f80 a, struct x87_f80 b, bool near,
		      unsigned *q, bool *partial);

enum { SF_LT = 0, SF_EQ = 1, SF_GT = 2, SF_UN = 3 };
/* quiet: FUCOM semantics (QNaN does not raise IE). */
int sf_compare(struct sf_env *env, struct x87_f80 a, struct x87_f80 b, bool quiet);

struct x87_f80 sf_from_int(int64_t v);
struct x87_f80 sf_from_f32(struct sf_env *env, uint32_t v);
struct x87_f80 sf_from_f64(struct sf_env *env, uint64_t v);
uint32_t sf_to_f32(struct sf_env *env, struct x87_f80 v);
uint64_t sf_to_f64(struct sf_env *env, struct x87_f80 v);
/* FIST: bits 16/32/64; out of range gives IE and the integer indefinite. */
int64_t sf_to_int(struct sf_env *env, struct x87_f80 v, int bits);
struct x87_f80 sf_from_bcd(const uint8_t b[10]);
void sf_to_bcd(struct sf_env *env, struct x87_f80 v, uint8_t b[10]);

/* Transcendentals (trans.c); results rounded to 64 bits. */
struct x87_f80 sf_f2xm1(struct sf_env *env, struct x87_f80 a);
struct x87_f80 sf_fyl2x(struct sf_env *env, struct x87_f80 x, struct x87_f80 y, bool p1);
struct x87_f80 sf_fpatan(struct sf_env *env, struct x87_f80 x, struct x87_f80 y);
/* sin and cos of a; returns false (C2) when |a| >= 2^63: nothing done. */
bool sf_sincos(struct sf_env *env, struct x87_f80 a, struct x87_f80 *s, struct x87_f80 *c,
	       bool want_sin, bool want_cos);
bool sf_tan(struct sf_env *env, struct x87_f80 a, struct x87_f80 *t);
/* FLDPI and friends: constant k rounded per RC. */
struct x87_f80 sf_const(const struct sf_env *env, int k);
enum { SF_K_L2T, SF_K_L2E, SF_K_PI, SF_K_LG2, SF_K_LN2 };

#endif

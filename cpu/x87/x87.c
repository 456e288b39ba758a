/* x87 instruction execution over struct x87: the register stack, tags,
 * stack faults, exception masking and the instruction forms. */
#include <string.h>

#include "cpu/x87/image.h"
#include "cpu/x87/sf.h"

enum { CR0_MP = 1u << 1, CR0_EM = 1u << 2, CR0_TS = 1u << 3, CR0_NE = 1u << 5 };
enum { FL_CF = 1u << 0, FL_PF = 1u << 2, FL_AF = 1u << 4, FL_ZF = 1u << 6,
       FL_SF = 1u << 7, FL_OF = 1u << 11 };
#define CC_MASK (X87_SW_C0 | X87_SW_C1 | X87_SW_C2 | X87_SW_C3)
/* Exceptions that suppress the result when unmasked. */
#define PRE_EXC (X87_SW_IE | X87_SW_DE | X87_SW_ZE)

void x87_init(struct x87 *f, enum x87_model model, unsigned features)
{
	memset(f, 0, sizeof(*f));
	f->model = model;
	f->features = features;
	/* The 8087's FINIT also sets the interrupt enable mask. */
	f->cw = model == X87_8087 ? 0x03ff : 0x037f;
}

bool x87_pending(const struct x87 *f)
{
	return (f->sw & X87_SW_ES) != 0;
}

static unsigned top(const struct x87 *f)
{
	return (f->sw >> X87_SW_TOP_SHIFT) & 7;
}

static void set_top(struct x87 *f, unsigned t)
{
	f->sw = (uint16_t)((f->sw & ~(7u << X87_SW_TOP_SHIFT)) | (t & 7) << X87_SW_TOP_SHIFT);
}

static unsigned phys(const struct x87 *f, unsigned i)
{
	return (top(f) + i) & 7;
}

static bool is_empty(const struct x87 *f, unsigned i)
{
	return !(f->valid >> phys(f, i) & 1);
}

static struct x87_f80 st(const struct x87 *f, unsigned i)
{
	return f->st[phys(f, i)];
}

static void set_st(struct x87 *f, unsigned i, struct x87_f80 v)
{
	unsigned p = phys(f, i);

	f->st[p] = v;
	f->valid |= (uint8_t)(1u << p);
}

static void pop(struct x87 *f)
{
	f->valid &= (uint8_t)~(1u << phys(f, 0));
	set_top(f, top(f) + 1);
}

static void push(struct x87 *f, struct x87_f80 v)
{
	set_top(f, top(f) - 1);
	set_st(f, 0, v);
}

static void set_cc(struct x87 *f, uint16_t cc)
{
	f->sw = (uint16_t)((f->sw & ~CC_MASK) | cc);
}

static void set_c1(struct x87 *f, bool c1)
{
	f->sw = (uint16_t)((f->sw & ~X87_SW_C1) | (c1 ? X87_SW_C1 : 0));
}

static uint16_t unmasked(const struct x87 *f, uint16_t flags)
{
	return flags & ~f->cw & 0x3f;
}

/* Records a stack fault.  Returns true when it is masked (the caller
 * then delivers the indefinite). */
static bool stack_fault(struct x87 *f, bool overflow)
{
	f->sw |= X87_SW_IE | X87_SW_SF;
	set_c1(f, overflow);
	return !unmasked(f, X87_SW_IE);
}

static void env_init(const struct x87 *f, struct sf_env *e)
{
	e->cw = f->cw;
	e->flags = 0;
	e->c1 = false;
	e->projective = f->model <= X87_287 && !(f->cw & X87_CW_IC);
	e->unsupp_valid = f->model < X87_387;
}

/* Folds an operation's flags into SW.  Returns true when the result is
 * to be committed (no unmasked pre-computation exception). */
static bool commit(struct x87 *f, const struct sf_env *e)
{
	/* An unmasked IE/DE/ZE stops the operation before it produces
	 * any other flag. */
	if (unmasked(f, e->flags & PRE_EXC)) {
		f->sw |= e->flags & PRE_EXC;
		return false;
	}
	f->sw |= e->flags & 0x3f;
	set_c1(f, e->c1);
	return true;
}

/* Memory destinations also suppress the store on unmasked O/U. */
static bool commit_mem(struct x87 *f, const struct sf_env *e)
{
	if (unmasked(f, e->flags & PRE_EXC)) {
		f->sw |= e->flags & PRE_EXC;
		return false;
	}
	if (unmasked(f, e->flags & (X87_SW_OE | X87_SW_UE))) {
		/* Nothing is stored, so nothing is inexact either. */
		f->sw |= e->flags & 0x1f;
		return false;
	}
	f->sw |= e->flags & 0x3f;
	set_c1(f, e->c1);
	return true;
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* A memory source operand as an 80-bit value (SNaNs kept signaling). */
static struct x87_f80 mem_operand(struct sf_env *e, unsigned kind, const uint8_t *in)
{
	switch (kind) {
	case X87_M_INT16:
		return sf_from_int((int16_t)get_le(in, 2));
	case X87_M_INT32:
		return sf_from_int((int32_t)get_le(in, 4));
	case X87_M_INT64:
		return sf_from_int((int64_t)get_le(in, 8));
	case X87_M_FP32:
		return sf_from_f32(e, (uint32_t)get_le(in, 4));
	case X87_M_FP64:
		return sf_from_f64(e, get_le(in, 8));
	case X87_M_BCD80:
		return sf_from_bcd(in);
	default:
		return x87_f80_get(in);
	}
}

/* ---- arithmetic and compares ---- */

static struct x87_f80 arith_op(struct sf_env *e, unsigned r, struct x87_f80 a,
			       struct x87_f80 b)
{
	switch (r) {
	case 0: return sf_add(e, a, b, false);
	case 1: return sf_mul(e, a, b);
	case 4: return sf_add(e, a, b, true);
	case 5: return sf_add(e, b, a, true);
	case 6: return sf_div(e, a, b);
	default: return sf_div(e, b, a);
	}
}

static const uint16_t cc_of[4] = {
	[SF_LT] = X87_SW_C0, [SF_EQ] = X87_SW_C3, [SF_GT] = 0,
	[SF_UN] = X87_SW_C0 | X87_SW_C2 | X87_SW_C3,
};

/* FCOM/FUCOM/FICOM/FTST: compare ST(0) with b, pop npop times. */
static void compare(struct x87 *f, struct x87_f80 b, bool b_empty, bool quiet, int npop,
		    uint16_t pre)
{
	struct sf_env e;

	/* The condition codes are written even when the exception is
	 * unmasked; only the pop is suppressed (as the host FPU does). */
	if (is_empty(f, 0) || b_empty) {
		bool masked = stack_fault(f, false);
		set_cc(f, cc_of[SF_UN]);
		if (!masked)
			return;
	} else {
		env_init(f, &e);
		e.flags = pre;		/* DE from converting a memory operand */
		int r = sf_compare(&e, st(f, 0), b, quiet);
		f->sw |= e.flags & 0x3f;
		set_cc(f, cc_of[r]);
		if (unmasked(f, e.flags & PRE_EXC))
			return;
	}
	while (npop-- > 0)
		pop(f);
}

/* FCOMI/FUCOMI(P): the result goes to ZF/PF/CF. */
static void comparei(struct x87 *f, unsigned i, bool quiet, bool dopop,
		     struct x87_result *res)
{
	static const uint32_t fl[4] = {
		[SF_LT] = FL_CF, [SF_EQ] = FL_ZF, [SF_GT] = 0,
		[SF_UN] = FL_ZF | FL_PF | FL_CF,
	};
	struct sf_env e;
	int r = SF_UN;

	set_c1(f, false);
	res->eflags_mask = FL_ZF | FL_PF | FL_CF | FL_OF | FL_SF | FL_AF;
	if (is_empty(f, 0) || is_empty(f, i)) {
		res->eflags = fl[SF_UN];
		if (!stack_fault(f, false))
			return;
	} else {
		env_init(f, &e);
		r = sf_compare(&e, st(f, 0), st(f, i), quiet);
		f->sw |= e.flags & 0x3f;
		res->eflags = fl[r];
		if (unmasked(f, e.flags & PRE_EXC))
			return;
	}
	if (dopop)
		pop(f);
}

/* dst = a op b, with a = ST(dst_i) or ST(0) per the form; pop after. */
static void arith(struct x87 *f, unsigned r, unsigned dst, struct x87_f80 a,
		  struct x87_f80 b, bool faulted, bool dopop)
{
	struct sf_env e;

	if (faulted) {
		if (!stack_fault(f, false))
			return;
		set_st(f, dst, sf_indefinite());
	} else {
		env_init(f, &e);
		struct x87_f80 v = arith_op(&e, r, a, b);
		if (!commit(f, &e))
			return;
		set_st(f, dst, v);
	}
	if (dopop)
		pop(f);
}

/* ---- loads and stores ---- */

static void load(struct x87 *f, struct x87_f80 v, const struct sf_env *e)
{
	if (!is_empty(f, 7)) {
		if (stack_fault(f, true))
			push(f, sf_indefinite());
		return;
	}
	if (e) {
		/* An unmasked DE still loads: the value is exact. */
		f->sw |= e->flags & 0x3f;
		if (unmasked(f, e->flags & X87_SW_IE))
			return;
	}
	set_c1(f, false);
	push(f, v);
}

/* FLD m32/m64: quiet an SNaN with IE. */
static void load_fp(struct x87 *f, unsigned kind, const uint8_t *in)
{
	struct sf_env e;

	env_init(f, &e);
	struct x87_f80 v = mem_operand(&e, kind, in);
	if ((v.se & 0x7fff) == 0x7fff && (v.m << 1) && !(v.m >> 62 & 1)) {
		e.flags |= X87_SW_IE;
		v.m |= 1ull << 62;
	}
	load(f, v, &e);
}

static void store_indefinite(unsigned kind, uint8_t *out)
{
	switch (kind) {
	case X87_M_INT16: put_le(out, 0x8000, 2); break;
	case X87_M_INT32: put_le(out, 0x80000000u, 4); break;
	case X87_M_INT64: put_le(out, 1ull << 63, 8); break;
	case X87_M_FP32: put_le(out, 0xffc00000u, 4); break;
	case X87_M_FP64: put_le(out, 0xfff8000000000000ull, 8); break;
	case X87_M_BCD80:
		memset(out, 0, 10);
		out[7] = 0xc0;
		out[8] = out[9] = 0xff;
		break;
	default: x87_f80_put(out, sf_indefinite()); break;
	}
}

static void store(struct x87 *f, unsigned kind, bool dopop, uint8_t *out,
		  struct x87_result *res)
{
	struct sf_env e;
	uint8_t tmp[10];
	unsigned size = x87_mem_size(kind, false);

	if (is_empty(f, 0)) {
		if (!stack_fault(f, false))
			return;
		store_indefinite(kind, out);
	} else {
		uint8_t *dst = out;
		out = tmp;
		struct x87_f80 v = st(f, 0);
		env_init(f, &e);
		switch (kind) {
		case X87_M_INT16: put_le(out, (uint64_t)sf_to_int(&e, v, 16), 2); break;
		case X87_M_INT32: put_le(out, (uint64_t)sf_to_int(&e, v, 32), 4); break;
		case X87_M_INT64: put_le(out, (uint64_t)sf_to_int(&e, v, 64), 8); break;
		case X87_M_FP32: put_le(out, sf_to_f32(&e, v), 4); break;
		case X87_M_FP64: put_le(out, sf_to_f64(&e, v), 8); break;
		case X87_M_BCD80: sf_to_bcd(&e, v, out); break;
		default: x87_f80_put(out, v); break;
		}
		if (!commit_mem(f, &e))
			return;
		memcpy(dst, tmp, size);
	}
	res->store = 1;
	if (dopop)
		pop(f);
}

/* ---- one-operand and special instructions ---- */

/* ST(0) = fn(ST(0)) for FSQRT, FRNDINT, F2XM1. */
static void unary(struct x87 *f, struct x87_f80 (*fn)(struct sf_env *, struct x87_f80))
{
	struct sf_env e;

	if (is_empty(f, 0)) {
		if (stack_fault(f, false))
			set_st(f, 0, sf_indefinite());
		return;
	}
	env_init(f, &e);
	struct x87_f80 v = fn(&e, st(f, 0));
	if (commit(f, &e))
		set_st(f, 0, v);
}

/* Instructions that replace ST(0) and push a second result: FPTAN,
 * FSINCOS, FXTRACT.  Both results are the indefinite on a masked stack
 * fault. */
static bool two_result_fault(struct x87 *f)
{
	bool over = !is_empty(f, 7);

	if (!is_empty(f, 0) && !over)
		return false;
	if (stack_fault(f, over && !is_empty(f, 0))) {
		set_st(f, 0, sf_indefinite());
		push(f, sf_indefinite());
	}
	return true;
}

static void fxtract(struct x87 *f)
{
	struct sf_env e;
	struct sf_num n;

	if (two_result_fault(f))
		return;
	env_init(f, &e);
	struct x87_f80 a = st(f, 0), ex, sig;
	sf_unpack(&e, a, &n);
	if (sf_is_nanlike(&n)) {
		ex = sig = sf_nan1(&e, a, &n);
	} else if (n.cls == SF_ZERO) {
		e.flags |= X87_SW_ZE;
		ex = sf_inf(1);
		sig = a;
	} else if (n.cls == SF_INF) {
		ex = sf_inf(0);
		sig = a;
	} else {
		if (n.denormal)
			e.flags |= X87_SW_DE;
		ex = sf_from_int(n.q + 63);
		sig = sf_make(n.sign, SF_BIAS, n.m);
	}
	if (!commit(f, &e))
		return;
	set_c1(f, false);
	set_st(f, 0, ex);
	push(f, sig);
}

static void fptan_sincos(struct x87 *f, bool tan)
{
	struct sf_env e;
	struct x87_f80 r0, r1;

	if (two_result_fault(f))
		return;
	env_init(f, &e);
	bool ok = tan ? sf_tan(&e, st(f, 0), &r0)
		      : sf_sincos(&e, st(f, 0), &r0, &r1, true, true);
	if (!ok) {
		f->sw |= X87_SW_C2;
		return;
	}
	f->sw &= (uint16_t)~X87_SW_C2;
	if (tan)
		r1 = sf_make(0, SF_BIAS, 1ull << 63);
	/* A NaN or invalid operand gives the same NaN in both. */
	if ((r0.se & 0x7fff) == 0x7fff && (r0.m << 1))
		r1 = r0;
	if (!commit(f, &e))
		return;
	set_st(f, 0, r0);
	push(f, r1);
}

static void sin_cos(struct x87 *f, bool cos)
{
	struct sf_env e;
	struct x87_f80 s, c;

	if (is_empty(f, 0)) {
		if (stack_fault(f, false))
			set_st(f, 0, sf_indefinite());
		return;
	}
	env_init(f, &e);
	if (!sf_sincos(&e, st(f, 0), &s, &c, !cos, cos)) {
		f->sw |= X87_SW_C2;
		return;
	}
	f->sw &= (uint16_t)~X87_SW_C2;
	if (commit(f, &e))
		set_st(f, 0, cos ? c : s);
}

/* Two-operand instructions on ST(0) and ST(1): FPREM, FPREM1, FSCALE,
 * and (result in ST(1), popping) FYL2X, FYL2XP1, FPATAN. */
enum { B_PREM, B_PREM1, B_SCALE, B_YL2X, B_YL2XP1, B_PATAN };

static void binary01(struct x87 *f, int which)
{
	struct sf_env e;
	struct x87_f80 v;
	bool to_st1 = which >= B_YL2X;

	if (is_empty(f, 0) || is_empty(f, 1)) {
		if (!stack_fault(f, false))
			return;
		set_st(f, to_st1 ? 1 : 0, sf_indefinite());
		if (to_st1)
			pop(f);
		return;
	}
	env_init(f, &e);
	struct x87_f80 a = st(f, 0), b = st(f, 1);
	unsigned q = 0;
	bool partial = false;
	switch (which) {
	case B_PREM:
	case B_PREM1:
		v = sf_rem(&e, a, b, which == B_PREM1, &q, &partial);
		break;
	case B_SCALE:
		v = sf_scale(&e, a, b);
		break;
	case B_YL2X:
	case B_YL2XP1:
		v = sf_fyl2x(&e, a, b, which == B_YL2XP1);
		break;
	default:
		v = sf_fpatan(&e, a, b);
		break;
	}
	if (!commit(f, &e))
		return;
	if (which <= B_PREM1) {
		uint16_t cc = 0;
		/* An incomplete reduction reports C2 alone. */
		if (partial)
			q = 0;
		if (q & 4)
			cc |= X87_SW_C0;
		if (q & 2)
			cc |= X87_SW_C3;
		if (q & 1)
			cc |= X87_SW_C1;
		if (partial)
			cc |= X87_SW_C2;
		set_cc(f, cc);
	}
	if (to_st1) {
		set_st(f, 1, v);
		pop(f);
	} else {
		set_st(f, 0, v);
	}
}

static void fxam(struct x87 *f)
{
	struct x87_f80 v = st(f, 0);
	unsigned e = v.se & 0x7fff;
	uint16_t cc;

	if (is_empty(f, 0))
		cc = X87_SW_C3 | X87_SW_C0;
	else if (e == 0x7fff && (v.m >> 63))
		cc = (v.m << 1) ? X87_SW_C0 : X87_SW_C2 | X87_SW_C0;
	else if (e == 0 && v.m == 0)
		cc = X87_SW_C3;
	else if (e == 0)
		cc = X87_SW_C3 | X87_SW_C2;
	else if (v.m >> 63)
		cc = X87_SW_C2;
	else
		cc = f->model < X87_387 ? X87_SW_C2 : 0;	/* unnormal */
	if (v.se >> 15)
		cc |= X87_SW_C1;
	set_cc(f, cc);
}

static void fxch(struct x87 *f, unsigned i)
{
	if (is_empty(f, 0) || is_empty(f, i)) {
		if (!stack_fault(f, false))
			return;
		if (is_empty(f, 0))
			set_st(f, 0, sf_indefinite());
		if (is_empty(f, i))
			set_st(f, i, sf_indefinite());
	} else {
		set_c1(f, false);
	}
	struct x87_f80 t = st(f, 0);
	set_st(f, 0, st(f, i));
	set_st(f, i, t);
}

static void fst_reg(struct x87 *f, unsigned i, bool dopop)
{
	if (is_empty(f, 0)) {
		if (!stack_fault(f, false))
			return;
		set_st(f, i, sf_indefinite());
	} else {
		set_c1(f, false);
		set_st(f, i, st(f, 0));
	}
	if (dopop)
		pop(f);
}

static bool fcmov_cond(unsigned reg, uint32_t fl)
{
	bool c;

	switch (reg & 3) {
	case 0: c = fl & FL_CF; break;
	case 1: c = fl & FL_ZF; break;
	case 2: c = fl & (FL_CF | FL_ZF); break;
	default: c = fl & FL_PF; break;
	}
	return (reg & 4) ? !c : c;
}

static void fabs_chs(struct x87 *f, bool chs)
{
	if (is_empty(f, 0)) {
		if (stack_fault(f, false))
			set_st(f, 0, sf_indefinite());
		return;
	}
	struct x87_f80 v = st(f, 0);
	v.se = chs ? v.se ^ 0x8000 : v.se & 0x7fff;
	set_c1(f, false);
	set_st(f, 0, v);
}

static void fninit(struct x87 *f)
{
	x87_init(f, f->model, f->features);
}

/* ---- dispatch ---- */

static int exec_mem(struct x87 *f, const struct x87_op *op, const struct x87_ctx *ctx,
		    const uint8_t *in, uint8_t *out, struct x87_result *res)
{
	unsigned reg = (op->modrm >> 3) & 7;
	struct sf_env e;

	if (!(op->esc & 1)) {		/* D8 DA DC DE: arithmetic */
		env_init(f, &e);
		struct x87_f80 b = mem_operand(&e, op->kind, in);
		/* DE from a denormal m32/m64, unless the stack faults or
		 * ST(0) is a NaN (which decides the result first). */
		struct sf_num n0;
		sf_unpack(&e, st(f, 0), &n0);
		uint16_t pre = (!is_empty(f, 0) && !sf_is_nanlike(&n0)) ? e.flags : 0;
		if (reg == 7 && n0.cls == SF_ZERO)
			pre = 0;	/* ZE outranks the dividend's DE */
		if (reg == 2 || reg == 3) {
			compare(f, b, false, false, reg == 3, pre);
			return X87_OK;
		}
		f->sw |= pre & 0x3f;
		if (unmasked(f, pre & PRE_EXC))
			return X87_OK;
		else
			arith(f, reg, 0, st(f, 0), b, is_empty(f, 0), false);
		return X87_OK;
	}
	switch (op->esc << 4 | reg) {
	case 0xd90: case 0xdd0:
		load_fp(f, op->kind, in);
		break;
	case 0xdb0: case 0xdf0: case 0xdf5: case 0xdf4: case 0xdb5:
		load(f, mem_operand(NULL, op->kind, in), NULL);
		break;
	case 0xd92: case 0xdb2: case 0xdd2: case 0xdf2:
		store(f, op->kind, false, out, res);
		break;
	case 0xd93: case 0xdb3: case 0xdd3: case 0xdf3:
	case 0xdb7: case 0xdf6: case 0xdf7:
		store(f, op->kind, true, out, res);
		break;
	case 0xd94:
		x87_env_load(f, ctx, in);
		break;
	case 0xd95:
		f->cw = (uint16_t)(get_le(in, 2) | 0x40);
		break;
	case 0xd96:
		x87_env_store(f, ctx, out);
		f->cw |= X87_CW_EXC;
		res->store = 1;
		break;
	case 0xd97:
		put_le(out, f->cw, 2);
		res->store = 1;
		break;
	case 0xdd4:
		x87_state_load(f, ctx, in);
		break;
	case 0xdd6:
		x87_state_store(f, ctx, out);
		res->store = 1;
		fninit(f);
		break;
	case 0xdd7:
		put_le(out, f->sw, 2);
		res->store = 1;
		break;
	default:
		return X87_UD;
	}
	return X87_OK;
}

static void const_load(struct x87 *f, unsigned rm)
{
	struct sf_env e;
	static const int k[] = { 0, SF_K_L2T, SF_K_L2E, SF_K_PI, SF_K_LG2, SF_K_LN2 };

	env_init(f, &e);
	if (rm == 0)
		load(f, sf_make(0, SF_BIAS, 1ull << 63), NULL);
	else if (rm == 6)
		load(f, sf_zero(0), NULL);
	else
		load(f, sf_const(&e, k[rm]), NULL);
}

static int exec_d9(struct x87 *f, unsigned reg, unsigned rm)
{
	switch (reg) {
	case 0:				/* FLD ST(i); a full stack outranks an empty ST(i) */
		if (is_empty(f, rm) && is_empty(f, 7)) {
			if (stack_fault(f, false))
				push(f, sf_indefinite());
		} else {
			load(f, st(f, rm), NULL);
		}
		return X87_OK;
	case 1: fxch(f, rm); return X87_OK;
	case 2: return X87_OK;			/* FNOP */
	case 3: fst_reg(f, rm, true); return X87_OK;
	case 4:
		switch (rm) {
		case 0: fabs_chs(f, true); break;
		case 1: fabs_chs(f, false); break;
		case 4: {
			struct x87_f80 z = sf_zero(0);
			compare(f, z, false, false, 0, 0);
			break;
		}
		default: fxam(f); break;
		}
		return X87_OK;
	case 5: const_load(f, rm); return X87_OK;
	case 6:
		switch (rm) {
		case 0: unary(f, sf_f2xm1); break;
		case 1: binary01(f, B_YL2X); break;
		case 2: fptan_sincos(f, true); break;
		case 3: binary01(f, B_PATAN); break;
		case 4: fxtract(f); break;
		case 5:
			if (f->model < X87_387)
				return X87_UD;
			binary01(f, B_PREM1);
			break;
		case 6: set_top(f, top(f) - 1); set_c1(f, false); break;
		default: set_top(f, top(f) + 1); set_c1(f, false); break;
		}
		return X87_OK;
	default:
		switch (rm) {
		case 0: binary01(f, B_PREM); break;
		case 1: binary01(f, B_YL2XP1); break;
		case 2: unary(f, sf_sqrt); break;
		case 3:
			if (f->model < X87_387)
				return X87_UD;
			fptan_sincos(f, false);
			break;
		case 4: unary(f, sf_rndint); break;
		case 5: binary01(f, B_SCALE); break;
		default:
			if (f->model < X87_387)
				return X87_UD;
			sin_cos(f, rm == 7);
			break;
		}
		return X87_OK;
	}
}

static int exec_reg(struct x87 *f, const struct x87_op *op, const struct x87_ctx *ctx,
		    struct x87_result *res)
{
	unsigned reg = (op->modrm >> 3) & 7, rm = op->modrm & 7;
	bool p6 = f->features & X87_FEAT_P6, i387 = f->model >= X87_387;

	switch (op->esc) {
	case 0xd8:
		if (reg == 2 || reg == 3)
			compare(f, st(f, rm), is_empty(f, rm), false, reg == 3, 0);
		else
			arith(f, reg, 0, st(f, 0), st(f, rm),
			      is_empty(f, 0) || is_empty(f, rm), false);
		return X87_OK;
	case 0xdc:
	case 0xde:
		if (reg == 2 || reg == 3) {	/* FCOM2/FCOMP3/FCOMP5 aliases, FCOMPP */
			int npop = op->esc == 0xde ? reg - 1 : reg - 2;
			compare(f, st(f, rm), is_empty(f, rm), false, npop, 0);
		} else {
			/* ST(i) = ST(i) op ST(0): the SUB/DIV pairs swap. */
			arith(f, reg >= 4 ? reg ^ 1 : reg, rm, st(f, rm), st(f, 0),
			      is_empty(f, 0) || is_empty(f, rm), op->esc == 0xde);
		}
		return X87_OK;
	case 0xd9:
		return exec_d9(f, reg, rm);
	case 0xda:
	case 0xdb:
		if (reg < 4) {
			if (!p6)
				return X87_UD;
			if (is_empty(f, 0) || is_empty(f, rm)) {
				if (stack_fault(f, false))
					set_st(f, 0, sf_indefinite());
				return X87_OK;
			}
			set_c1(f, false);
			if (fcmov_cond(reg | (op->esc == 0xdb ? 4 : 0), ctx->eflags))
				set_st(f, 0, st(f, rm));
			return X87_OK;
		}
		if (op->esc == 0xda) {		/* FUCOMPP */
			if (!i387)
				return X87_UD;
			compare(f, st(f, 1), is_empty(f, 1), true, 2, 0);
			return X87_OK;
		}
		if (reg == 4) {
			switch (rm) {
			case 0: if (f->model == X87_8087) f->cw &= ~X87_CW_IEM; break;
			case 1: if (f->model == X87_8087) f->cw |= X87_CW_IEM; break;
			case 2: f->sw &= 0x7f00; break;
			case 3: fninit(f); break;
			default: break;			/* FSETPM */
			}
			return X87_OK;
		}
		if (!p6)
			return X87_UD;
		comparei(f, rm, reg == 5, false, res);
		return X87_OK;
	case 0xdd:
		switch (reg) {
		case 0: f->valid &= (uint8_t)~(1u << phys(f, rm)); return X87_OK;
		case 1: fxch(f, rm); return X87_OK;
		case 2: case 3: fst_reg(f, rm, reg == 3); return X87_OK;
		default:
			if (!i387)
				return X87_UD;
			compare(f, st(f, rm), is_empty(f, rm), true, reg == 5, 0);
			return X87_OK;
		}
	default:	/* DF */
		switch (reg) {
		case 0:				/* FFREEP */
			f->valid &= (uint8_t)~(1u << phys(f, rm));
			pop(f);
			return X87_OK;
		case 1: fxch(f, rm); return X87_OK;
		case 2: case 3: fst_reg(f, rm, true); return X87_OK;
		case 4:
			if (f->model == X87_8087)
				return X87_UD;
			res->set_ax = 1;
			res->ax = f->sw;
			return X87_OK;
		default:
			if (!p6)
				return X87_UD;
			comparei(f, rm, reg == 5, true, res);
			return X87_OK;
		}
	}
}

int x87_wait(const struct x87 *f, const struct x87_ctx *ctx)
{
	if ((ctx->cr0 & (CR0_TS | CR0_MP)) == (CR0_TS | CR0_MP))
		return X87_NM;
	if (f->model != X87_NONE && x87_pending(f) && (ctx->cr0 & CR0_NE))
		return X87_MF;
	return X87_OK;
}

int x87_exec(struct x87 *f, const struct x87_op *op, const struct x87_ctx *ctx,
	     const uint8_t *in, uint8_t *out, struct x87_result *res)
{
	memset(res, 0, sizeof(*res));
	if (ctx->cr0 & (CR0_EM | CR0_TS))
		return X87_NM;
	if (f->model == X87_NONE)
		return X87_NOFPU;
	if (op->undefined)
		return X87_UD;
	if (!op->nowait && x87_pending(f) && (ctx->cr0 & CR0_NE))
		return X87_MF;
	if (!op->control) {
		f->fop = (uint16_t)((op->esc & 7) << 8 | op->modrm);
		f->fip = ctx->ip;
		f->fcs = ctx->cs;
		if (op->mem) {
			f->fdp = ctx->ea;
			f->fds = ctx->ds;
		}
	}
	int rc = op->mem ? exec_mem(f, op, ctx, in, out, res) : exec_reg(f, op, ctx, res);
	if (f->sw & ~f->cw & 0x3f)
		f->sw |= X87_SW_ES | X87_SW_B;
	else
		f->sw &= (uint16_t)~(X87_SW_ES | X87_SW_B);
	res->pending = x87_pending(f);
	return rc;
}

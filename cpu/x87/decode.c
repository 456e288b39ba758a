/* ESC opcode decoding: what memory operand an x87 instruction has. */
#include <string.h>

#include "cpu/x87/x87.h"

/* Memory forms, [esc - 0xd8][reg]: kind and direction; 0 kind with a
 * direction means "no such instruction". */
struct mform {
	uint8_t kind, dir, flags;
};

enum { NW = 1, CTL = 2, UNDEF = 4 };

#define L X87_LOAD
#define S X87_STORE
#define ARITH(k) { k, L, 0 }, { k, L, 0 }, { k, L, 0 }, { k, L, 0 }, \
		{ k, L, 0 }, { k, L, 0 }, { k, L, 0 }, { k, L, 0 }

static const struct mform mforms[8][8] = {
	/* D8 */ { ARITH(X87_M_FP32) },
	/* D9 */ { { X87_M_FP32, L, 0 }, { 0, 0, UNDEF }, { X87_M_FP32, S, 0 },
		   { X87_M_FP32, S, 0 }, { X87_M_ENV, L, CTL }, { X87_M_WORD, L, CTL },
		   { X87_M_ENV, S, CTL | NW }, { X87_M_WORD, S, CTL | NW } },
	/* DA */ { ARITH(X87_M_INT32) },
	/* DB */ { { X87_M_INT32, L, 0 }, { 0, 0, UNDEF }, { X87_M_INT32, S, 0 },
		   { X87_M_INT32, S, 0 }, { 0, 0, UNDEF }, { X87_M_FP80, L, 0 },
		   { 0, 0, UNDEF }, { X87_M_FP80, S, 0 } },
	/* DC */ { ARITH(X87_M_FP64) },
	/* DD */ { { X87_M_FP64, L, 0 }, { 0, 0, UNDEF }, { X87_M_FP64, S, 0 },
		   { X87_M_FP64, S, 0 }, { X87_M_STATE, L, CTL }, { 0, 0, UNDEF },
		   { X87_M_STATE, S, CTL | NW }, { X87_M_WORD, S, CTL | NW } },
	/* DE */ { ARITH(X87_M_INT16) },
	/* DF */ { { X87_M_INT16, L, 0 }, { 0, 0, UNDEF }, { X87_M_INT16, S, 0 },
		   { X87_M_INT16, S, 0 }, { X87_M_BCD80, L, 0 }, { X87_M_INT64, L, 0 },
		   { X87_M_BCD80, S, 0 }, { X87_M_INT64, S, 0 } },
};

/* Register forms that are not instructions on any model.  Returns the
 * flags for defined ones. */
static unsigned reg_flags(uint8_t esc, uint8_t modrm)
{
	unsigned reg = (modrm >> 3) & 7, rm = modrm & 7;

	switch (esc) {
	case 0xd9:
		if (reg == 2)
			return rm == 0 ? 0 : UNDEF;	/* FNOP */
		if (reg == 4)
			return (rm == 2 || rm == 3 || rm == 6 || rm == 7) ? UNDEF : 0;
		if (reg == 5)
			return rm == 7 ? UNDEF : 0;
		return 0;
	case 0xda:
		if (reg < 4)
			return 0;			/* FCMOVcc */
		return (reg == 5 && rm == 1) ? 0 : UNDEF;	/* FUCOMPP */
	case 0xdb:
		if (reg == 4) {
			if (rm <= 1 || rm == 4)
				return NW | CTL;	/* FNENI FNDISI FNSETPM */
			if (rm == 2 || rm == 3)
				return NW | CTL;	/* FNCLEX FNINIT */
			return UNDEF;
		}
		return reg == 7 ? UNDEF : 0;
	case 0xdd:
		return reg >= 6 ? UNDEF : 0;
	case 0xde:
		return (reg == 3 && rm != 1) ? UNDEF : 0;
	case 0xdf:
		if (reg == 4)
			return rm == 0 ? NW | CTL : UNDEF;	/* FNSTSW AX */
		return reg == 7 ? UNDEF : 0;
	default:
		return 0;
	}
}

void x87_decode(uint8_t esc, uint8_t modrm, struct x87_op *out)
{
	unsigned flags;

	memset(out, 0, sizeof(*out));
	out->esc = esc;
	out->modrm = modrm;
	if (esc < 0xd8) {
		out->undefined = 1;
		return;
	}
	if (modrm < 0xc0) {
		const struct mform *m = &mforms[esc - 0xd8][(modrm >> 3) & 7];
		out->mem = 1;
		out->kind = m->kind;
		out->dir = m->dir;
		flags = m->flags;
	} else {
		flags = reg_flags(esc, modrm);
	}
	out->nowait = !!(flags & NW);
	out->control = !!(flags & CTL);
	out->undefined = !!(flags & UNDEF);
	if (out->undefined)
		out->mem = 0;
}

unsigned x87_mem_size(enum x87_mem_kind kind, bool op32)
{
	switch (kind) {
	case X87_M_INT16:
	case X87_M_WORD:
		return 2;
	case X87_M_INT32:
	case X87_M_FP32:
		return 4;
	case X87_M_INT64:
	case X87_M_FP64:
		return 8;
	case X87_M_FP80:
	case X87_M_BCD80:
		return 10;
	case X87_M_ENV:
		return op32 ? 28 : 14;
	case X87_M_STATE:
		return op32 ? 108 : 94;
	case X87_M_FXSAVE:
		return 512;
	default:
		return 0;
	}
}

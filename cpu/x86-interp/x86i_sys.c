/* System instructions of the 80286 (the 0F opcode page and ARPL):
 * descriptor-table registers, LDTR/TR, the machine status word, and the
 * descriptor probes LAR/LSL/VERR/VERW. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

#define H(name) static void name(struct x86i_cpu *c, struct insn *i)

static int prot_cpl0(struct x86i_cpu *c)
{
	return !pmode(c) || c->cpl == 0;
}

static void need_cpl0(struct x86i_cpu *c)
{
	if (!prot_cpl0(c))
		x86i_raise(c, X86I_GP, 0);
}

/* Protected-mode only instructions are #UD in real (and V86) mode. */
static void need_pmode(struct x86i_cpu *c, struct insn *i)
{
	if (!pmode(c) || (c->s->rflags & X86_VM))
		x86i_undefined(c, i);
}

static void mem_only(struct x86i_cpu *c, struct insn *i)
{
	if (i->mod == 3)
		x86i_undefined(c, i);
}

/* --- 0F 00: SLDT STR LLDT LTR VERR VERW --------------------------------- */

static void lldt(struct x86i_cpu *c, uint16_t sel)
{
	struct x86i_desc d;
	struct x86_seg *l = &c->s->ldtr;

	if (!(sel & ~3)) {
		l->sel = sel;
		l->attr = 0;
		l->base = 0;
		l->limit = 0;
		return;
	}
	if ((sel & 4) || x86i_desc_read(c, sel, &d) || desc_type(&d) != DT_LDT)
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if (!desc_present(&d))
		x86i_raise(c, X86I_NP, sel & 0xfffc);
	x86i_desc_to_seg(&d, sel, l);
}

static void ltr(struct x86i_cpu *c, uint16_t sel)
{
	struct x86i_desc d;
	unsigned type;

	if (!(sel & ~3))
		x86i_raise(c, X86I_GP, 0);
	if ((sel & 4) || x86i_desc_read(c, sel, &d))
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	type = desc_type(&d);
	if (type != DT_TSS16 && !(type == DT_TSS32 && (c->feat & CPUF_386)))
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if (!desc_present(&d))
		x86i_raise(c, X86I_NP, sel & 0xfffc);
	d.hi |= 0x200;
	lwr8(c, d.addr + 5, (uint8_t)(d.hi >> 8));
	x86i_desc_to_seg(&d, sel, &c->s->tr);
}

/* VERR/VERW: ZF says whether the segment is readable/writable here. */
static int verify(struct x86i_cpu *c, uint16_t sel, int wr)
{
	struct x86i_desc d;
	unsigned type, dpl, rpl = sel & 3;

	if (!(sel & ~3) || x86i_desc_read(c, sel, &d) || !(d.hi & 0x1000))
		return 0;
	type = desc_type(&d);
	dpl = desc_dpl(&d);
	if ((type & 0x1c) != 0x1c && (dpl < c->cpl || dpl < rpl))
		return 0;
	if (wr)
		return (type & 0x1a) == 0x12;
	return !(type & 8) || (type & 2);
}

H(op_0f00)
{
	uint16_t sel;

	need_pmode(c, i);
	switch (i->reg) {
	case 0:
		set_rm16(c, i, c->s->ldtr.sel);
		break;
	case 1:
		set_rm16(c, i, c->s->tr.sel);
		break;
	case 2:
		need_cpl0(c);
		lldt(c, get_rm16(c, i));
		break;
	case 3:
		need_cpl0(c);
		ltr(c, get_rm16(c, i));
		break;
	case 4:
	case 5:
		sel = get_rm16(c, i);
		setf(c, X86_ZF, verify(c, sel, i->reg == 5));
		break;
	default:
		x86i_undefined(c, i);
	}
}

/* --- 0F 01: SGDT SIDT LGDT LIDT SMSW LMSW ------------------------------ */

static void store_dt(struct x86i_cpu *c, struct insn *i, const struct x86_dtable *t)
{
	uint32_t base = (uint32_t)t->base;

	wr16(c, i->seg, i->ea, t->limit);
	if (c->feat & CPUF_386) {
		/* 16-bit operand size stores a 24-bit base (386: top byte 0). */
		wr32(c, i->seg, i->ea + 2, i->osz == 4 ? base : (base & 0xffffff));
		return;
	}
	wr16(c, i->seg, (uint16_t)(i->ea + 2), (uint16_t)base);
	/* The 80286 stores FFh in the unused top byte. */
	wr16(c, i->seg, (uint16_t)(i->ea + 4), (uint16_t)(((base >> 16) & 0xff) | 0xff00));
}

static void load_dt(struct x86i_cpu *c, struct insn *i, struct x86_dtable *t)
{
	uint16_t limit = rd16(c, i->seg, i->ea);
	uint32_t base;

	if (c->feat & CPUF_386) {
		base = rd32(c, i->seg, i->ea + 2);
		if (i->osz == 2)
			base &= 0xffffff;
	} else {
		base = rd16(c, i->seg, (uint16_t)(i->ea + 2));
		base |= (uint32_t)rd8(c, i->seg, (uint16_t)(i->ea + 4)) << 16;
	}
	t->limit = limit;
	t->base = base;
}

uint16_t x86i_msw(struct x86i_cpu *c)
{
	uint16_t msw = (uint16_t)c->s->cr0;

	/* 80286: the unused MSW bits read as ones. */
	return c->feat & CPUF_386 ? msw : (msw | 0xfff0);
}

H(op_0f01)
{
	struct x86_state *s = c->s;
	uint16_t msw;

	switch (i->reg) {
	case 0:
		mem_only(c, i);
		store_dt(c, i, &s->gdtr);
		break;
	case 1:
		mem_only(c, i);
		store_dt(c, i, &s->idtr);
		break;
	case 2:
		mem_only(c, i);
		need_cpl0(c);
		load_dt(c, i, &s->gdtr);
		break;
	case 3:
		mem_only(c, i);
		need_cpl0(c);
		load_dt(c, i, &s->idtr);
		break;
	case 4:
		/* SMSW to a 32-bit register gives all of CR0 (386+). */
		if (i->mod == 3 && i->osz == 4)
			w32(c, i->rm, (uint32_t)s->cr0);
		else
			set_rm16(c, i, x86i_msw(c));
		break;
	case 6:
		need_cpl0(c);
		msw = get_rm16(c, i);
		/* PE can be set but not cleared by LMSW. */
		s->cr0 = (s->cr0 & ~(uint64_t)0xe) | (msw & 0xf) | (s->cr0 & 1);
		break;
	case 7:
		/* INVLPG (80486+). */
		if (!(c->model->family >= CPU_80486) || i->mod == 3) {
			x86i_undefined(c, i);
			break;
		}
		need_cpl0(c);
		x86i_pcache_flush(c);
		break;
	default:
		x86i_undefined(c, i);
	}
}

/* --- 0F 02/03: LAR LSL ------------------------------------------------- */

static int probe_ok(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d, int lsl)
{
	unsigned type, dpl, rpl = sel & 3;

	if (!(sel & ~3) || x86i_desc_read(c, sel, d))
		return 0;
	type = desc_type(d);
	dpl = desc_dpl(d);
	if (!(type & 0x10)) {
		switch (type) {
		case DT_TSS16: case DT_LDT: case DT_TSS16_BUSY:
			break;
		case DT_CALL16: case DT_TASK:
			if (lsl)
				return 0;
			break;
		case DT_TSS32: case DT_TSS32_BUSY:
			if (!(c->feat & CPUF_386))
				return 0;
			break;
		case DT_CALL32:
			if (lsl || !(c->feat & CPUF_386))
				return 0;
			break;
		default:
			return 0;
		}
	} else if ((type & 0x1c) == 0x1c) {
		return 1;	/* conforming code: no privilege check */
	}
	return dpl >= c->cpl && dpl >= rpl;
}

H(op_lar_lsl)
{
	struct x86i_desc d;
	uint16_t sel;
	int ok;

	need_pmode(c, i);
	sel = get_rm16(c, i);
	ok = probe_ok(c, sel, &d, i->op2 == 3);
	setf(c, X86_ZF, ok);
	if (!ok)
		return;
	if (i->op2 == 2)
		wreg(c, i->reg, i->osz, d.hi & 0x00f0ff00u);
	else
		wreg(c, i->reg, i->osz, x86i_desc_limit(&d));
}

/* --- 0F 06: CLTS ------------------------------------------------------- */

H(op_clts)
{
	need_cpl0(c);
	c->s->cr0 &= ~(uint64_t)8;
	(void)i;
}

H(op_0f_ud)
{
	x86i_undefined(c, i);
}

/* --- 63: ARPL ---------------------------------------------------------- */

void x86i_op_arpl(struct x86i_cpu *c, struct insn *i)
{
	uint16_t dst, src;

	need_pmode(c, i);
	dst = get_rm16(c, i);
	src = r16(c, i->reg);
	if ((dst & 3) < (src & 3)) {
		set_rm16(c, i, (uint16_t)((dst & ~3) | (src & 3)));
		setf(c, X86_ZF, 1);
	} else {
		setf(c, X86_ZF, 0);
	}
}

/* I/O permission: CPL <= IOPL passes (not in V86 mode); otherwise a
 * 32-bit TSS's I/O bitmap must clear every bit of the access. */
void x86i_io_check(struct x86i_cpu *c, uint16_t port, unsigned size)
{
	const struct x86_seg *tr = &c->s->tr;
	uint32_t map, at, bits;

	if (!pmode(c))
		return;
	if (!(c->s->rflags & X86_VM) && c->cpl <= ((c->s->rflags >> 12) & 3))
		return;
	if (!(c->feat & CPUF_386) || (tr->attr & 0xf) != DT_TSS32_BUSY || tr->limit < 0x67)
		x86i_raise(c, X86I_GP, 0);
	map = lrd16(c, (uint32_t)tr->base + 0x66);
	at = map + port / 8;
	if (at + 1 > tr->limit)
		x86i_raise(c, X86I_GP, 0);
	bits = lrd16(c, (uint32_t)tr->base + at) >> (port & 7);
	if (bits & ((1u << size) - 1))
		x86i_raise(c, X86I_GP, 0);
}

void x86i_build_0f(uint8_t *attr, x86i_handler *ops, uint32_t feat, int family)
{
	for (int op = 0; op < 256; op++) {
		attr[op] = 0;
		ops[op] = op_0f_ud;
	}
	if (!(feat & CPUF_PROT))
		return;
	attr[0x00] = attr[0x01] = attr[0x02] = attr[0x03] = A_M;
	ops[0x00] = op_0f00;
	ops[0x01] = op_0f01;
	ops[0x02] = ops[0x03] = op_lar_lsl;
	ops[0x06] = op_clts;
	/* LOADALL is the 80286's alone (the 386's 0F 07 differs). */
	if (!(feat & CPUF_386))
		ops[0x05] = x86i_op_loadall;
	if (feat & CPUF_386)
		x86i_build_0f_386(attr, ops, feat, family);
}

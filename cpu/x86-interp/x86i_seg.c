/* Segmentation: descriptor fetch from the GDT/LDT, segment register loads
 * in real and protected mode with every check the 80286 makes, the hidden
 * descriptor caches, and the slow path of the per-access segment check. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

int x86i_desc_read(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d)
{
	const struct x86_state *s = c->s;
	uint32_t base, limit;

	if (sel & 4) {
		/* An LDT reference needs a usable LDTR. */
		if (!(s->ldtr.attr & 0x80))
			return -1;
		base = (uint32_t)s->ldtr.base;
		limit = s->ldtr.limit;
	} else {
		base = (uint32_t)s->gdtr.base;
		limit = s->gdtr.limit;
	}
	if ((uint32_t)(sel | 7) > limit)
		return -1;
	d->addr = base + (sel & ~7u);
	d->lo = lrd16(c, d->addr) | (uint32_t)lrd16(c, d->addr + 2) << 16;
	d->hi = lrd16(c, d->addr + 4) | (uint32_t)lrd16(c, d->addr + 6) << 16;
	/* The 80286 ignores descriptor bytes 6 and 7. */
	if (!(c->feat & CPUF_386))
		d->hi &= 0xffff;
	return 0;
}

uint32_t x86i_desc_base(const struct x86i_desc *d)
{
	return (d->lo >> 16) | (d->hi & 0xff) << 16 | (d->hi & 0xff000000u);
}

uint32_t x86i_desc_limit(const struct x86i_desc *d)
{
	uint32_t l = (d->lo & 0xffff) | (d->hi & 0x000f0000u);

	if (d->hi & (1u << 23))
		l = l << 12 | 0xfff;
	return l;
}

uint16_t x86i_desc_attr(const struct x86i_desc *d)
{
	return (uint16_t)(((d->hi >> 8) & 0xff) | ((d->hi >> 8) & 0xf000));
}

void x86i_desc_to_seg(const struct x86i_desc *d, uint16_t sel, struct x86_seg *sg)
{
	sg->sel = sel;
	sg->base = x86i_desc_base(d);
	sg->limit = x86i_desc_limit(d);
	sg->attr = x86i_desc_attr(d);
}

/* Sets the accessed bit of a code/data descriptor, as the CPU does on
 * every load (a write cycle even when already set is not modelled). */
void x86i_desc_touch(struct x86i_cpu *c, struct x86i_desc *d)
{
	if (!(d->hi & 0x100)) {
		d->hi |= 0x100;
		lwr8(c, d->addr + 5, (uint8_t)(d->hi >> 8));
	}
}

/* Error code for a selector: index, TI and the EXT bit. */
static int selerr(struct x86i_cpu *c, uint16_t sel)
{
	(void)c;
	return sel & 0xfffc;
}

void x86i_load_sreg(struct x86i_cpu *c, int sreg, uint16_t sel)
{
	struct x86_seg *sg = &c->s->seg[sreg];
	struct x86i_desc d;
	unsigned dpl, rpl = sel & 3, type;

	if (!pmode(c) || (c->s->rflags & X86_VM)) {
		sg->sel = sel;
		sg->base = (uint64_t)sel << 4;
		if (c->s->rflags & X86_VM) {
			sg->limit = 0xffff;
			sg->attr = sreg == X86_CS ? 0xfb : 0xf3;
		}
		return;
	}
	if (!(sel & ~3)) {
		if (sreg == X86_SS)
			x86i_raise(c, X86I_GP, 0);
		/* A null selector loads; using it faults. */
		sg->sel = sel;
		sg->base = 0;
		sg->limit = 0;
		sg->attr = 0;
		return;
	}
	if (x86i_desc_read(c, sel, &d))
		x86i_raise(c, X86I_GP, selerr(c, sel));
	type = (d.hi >> 8) & 0x1f;
	dpl = (d.hi >> 13) & 3;
	if (sreg == X86_SS) {
		/* Writable data at exactly CPL. */
		if ((type & 0x1a) != 0x12 || rpl != c->cpl || dpl != c->cpl)
			x86i_raise(c, X86I_GP, selerr(c, sel));
		if (!(d.hi & 0x8000))
			x86i_raise(c, X86I_SS, selerr(c, sel));
	} else {
		/* Data or readable code; privilege unless conforming code. */
		if (!(type & 0x10) || (type & 0x1a) == 0x18)
			x86i_raise(c, X86I_GP, selerr(c, sel));
		if ((type & 0x1c) != 0x1c && (dpl < c->cpl || dpl < rpl))
			x86i_raise(c, X86I_GP, selerr(c, sel));
		if (!(d.hi & 0x8000))
			x86i_raise(c, X86I_NP, selerr(c, sel));
	}
	x86i_desc_touch(c, &d);
	x86i_desc_to_seg(&d, sel, sg);
}

/* Loads CS for a far transfer to a code descriptor already checked by the
 * caller; the new CPL becomes the selector's RPL. */
void x86i_load_cs(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d, unsigned cpl)
{
	x86i_desc_touch(c, d);
	x86i_desc_to_seg(d, (uint16_t)((sel & ~3) | cpl), &c->s->seg[X86_CS]);
	x86i_set_cpl(c, cpl);
}

/* The offset range a segment allows, inclusive. */
void x86i_seg_range(const struct x86_seg *sg, uint32_t *lo, uint32_t *hi)
{
	if ((sg->attr & 0x1c) == 0x14) {
		/* Expand-down data: above the limit up to 64K or 4G (B bit). */
		*lo = sg->limit + 1;
		*hi = (sg->attr & 0x4000) ? 0xffffffffu : 0xffff;
	} else {
		*lo = 0;
		*hi = sg->limit;
	}
}

void x86i_seg_check_slow(struct x86i_cpu *c, int seg, uint32_t off, unsigned size, int wr)
{
	const struct x86_seg *sg = &c->s->seg[seg];
	int vec = seg == X86_SS ? X86I_SS : X86I_GP;
	uint32_t lo, hi;

	if (c->dbg_data)
		x86i_debug_data(c, seg, off, size, wr);
	/* Misaligned at CPL 3 with alignment checks on: #AC(0), after the
	 * segment checks pass. */
	if (off & (size - 1) & c->ac_align) {
		x86i_seg_range(sg, &lo, &hi);
		if (off >= lo && (uint64_t)off + size - 1 <= hi &&
		    (sg->attr & 0x80) && !(wr && !(sg->attr & 0x02)))
			x86i_raise(c, 17, 0);
	}
	/* A real-mode 80286 reports every overrun, stack too, as int 13. */
	if (!pmode(c) && !(c->feat & CPUF_386))
		vec = X86I_GP;
	if (pmode(c) && !(c->s->rflags & X86_VM)) {
		if (!(sg->attr & 0x80))
			x86i_raise(c, X86I_GP, 0);	/* null or unusable */
		if (sg->attr & 0x08) {
			/* Code: never writable, readable if R. */
			if (wr || !(sg->attr & 0x02))
				x86i_raise(c, X86I_GP, 0);
		} else if (wr && !(sg->attr & 0x02)) {
			x86i_raise(c, X86I_GP, 0);
		}
	}
	x86i_seg_range(sg, &lo, &hi);
	if (off < lo || (uint64_t)off + size - 1 > hi)
		x86i_raise(c, vec, 0);
}

/* Data segment registers whose DPL is below the new CPL become null on a
 * return to an outer level (so the outer code cannot keep using them). */
void x86i_seg_outer_clear(struct x86i_cpu *c)
{
	static const int regs[] = { X86_ES, X86_DS, X86_FS, X86_GS };

	for (unsigned k = 0; k < sizeof(regs) / sizeof(regs[0]); k++) {
		struct x86_seg *sg = &c->s->seg[regs[k]];
		unsigned dpl = (sg->attr >> 5) & 3;
		/* Conforming code segments stay. */
		if ((sg->attr & 0x1c) == 0x1c)
			continue;
		if (dpl < c->cpl) {
			sg->sel = 0;
			sg->attr = 0;
			sg->base = 0;
			sg->limit = 0;
		}
	}
}

/* Checks a code descriptor for a direct far JMP/CALL (no gate) and for
 * RET/IRET targets is done by the callers; this one covers the common
 * part: must be code, present. */
void x86i_check_code(struct x86i_cpu *c, uint16_t sel, const struct x86i_desc *d)
{
	if (!(d->hi & 0x1000) || !(d->hi & 0x800))
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if (!(d->hi & 0x8000))
		x86i_raise(c, X86I_NP, sel & 0xfffc);
}

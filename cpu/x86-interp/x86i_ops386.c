/* The 0F opcode page from the 80386 on: near Jcc, SETcc, MOVZX/MOVSX, the
 * bit instructions, double shifts, IMUL r,r/m, LSS/LFS/LGS, PUSH/POP FS/GS,
 * control and debug register moves; the 80486 additions (BSWAP, XADD,
 * CMPXCHG, INVD/WBINVD), the Pentium's (CPUID, RDTSC, RDMSR/WRMSR,
 * CMPXCHG8B) and the Pentium II's (CMOVcc, UD2, SYSENTER/SYSEXIT, RDPMC). */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

#define H(name) static void name(struct x86i_cpu *c, struct insn *i)

static int v86(struct x86i_cpu *c)
{
	return (c->s->rflags & X86_VM) != 0;
}

/* Privileged: CPL 0 in protected mode, never in V86. */
static void need_ring0(struct x86i_cpu *c)
{
	if (v86(c) || (pmode(c) && c->cpl))
		x86i_raise(c, X86I_GP, 0);
}

H(op_jcc_near)
{
	if (x86i_cond(c, i->op2 & 0x0f)) {
		jump_to(c, i, ip(c) + (i->osz == 4 ? i->imm : (uint32_t)(int16_t)i->imm));
		clk(c, c->t->jcc_taken);
	}
}

H(op_setcc)
{
	set_rm8(c, i, (uint8_t)x86i_cond(c, i->op2 & 0x0f));
}

H(op_cmovcc)
{
	uint32_t v = get_rm(c, i, i->osz);	/* the source is read either way */

	if (x86i_cond(c, i->op2 & 0x0f))
		wreg(c, i->reg, i->osz, v);
}

H(op_push_fsgs)
{
	pushv(c, i->osz, c->s->seg[i->op2 == 0xa0 ? X86_FS : X86_GS].sel);
}

H(op_pop_fsgs)
{
	int sreg = i->op2 == 0xa1 ? X86_FS : X86_GS;
	uint32_t sp = get_sp(c);
	uint16_t sel = (uint16_t)popv(c, i->osz);

	set_sp(c, sp);
	x86i_load_sreg(c, sreg, sel);
	set_sp(c, sp + i->osz);
}

/* --- bit instructions -------------------------------------------------- */

/* BT/BTS/BTR/BTC: op 0..3.  A register bit offset addresses memory beyond
 * the operand (signed, in operand-size units). */
static void bit_op(struct x86i_cpu *c, struct insn *i, int op, uint32_t bit, int reg_form)
{
	unsigned sz = i->osz, bits = sz * 8;
	uint32_t v, m, ea = i->ea;

	if (i->mod == 3) {
		bit &= bits - 1;
		v = rreg(c, i->rm, sz);
	} else {
		if (reg_form) {
			int32_t disp = sz == 4 ? (int32_t)bit >> 5 : (int16_t)bit >> 4;
			ea += (uint32_t)disp * sz;
			if (i->asz == 2)
				ea &= 0xffff;
		}
		bit &= bits - 1;
		v = rdm(c, i->seg, ea, sz);
	}
	m = 1u << bit;
	setf(c, X86_CF, (v & m) != 0);
	switch (op) {
	case 1: v |= m; break;
	case 2: v &= ~m; break;
	case 3: v ^= m; break;
	default: return;
	}
	if (i->mod == 3)
		wreg(c, i->rm, sz, v);
	else
		wrm(c, i->seg, ea, sz, v);
}

H(op_bt_r)
{
	uint32_t bit = rreg(c, i->reg, i->osz);

	if (i->osz == 2)
		bit = (uint32_t)(int32_t)(int16_t)bit;
	bit_op(c, i, (i->op2 >> 3) & 3, bit, 1);
}

H(op_bt_imm)
{
	if (i->reg < 4) {
		x86i_undefined(c, i);
		return;
	}
	bit_op(c, i, i->reg & 3, i->imm & 0xff, 0);
}

H(op_bsf_bsr)
{
	uint32_t v = get_rm(c, i, i->osz);
	int n;

	if (!v) {
		setf(c, X86_ZF, 1);
		return;
	}
	setf(c, X86_ZF, 0);
	n = i->op2 == 0xbc ? __builtin_ctz(v) : 31 - __builtin_clz(v);
	wreg(c, i->reg, i->osz, (uint32_t)n);
}

/* SHLD/SHRD: count masked to 5 bits; counts above the operand size leave
 * an undefined result (here: that of the 32-bit shift). */
H(op_shxd)
{
	unsigned sz = i->osz, bits = sz * 8, count;
	int left = i->op2 < 0xa8;
	uint32_t dst = get_rm(c, i, sz), src = rreg(c, i->reg, sz), r;
	uint64_t wide;

	count = ((i->op2 & 1) ? r8(c, 1) : i->imm) & 31;
	if (!count)
		return;
	if (left) {
		wide = (uint64_t)dst << bits | src;
		r = (uint32_t)(wide >> (bits - count)) & (sz == 4 ? 0xffffffffu : 0xffff);
		setf(c, X86_CF, (dst >> (bits - count)) & 1);
	} else {
		wide = (uint64_t)src << bits | dst;
		r = (uint32_t)(wide >> count) & (sz == 4 ? 0xffffffffu : 0xffff);
		setf(c, X86_CF, (dst >> (count - 1)) & 1);
	}
	setf(c, X86_OF, ((r ^ dst) >> (bits - 1)) & 1);
	x86i_szp(c, r, (int)(sz >> 1));
	set_rm(c, i, sz, r);
}

H(op_imul_rm)
{
	if (i->osz == 4)
		w32(c, i->reg, x86i_imul32(c, (int32_t)r32(c, i->reg), (int32_t)get_rm(c, i, 4)));
	else
		w16(c, i->reg, x86i_imul16(c, (int16_t)r16(c, i->reg), (int16_t)get_rm16(c, i)));
	clk(c, c->t->imul16);
}

H(op_lxs)
{
	int sreg = i->op2 == 0xb2 ? X86_SS : i->op2 == 0xb4 ? X86_FS : X86_GS;
	uint32_t off;

	if (i->mod == 3) {
		x86i_undefined(c, i);
		return;
	}
	off = rdm(c, i->seg, i->ea, i->osz);
	x86i_load_sreg(c, sreg, rd16(c, i->seg, i->ea + i->osz));
	wreg(c, i->reg, i->osz, off);
	if (sreg == X86_SS)
		c->s->intr_shadow = 1;
}

H(op_movx)
{
	uint32_t v;

	if (i->op2 & 1)
		v = get_rm16(c, i);
	else
		v = get_rm8(c, i);
	if (i->op2 & 8)
		v = (i->op2 & 1) ? (uint32_t)(int16_t)v : (uint32_t)(int8_t)v;
	wreg(c, i->reg, i->osz, v);
}

/* --- control and debug registers --------------------------------------- */

static int has_cr4(struct x86i_cpu *c)
{
	return c->model->family >= CPU_PENTIUM;
}

H(op_mov_from_cr)
{
	uint32_t v;

	need_ring0(c);
	switch (i->reg) {
	case 0: v = (uint32_t)c->s->cr0; break;
	case 2: v = (uint32_t)c->s->cr2; break;
	case 3: v = (uint32_t)c->s->cr3; break;
	case 4:
		if (has_cr4(c)) {
			v = (uint32_t)c->s->cr4;
			break;
		}
		/* fallthrough */
	default:
		x86i_undefined(c, i);
		return;
	}
	w32(c, i->rm, v);
}

H(op_mov_to_cr)
{
	struct x86_state *s = c->s;
	uint32_t v = r32(c, i->rm);

	need_ring0(c);
	switch (i->reg) {
	case 0:
		if ((v & 0x80000000u) && !(v & 1))
			x86i_raise(c, X86I_GP, 0);
		/* ET is hardwired on the 486 and later. */
		if (c->model->family >= CPU_80486)
			v |= 0x10;
		if ((v ^ (uint32_t)s->cr0) & 0x80010001u)
			x86i_pcache_flush(c);
		s->cr0 = v;
		x86i_set_cpl(c, c->cpl);	/* TLB key, alignment checks */
		break;
	case 2:
		s->cr2 = v;
		break;
	case 3:
		s->cr3 = v;
		x86i_pcache_flush(c);
		break;
	case 4:
		if (!has_cr4(c) || (v & ~c->cr4_writable))
			x86i_raise(c, has_cr4(c) ? X86I_GP : X86I_UD, has_cr4(c) ? 0 : -1);
		if ((v ^ (uint32_t)s->cr4) & 0xb0)
			x86i_pcache_flush(c);
		s->cr4 = v;
		break;
	default:
		x86i_undefined(c, i);
	}
}

H(op_mov_dr)
{
	struct x86_state *s = c->s;
	int n = i->reg;

	need_ring0(c);
	if (n == 4 || n == 5) {
		/* With CR4.DE, DR4/DR5 are #UD; else aliases of DR6/DR7. */
		if (s->cr4 & 8)
			x86i_undefined(c, i);
		n += 2;
	}
	if (s->dr[7] & 0x2000) {
		/* General detect: the next debug register access faults. */
		s->dr[7] &= ~(uint64_t)0x2000;
		s->dr[6] |= 0x2000;
		x86i_raise(c, X86I_DB, -1);
	}
	if (i->op2 == 0x21) {
		w32(c, i->rm, (uint32_t)s->dr[n]);
		return;
	}
	if (n == 6)
		s->dr[6] = (r32(c, i->rm) & 0xe00f) | 0xffff0ff0u;
	else if (n == 7)
		s->dr[7] = (r32(c, i->rm) & 0xffff2bffu) | 0x400;
	else
		s->dr[n] = r32(c, i->rm);
	x86i_dr7_changed(c);
}

/* --- 80486 ------------------------------------------------------------- */

H(op_bswap)
{
	int r = i->op2 & 7;

	w32(c, r, __builtin_bswap32(r32(c, r)));
}

/* XADD and CMPXCHG: bit 0 of the byte after 0F selects byte or full size
 * (opsz() looks at the first opcode byte, which is 0F here). */
static unsigned opsz_0f(const struct insn *i)
{
	return (i->op2 & 1) ? i->osz : 1;
}

H(op_xadd)
{
	unsigned sz = opsz_0f(i);
	uint32_t d = get_rm(c, i, sz), s = rreg(c, i->reg, sz);
	uint32_t sum = x86i_alu(c, 0, d, s, (int)(sz >> 1));

	/* The register gets the old destination, then the sum is stored
	 * (when the destination is that register, the sum wins). */
	wreg(c, i->reg, sz, d);
	set_rm(c, i, sz, sum);
}

H(op_cmpxchg)
{
	unsigned sz = opsz_0f(i);
	uint32_t d = get_rm(c, i, sz), a = rreg(c, X86_RAX, sz);

	x86i_alu(c, 7, a, d, (int)(sz >> 1));
	if (a == d) {
		set_rm(c, i, sz, rreg(c, i->reg, sz));
	} else {
		/* The destination is written back either way (locked cycle). */
		set_rm(c, i, sz, d);
		wreg(c, X86_RAX, sz, d);
	}
}

H(op_invd)
{
	need_ring0(c);
	(void)i;
}

/* --- Pentium ----------------------------------------------------------- */

H(op_cpuid)
{
	uint32_t r[4];

	x86i_cpuid(c, r32(c, X86_RAX), r);
	w32(c, X86_RAX, r[0]);
	w32(c, X86_RBX, r[1]);
	w32(c, X86_RCX, r[2]);
	w32(c, X86_RDX, r[3]);
	(void)i;
}

H(op_rdtsc)
{
	if ((c->s->cr4 & 4) && pmode(c) && (c->cpl || v86(c)))
		x86i_raise(c, X86I_GP, 0);
	x86i_tsc_sync(c);
	uint64_t tsc = c->s->tsc;
	/* --smp runs the CPUs in turns, an AP up to a slice behind the boot
	 * CPU in virtual time (accel/smp.h): no read returns less than one
	 * another CPU already got, as with synchronized TSCs. */
	if (c->m->ncpus > 1) {
		if (tsc < c->m->tsc_seen)
			tsc = c->m->tsc_seen;
		c->m->tsc_seen = tsc;
	}
	w32(c, X86_RAX, (uint32_t)tsc);
	w32(c, X86_RDX, (uint32_t)(tsc >> 32));
	(void)i;
}

H(op_rdpmc)
{
	uint32_t n = r32(c, X86_RCX);

	if (n > 1 || ((pmode(c) && (c->cpl || v86(c))) && !(c->s->cr4 & 0x100)))
		x86i_raise(c, X86I_GP, 0);
	/* No performance events are modelled: the counters read zero. */
	w32(c, X86_RAX, 0);
	w32(c, X86_RDX, 0);
	(void)i;
}

H(op_rdmsr)
{
	uint64_t v;

	need_ring0(c);
	x86i_tsc_sync(c);
	if (x86i_msr_read(c, r32(c, X86_RCX), &v))
		x86i_raise(c, X86I_GP, 0);
	w32(c, X86_RAX, (uint32_t)v);
	w32(c, X86_RDX, (uint32_t)(v >> 32));
	(void)i;
}

H(op_wrmsr)
{
	uint64_t v = (uint64_t)r32(c, X86_RDX) << 32 | r32(c, X86_RAX);

	need_ring0(c);
	x86i_tsc_sync(c);
	if (x86i_msr_write(c, r32(c, X86_RCX), v))
		x86i_raise(c, X86I_GP, 0);
	(void)i;
}

H(op_cmpxchg8b)
{
	uint64_t m, edx_eax;

	if (i->mod == 3 || i->reg != 1) {
		x86i_undefined(c, i);
		return;
	}
	m = rd32(c, i->seg, i->ea) | (uint64_t)rd32(c, i->seg, i->ea + 4) << 32;
	edx_eax = (uint64_t)r32(c, X86_RDX) << 32 | r32(c, X86_RAX);
	if (m == edx_eax) {
		wr32(c, i->seg, i->ea, r32(c, X86_RBX));
		wr32(c, i->seg, i->ea + 4, r32(c, X86_RCX));
		setf(c, X86_ZF, 1);
	} else {
		wr32(c, i->seg, i->ea, (uint32_t)m);
		wr32(c, i->seg, i->ea + 4, (uint32_t)(m >> 32));
		w32(c, X86_RAX, (uint32_t)m);
		w32(c, X86_RDX, (uint32_t)(m >> 32));
		setf(c, X86_ZF, 0);
	}
}

/* --- Pentium II -------------------------------------------------------- */

H(op_ud2)
{
	x86i_raise(c, X86I_UD, -1);
	(void)i;
}

H(op_sysenter)
{
	struct x86_state *s = c->s;
	uint16_t cs = (uint16_t)s->sysenter_cs;

	if (!pmode(c) || !(cs & 0xfffc))
		x86i_raise(c, X86I_GP, 0);
	s->rflags &= ~(uint64_t)(X86_VM | X86_IF | X86_RF);
	/* Flat ring 0 code and stack, as the instruction defines them. */
	s->seg[X86_CS] = (struct x86_seg){ .sel = cs & 0xfffc, .base = 0,
					   .limit = 0xffffffffu, .attr = 0xc09b };
	s->seg[X86_SS] = (struct x86_seg){ .sel = (cs & 0xfffc) + 8, .base = 0,
					   .limit = 0xffffffffu, .attr = 0xc093 };
	x86i_set_cpl(c, 0);
	w32(c, X86_RSP, (uint32_t)s->sysenter_esp);
	s->rip = (uint32_t)s->sysenter_eip;
	x86i_pcache_flush(c);
	(void)i;
}

H(op_sysexit)
{
	struct x86_state *s = c->s;
	uint16_t cs = (uint16_t)s->sysenter_cs;

	if (!pmode(c) || c->cpl || !(cs & 0xfffc))
		x86i_raise(c, X86I_GP, 0);
	s->seg[X86_CS] = (struct x86_seg){ .sel = (cs + 16) | 3, .base = 0,
					   .limit = 0xffffffffu, .attr = 0xc0fb };
	s->seg[X86_SS] = (struct x86_seg){ .sel = (cs + 24) | 3, .base = 0,
					   .limit = 0xffffffffu, .attr = 0xc0f3 };
	x86i_set_cpl(c, 3);
	w32(c, X86_RSP, r32(c, X86_RCX));
	s->rip = r32(c, X86_RDX);
	x86i_pcache_flush(c);
	(void)i;
}

void x86i_build_0f_386(uint8_t *attr, x86i_handler *ops, uint32_t feat, int fam)
{
	attr[0x20] = attr[0x21] = attr[0x22] = attr[0x23] = A_M;
	ops[0x20] = op_mov_from_cr;
	ops[0x22] = op_mov_to_cr;
	ops[0x21] = ops[0x23] = op_mov_dr;
	for (int op = 0x80; op < 0x90; op++) {
		attr[op] = A_IV;
		ops[op] = op_jcc_near;
	}
	for (int op = 0x90; op < 0xa0; op++) {
		attr[op] = A_M;
		ops[op] = op_setcc;
	}
	ops[0xa0] = ops[0xa8] = op_push_fsgs;
	ops[0xa1] = ops[0xa9] = op_pop_fsgs;
	attr[0xa3] = attr[0xab] = attr[0xb3] = attr[0xbb] = A_M;
	ops[0xa3] = ops[0xab] = ops[0xb3] = ops[0xbb] = op_bt_r;
	attr[0xba] = A_M | A_I8;
	ops[0xba] = op_bt_imm;
	attr[0xa4] = attr[0xac] = A_M | A_I8;
	attr[0xa5] = attr[0xad] = A_M;
	ops[0xa4] = ops[0xa5] = ops[0xac] = ops[0xad] = op_shxd;
	attr[0xaf] = A_M;
	ops[0xaf] = op_imul_rm;
	attr[0xb2] = attr[0xb4] = attr[0xb5] = A_M;
	ops[0xb2] = ops[0xb4] = ops[0xb5] = op_lxs;
	attr[0xb6] = attr[0xb7] = attr[0xbe] = attr[0xbf] = A_M;
	ops[0xb6] = ops[0xb7] = ops[0xbe] = ops[0xbf] = op_movx;
	attr[0xbc] = attr[0xbd] = A_M;
	ops[0xbc] = ops[0xbd] = op_bsf_bsr;
	if (fam >= CPU_80486) {
		for (int op = 0xc8; op < 0xd0; op++)
			ops[op] = op_bswap;
		attr[0xc0] = attr[0xc1] = attr[0xb0] = attr[0xb1] = A_M;
		ops[0xc0] = ops[0xc1] = op_xadd;
		ops[0xb0] = ops[0xb1] = op_cmpxchg;
		ops[0x08] = ops[0x09] = op_invd;
	}
	if (fam >= CPU_PENTIUM) {
		ops[0xa2] = op_cpuid;
		ops[0x31] = op_rdtsc;
		ops[0x30] = op_wrmsr;
		ops[0x32] = op_rdmsr;
		attr[0xc7] = A_M;
		ops[0xc7] = op_cmpxchg8b;
	}
	if (feat & CPUF_MMX)
		x86i_build_mmx(attr, ops, fam >= CPU_PENTIUM2);
	if (fam >= CPU_PENTIUM2) {
		for (int op = 0x40; op < 0x50; op++) {
			attr[op] = A_M;
			ops[op] = op_cmovcc;
		}
		ops[0x0b] = op_ud2;
		ops[0x33] = op_rdpmc;
		ops[0x34] = op_sysenter;
		ops[0x35] = op_sysexit;
	}
}

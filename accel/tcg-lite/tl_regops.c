/* tcg-lite's register-form handlers (tl_regops.h). */
#include "accel/tcg-lite/tl_regops.h"

/* Register forms of the commonest instructions, picked at translate time in
 * place of the interpreter's handler when that handler is the plain MOV,
 * ALU or group-1 one (the same function as opcode 88h's, 00h's or 81h's).
 * For mod 3 those handlers only move registers through x86i_alu and charge
 * nothing, so these do exactly that with the operand size and direction
 * fixed. */
static void tl_mov_to_rm32(struct x86i_cpu *c, struct insn *i)
{
	w32(c, i->rm, r32(c, i->reg));
}
static void tl_mov_to_reg32(struct x86i_cpu *c, struct insn *i)
{
	w32(c, i->reg, r32(c, i->rm));
}
static void tl_mov_to_rm16(struct x86i_cpu *c, struct insn *i)
{
	w16(c, i->rm, r16(c, i->reg));
}
static void tl_mov_to_reg16(struct x86i_cpu *c, struct insn *i)
{
	w16(c, i->reg, r16(c, i->rm));
}
static void tl_alu_to_rm32(struct x86i_cpu *c, struct insn *i)
{
	int aop = (i->op >> 3) & 7;
	uint32_t r = x86i_alu(c, aop, r32(c, i->rm), r32(c, i->reg), 2);

	if (aop != 7)
		w32(c, i->rm, r);
}
static void tl_alu_to_reg32(struct x86i_cpu *c, struct insn *i)
{
	int aop = (i->op >> 3) & 7;
	uint32_t r = x86i_alu(c, aop, r32(c, i->reg), r32(c, i->rm), 2);

	if (aop != 7)
		w32(c, i->reg, r);
}
static void tl_alu_to_rm16(struct x86i_cpu *c, struct insn *i)
{
	int aop = (i->op >> 3) & 7;
	uint32_t r = x86i_alu(c, aop, r16(c, i->rm), r16(c, i->reg), 1);

	if (aop != 7)
		w16(c, i->rm, (uint16_t)r);
}
static void tl_alu_to_reg16(struct x86i_cpu *c, struct insn *i)
{
	int aop = (i->op >> 3) & 7;
	uint32_t r = x86i_alu(c, aop, r16(c, i->reg), r16(c, i->rm), 1);

	if (aop != 7)
		w16(c, i->reg, (uint16_t)r);
}

static void tl_grp1_rm32(struct x86i_cpu *c, struct insn *i)
{
	uint32_t b = i->op == 0x83 ? (uint32_t)(int8_t)i->imm : i->imm;
	uint32_t r = x86i_alu(c, i->reg, r32(c, i->rm), b, 2);

	if (i->reg != 7)
		w32(c, i->rm, r);
}
static void tl_grp1_rm16(struct x86i_cpu *c, struct insn *i)
{
	uint32_t b = (i->op == 0x83 ? (uint32_t)(int8_t)i->imm : i->imm) & 0xffff;
	uint32_t r = x86i_alu(c, i->reg, r16(c, i->rm), b, 1);

	if (i->reg != 7)
		w16(c, i->rm, (uint16_t)r);
}

void tl_specialize(const struct x86i_cpu *c, struct x86i_dinsn *d)
{
	const struct insn *i = &d->in;
	int to_reg = (i->op & 2) != 0;

	if (i->mod != 3 || !(i->op & 1) || (i->osz != 2 && i->osz != 4))
		return;
	if (i->op >= 0x88 && i->op <= 0x8b && d->h == c->ops[0x88]) {
		if (i->osz == 4)
			d->h = to_reg ? tl_mov_to_reg32 : tl_mov_to_rm32;
		else
			d->h = to_reg ? tl_mov_to_reg16 : tl_mov_to_rm16;
	} else if (i->op < 0x40 && (i->op & 7) < 4 && d->h == c->ops[0x00]) {
		if (i->osz == 4)
			d->h = to_reg ? tl_alu_to_reg32 : tl_alu_to_rm32;
		else
			d->h = to_reg ? tl_alu_to_reg16 : tl_alu_to_rm16;
	} else if ((i->op == 0x81 || i->op == 0x83) && d->h == c->ops[0x81]) {
		d->h = i->osz == 4 ? tl_grp1_rm32 : tl_grp1_rm16;
	}
}

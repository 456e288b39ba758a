/* Clock tables.  8086: the base clocks of the Intel 8086 Family User's
 * Manual (EA clocks are added by the decoder, and the memory accessors add
 * 4 clocks per word moved over an 8-bit bus or to an odd address, which is
 * how the 8088 datasheet's numbers relate to the 8086's).  80186: the
 * 80186 datasheet (EA computed in hardware, no EA clocks).  80286: the
 * real-mode clocks of the 80286 datasheet (the base column, no wait states;
 * taken branches add the refetch).  Each table lists what differs from the
 * one before it (80186 over 8086, 80286 over 80186).
 * The 80386 and later models run on the 80286's table: it is the right
 * order of magnitude for them, and nothing yet depends on their exact
 * clocks.  Where the books give a range the low end is used. */
#include "cpu/x86-interp/x86i_priv.h"

/* Opcodes lo..hi take reg clocks in their register form, mem in their
 * memory form. */
struct clk_range {
	uint8_t lo, hi, reg, mem;
};

/* The eight ALU rows (00h-3Fh): r/m,r and r,r/m register forms; stores to
 * memory; loads from memory; AL/AX,imm; CMP's memory forms (no store). */
struct alu_clocks {
	uint8_t rr, rm_st, r_ld, acc, cmp_st;
};

struct timing_model {
	const struct timing_model *over;	/* whose opcode clocks apply first */
	struct alu_clocks alu;
	const struct clk_range *ranges;
	size_t nranges;
	struct x86i_timing scalars;		/* everything but base[] */
};

static const struct clk_range t8086_ranges[] = {
	{ 0x06, 0x06, 10, 10 },
	{ 0x0e, 0x0e, 10, 10 },
	{ 0x16, 0x16, 10, 10 },
	{ 0x1e, 0x1e, 10, 10 },
	{ 0x07, 0x07, 8, 8 },
	{ 0x0f, 0x0f, 8, 8 },
	{ 0x17, 0x17, 8, 8 },
	{ 0x1f, 0x1f, 8, 8 },
	{ 0x27, 0x27, 4, 4 },
	{ 0x2f, 0x2f, 4, 4 },
	{ 0x37, 0x37, 8, 8 },
	{ 0x3f, 0x3f, 8, 8 },
	{ 0x40, 0x4f, 2, 2 },
	{ 0x50, 0x57, 11, 11 },
	{ 0x58, 0x5f, 8, 8 },
	{ 0x60, 0x7f, 4, 4 },
	{ 0x80, 0x83, 4, 17 },
	{ 0x84, 0x85, 3, 9 },
	{ 0x86, 0x87, 4, 17 },
	{ 0x88, 0x89, 2, 9 },
	{ 0x8a, 0x8b, 2, 8 },
	{ 0x8c, 0x8c, 2, 9 },
	{ 0x8d, 0x8d, 2, 2 },
	{ 0x8e, 0x8e, 2, 8 },
	{ 0x8f, 0x8f, 8, 17 },
	{ 0x90, 0x97, 3, 3 },
	{ 0x98, 0x98, 2, 2 },
	{ 0x99, 0x99, 5, 5 },
	{ 0x9a, 0x9a, 28, 28 },
	{ 0x9b, 0x9b, 3, 3 },
	{ 0x9c, 0x9c, 10, 10 },
	{ 0x9d, 0x9d, 8, 8 },
	{ 0x9e, 0x9e, 4, 4 },
	{ 0x9f, 0x9f, 4, 4 },
	{ 0xa0, 0xa3, 10, 10 },
	{ 0xa4, 0xa5, 18, 18 },
	{ 0xa6, 0xa7, 22, 22 },
	{ 0xa8, 0xa9, 4, 4 },
	{ 0xaa, 0xab, 11, 11 },
	{ 0xac, 0xad, 12, 12 },
	{ 0xae, 0xaf, 15, 15 },
	{ 0xb0, 0xbf, 4, 4 },
	{ 0xc0, 0xc0, 24, 24 },
	{ 0xc1, 0xc1, 20, 20 },
	{ 0xc2, 0xc2, 24, 24 },
	{ 0xc3, 0xc3, 20, 20 },
	{ 0xc4, 0xc5, 16, 16 },
	{ 0xc6, 0xc7, 4, 10 },
	{ 0xc8, 0xc8, 31, 31 },
	{ 0xc9, 0xc9, 32, 32 },
	{ 0xca, 0xca, 31, 31 },
	{ 0xcb, 0xcb, 32, 32 },
	{ 0xcc, 0xcc, 52, 52 },
	{ 0xcd, 0xcd, 51, 51 },
	{ 0xce, 0xce, 4, 4 },
	{ 0xcf, 0xcf, 24, 24 },
	{ 0xd0, 0xd1, 2, 15 },
	{ 0xd2, 0xd3, 8, 20 },
	{ 0xd4, 0xd4, 83, 83 },
	{ 0xd5, 0xd5, 60, 60 },
	{ 0xd6, 0xd6, 4, 4 },
	{ 0xd7, 0xd7, 11, 11 },
	{ 0xd8, 0xdf, 2, 8 },
	{ 0xe0, 0xe0, 5, 5 },
	{ 0xe1, 0xe1, 6, 6 },
	{ 0xe2, 0xe2, 5, 5 },
	{ 0xe3, 0xe3, 6, 6 },
	{ 0xe4, 0xe7, 10, 10 },
	{ 0xe8, 0xe8, 19, 19 },
	{ 0xe9, 0xeb, 15, 15 },
	{ 0xec, 0xef, 8, 8 },
	{ 0xf0, 0xf5, 2, 2 },
	{ 0xf6, 0xf7, 3, 9 },
	{ 0xf8, 0xfd, 2, 2 },
	{ 0xfe, 0xff, 3, 15 },
};

static const struct timing_model t8086 = {
	.alu = { 3, 16, 9, 4, 9 },
	.ranges = t8086_ranges,
	.nranges = sizeof(t8086_ranges) / sizeof(t8086_ranges[0]),
	.scalars = {
		.ea_clocks = 1, .jcc_taken = 12, .loop_taken = 12, .shift_bit = 4, .rep_base = 9,
		.rep_movs = 17, .rep_cmps = 22, .rep_scas = 15, .rep_lods = 13, .rep_stos = 10,
		.rep_ins = 8, .rep_outs = 8, .mul8 = 67, .mul16 = 115, .imul8 = 77, .imul16 = 125,
		.div8 = 77, .div16 = 141, .idiv8 = 98, .idiv16 = 162, .intr = 50, .intn = 49,
		.prefix = 2,
		/* FF group: extra clocks over the INC/DEC base per reg field */
		.grp5 = { { 0, 0 }, { 0, 0 }, { 13, 6 }, { 0, 22 }, { 8, 3 }, { 0, 9 }, { 8, 1 }, { 8, 1 } },
	},
};

static const struct clk_range t80186_ranges[] = {
	{ 0x06, 0x06, 9, 9 },
	{ 0x0e, 0x0e, 9, 9 },
	{ 0x16, 0x16, 9, 9 },
	{ 0x1e, 0x1e, 9, 9 },
	{ 0x3f, 0x3f, 7, 7 },
	{ 0x40, 0x4f, 3, 3 },
	{ 0x50, 0x57, 10, 10 },
	{ 0x58, 0x5f, 10, 10 },
	{ 0x60, 0x60, 36, 36 },
	{ 0x61, 0x61, 51, 51 },
	{ 0x62, 0x62, 33, 33 },
	{ 0x63, 0x67, 2, 2 },
	{ 0x68, 0x68, 10, 10 },
	{ 0x69, 0x69, 0, 3 },
	{ 0x6a, 0x6a, 10, 10 },
	{ 0x6b, 0x6b, 0, 3 },
	{ 0x6c, 0x6f, 14, 14 },
	{ 0x80, 0x83, 4, 16 },
	{ 0x84, 0x85, 3, 10 },
	{ 0x88, 0x89, 2, 12 },
	{ 0x8a, 0x8b, 2, 9 },
	{ 0x8c, 0x8c, 2, 11 },
	{ 0x8d, 0x8d, 6, 6 },
	{ 0x8e, 0x8e, 2, 9 },
	{ 0x8f, 0x8f, 10, 20 },
	{ 0x99, 0x99, 4, 4 },
	{ 0x9a, 0x9a, 23, 23 },
	{ 0x9b, 0x9b, 6, 6 },
	{ 0x9c, 0x9c, 9, 9 },
	{ 0x9e, 0x9e, 3, 3 },
	{ 0x9f, 0x9f, 2, 2 },
	{ 0xa0, 0xa3, 8, 8 },
	{ 0xa4, 0xa5, 14, 14 },
	{ 0xa8, 0xa9, 3, 3 },
	{ 0xaa, 0xab, 10, 10 },
	{ 0xb0, 0xbf, 3, 3 },
	{ 0xc0, 0xc1, 5, 17 },
	{ 0xc2, 0xc2, 18, 18 },
	{ 0xc3, 0xc3, 16, 16 },
	{ 0xc4, 0xc5, 18, 18 },
	{ 0xc6, 0xc7, 3, 12 },
	{ 0xc8, 0xc8, 15, 15 },
	{ 0xc9, 0xc9, 8, 8 },
	{ 0xca, 0xca, 25, 25 },
	{ 0xcb, 0xcb, 22, 22 },
	{ 0xcc, 0xcc, 45, 45 },
	{ 0xcd, 0xcd, 47, 47 },
	{ 0xcf, 0xcf, 28, 28 },
	{ 0xd2, 0xd3, 5, 17 },
	{ 0xd4, 0xd4, 19, 19 },
	{ 0xd5, 0xd5, 15, 15 },
	{ 0xd6, 0xd6, 3, 3 },
	{ 0xd8, 0xdf, 6, 6 },
	{ 0xe1, 0xe1, 5, 5 },
	{ 0xe3, 0xe3, 5, 5 },
	{ 0xe6, 0xe7, 9, 9 },
	{ 0xe8, 0xe8, 15, 15 },
	{ 0xe9, 0xeb, 14, 14 },
	{ 0xee, 0xef, 7, 7 },
	{ 0xf6, 0xf7, 3, 10 },
};

static const struct timing_model t80186 = {
	.over = &t8086,
	.alu = { 3, 10, 10, 3, 10 },
	.ranges = t80186_ranges,
	.nranges = sizeof(t80186_ranges) / sizeof(t80186_ranges[0]),
	.scalars = {
		.ea_clocks = 0, .jcc_taken = 9, .loop_taken = 10, .shift_bit = 1, .rep_base = 8,
		.rep_movs = 8, .rep_cmps = 22, .rep_scas = 15, .rep_lods = 6, .rep_stos = 9,
		.rep_ins = 8, .rep_outs = 8, .mul8 = 23, .mul16 = 32, .imul8 = 22, .imul16 = 31,
		.div8 = 26, .div16 = 35, .idiv8 = 41, .idiv16 = 50, .intr = 42, .intn = 44,
		.prefix = 2,
		/* FF group: extra clocks over the INC/DEC base per reg field */
		.grp5 = { { 0, 0 }, { 0, 0 }, { 10, 4 }, { 0, 23 }, { 8, 2 }, { 0, 11 }, { 7, 1 }, { 7, 1 } },
	},
};

static const struct clk_range t80286_ranges[] = {
	{ 0x06, 0x06, 3, 3 },
	{ 0x0e, 0x0e, 3, 3 },
	{ 0x16, 0x16, 3, 3 },
	{ 0x1e, 0x1e, 3, 3 },
	{ 0x07, 0x07, 5, 5 },
	{ 0x17, 0x17, 5, 5 },
	{ 0x1f, 0x1f, 5, 5 },
	{ 0x0f, 0x0f, 2, 2 },
	{ 0x27, 0x27, 3, 3 },
	{ 0x2f, 0x2f, 3, 3 },
	{ 0x37, 0x37, 3, 3 },
	{ 0x3f, 0x3f, 3, 3 },
	{ 0x40, 0x4f, 2, 2 },
	{ 0x50, 0x57, 3, 3 },
	{ 0x58, 0x5f, 5, 5 },
	{ 0x60, 0x60, 17, 17 },
	{ 0x61, 0x61, 19, 19 },
	{ 0x62, 0x62, 13, 13 },
	{ 0x63, 0x63, 10, 11 },
	{ 0x68, 0x68, 3, 3 },
	{ 0x6a, 0x6a, 3, 3 },
	{ 0x6c, 0x6f, 5, 5 },
	{ 0x70, 0x7f, 3, 3 },
	{ 0x80, 0x83, 3, 7 },
	{ 0x84, 0x85, 2, 6 },
	{ 0x86, 0x87, 3, 5 },
	{ 0x88, 0x89, 2, 3 },
	{ 0x8a, 0x8b, 2, 5 },
	{ 0x8c, 0x8c, 2, 3 },
	{ 0x8d, 0x8d, 3, 3 },
	{ 0x8e, 0x8e, 2, 5 },
	{ 0x8f, 0x8f, 5, 5 },
	{ 0x99, 0x99, 2, 2 },
	{ 0x9a, 0x9a, 13, 13 },
	{ 0x9b, 0x9b, 3, 3 },
	{ 0x9c, 0x9c, 3, 3 },
	{ 0x9d, 0x9d, 5, 5 },
	{ 0x9e, 0x9e, 2, 2 },
	{ 0xa0, 0xa1, 5, 5 },
	{ 0xa2, 0xa3, 3, 3 },
	{ 0xa4, 0xa5, 5, 5 },
	{ 0xa6, 0xa7, 8, 8 },
	{ 0xaa, 0xab, 3, 3 },
	{ 0xac, 0xad, 5, 5 },
	{ 0xae, 0xaf, 7, 7 },
	{ 0xb0, 0xbf, 2, 2 },
	{ 0xc0, 0xc1, 5, 8 },
	{ 0xc2, 0xc2, 11, 11 },
	{ 0xc3, 0xc3, 11, 11 },
	{ 0xc4, 0xc5, 7, 7 },
	{ 0xc6, 0xc7, 2, 3 },
	{ 0xc8, 0xc8, 11, 11 },
	{ 0xc9, 0xc9, 5, 5 },
	{ 0xca, 0xca, 15, 15 },
	{ 0xcb, 0xcb, 15, 15 },
	{ 0xcc, 0xcc, 23, 23 },
	{ 0xcd, 0xcd, 23, 23 },
	{ 0xce, 0xce, 3, 3 },
	{ 0xcf, 0xcf, 17, 17 },
	{ 0xd0, 0xd1, 2, 7 },
	{ 0xd2, 0xd3, 5, 8 },
	{ 0xd4, 0xd4, 16, 16 },
	{ 0xd5, 0xd5, 14, 14 },
	{ 0xd6, 0xd6, 2, 2 },
	{ 0xd7, 0xd7, 5, 5 },
	{ 0xd8, 0xdf, 9, 9 },
	{ 0xe0, 0xe3, 4, 4 },
	{ 0xe4, 0xe5, 5, 5 },
	{ 0xe6, 0xe7, 3, 3 },
	{ 0xe8, 0xe8, 7, 7 },
	{ 0xe9, 0xeb, 7, 7 },
	{ 0xea, 0xea, 11, 11 },
	{ 0xec, 0xed, 5, 5 },
	{ 0xee, 0xef, 3, 3 },
	{ 0xf6, 0xf7, 2, 7 },
	{ 0xfe, 0xff, 2, 7 },
};

static const struct timing_model t80286 = {
	.over = &t80186,
	.alu = { 2, 7, 7, 3, 7 },
	.ranges = t80286_ranges,
	.nranges = sizeof(t80286_ranges) / sizeof(t80286_ranges[0]),
	.scalars = {
		.jcc_taken = 4, .loop_taken = 4, .shift_bit = 1, .rep_base = 5, .rep_movs = 4,
		.rep_cmps = 9, .rep_scas = 8, .rep_lods = 4, .rep_stos = 3, .rep_ins = 4,
		.rep_outs = 4, .mul8 = 11, .mul16 = 19, .imul8 = 11, .imul16 = 19, .div8 = 12,
		.div16 = 20, .idiv8 = 15, .idiv16 = 23, .intr = 23, .intn = 21, .prefix = 0,
		/* FF group: extra clocks over the INC/DEC base per reg field */
		.grp5 = { { 0, 0 }, { 0, 0 }, { 5, 4 }, { 0, 9 }, { 5, 4 }, { 0, 8 }, { 1, 0 }, { 1, 0 } },
	},
};

static void set_ranges(struct x86i_timing *t, const struct timing_model *m)
{
	if (m->over)
		set_ranges(t, m->over);
	const struct alu_clocks *a = &m->alu;
	for (int row = 0; row < 0x40; row += 8) {
		const uint8_t reg[6] = { a->rr, a->rr, a->rr, a->rr, a->acc, a->acc };
		const uint8_t mem[6] = { a->rm_st, a->rm_st, a->r_ld, a->r_ld, a->acc, a->acc };
		for (int k = 0; k < 6; k++) {
			t->base[row + k][0] = reg[k];
			t->base[row + k][1] = row == 0x38 && k < 2 ? a->cmp_st : mem[k];
		}
	}
	for (size_t i = 0; i < m->nranges; i++) {
		const struct clk_range *r = &m->ranges[i];
		for (int op = r->lo; op <= r->hi; op++) {
			t->base[op][0] = r->reg;
			t->base[op][1] = r->mem;
		}
	}
}

void x86i_timing_init(struct x86i_timing *t, uint32_t feat)
{
	const struct timing_model *m = feat & CPUF_PROT ? &t80286
				     : feat & CPUF_186_OPS ? &t80186 : &t8086;
	*t = m->scalars;
	set_ranges(t, m);
}

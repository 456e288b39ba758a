/* Clock tables.  8086: the base clocks of the Intel 8086 Family User's
 * Manual (EA clocks are added by the decoder, and the memory accessors add
 * 4 clocks per word moved over an 8-bit bus or to an odd address, which is
 * how the 8088 datasheet's numbers relate to the 8086's).  80186: the
 * 80186 datasheet (EA computed in hardware, no EA clocks).  Where the books
 * give a range the low end is used. */
#include "cpu/x86-interp/x86i_priv.h"

static void set(struct x86i_timing *t, int lo, int hi, unsigned reg, unsigned mem)
{
	for (int op = lo; op <= hi; op++) {
		t->base[op][0] = (uint8_t)reg;
		t->base[op][1] = (uint8_t)mem;
	}
}

static void one(struct x86i_timing *t, int op, unsigned reg, unsigned mem)
{
	set(t, op, op, reg, mem);
}

static void alu_rows(struct x86i_timing *t, unsigned rr, unsigned rm_st, unsigned r_ld,
		     unsigned acc, unsigned cmp_st)
{
	for (int op = 0; op < 0x40; op += 8) {
		one(t, op + 0, rr, rm_st);
		one(t, op + 1, rr, rm_st);
		one(t, op + 2, rr, r_ld);
		one(t, op + 3, rr, r_ld);
		one(t, op + 4, acc, acc);
		one(t, op + 5, acc, acc);
	}
	one(t, 0x38, rr, cmp_st);
	one(t, 0x39, rr, cmp_st);
}

static void init_8086(struct x86i_timing *t)
{
	alu_rows(t, 3, 16, 9, 4, 9);
	set(t, 0x06, 0x06, 10, 10);
	one(t, 0x0e, 10, 10);
	one(t, 0x16, 10, 10);
	one(t, 0x1e, 10, 10);
	one(t, 0x07, 8, 8);
	one(t, 0x0f, 8, 8);
	one(t, 0x17, 8, 8);
	one(t, 0x1f, 8, 8);
	one(t, 0x27, 4, 4);
	one(t, 0x2f, 4, 4);
	one(t, 0x37, 8, 8);
	one(t, 0x3f, 8, 8);
	set(t, 0x40, 0x4f, 2, 2);
	set(t, 0x50, 0x57, 11, 11);
	set(t, 0x58, 0x5f, 8, 8);
	set(t, 0x60, 0x7f, 4, 4);
	set(t, 0x80, 0x83, 4, 17);
	set(t, 0x84, 0x85, 3, 9);
	set(t, 0x86, 0x87, 4, 17);
	set(t, 0x88, 0x89, 2, 9);
	set(t, 0x8a, 0x8b, 2, 8);
	one(t, 0x8c, 2, 9);
	one(t, 0x8d, 2, 2);
	one(t, 0x8e, 2, 8);
	one(t, 0x8f, 8, 17);
	set(t, 0x90, 0x97, 3, 3);
	one(t, 0x98, 2, 2);
	one(t, 0x99, 5, 5);
	one(t, 0x9a, 28, 28);
	one(t, 0x9b, 3, 3);
	one(t, 0x9c, 10, 10);
	one(t, 0x9d, 8, 8);
	one(t, 0x9e, 4, 4);
	one(t, 0x9f, 4, 4);
	set(t, 0xa0, 0xa3, 10, 10);
	set(t, 0xa4, 0xa5, 18, 18);
	set(t, 0xa6, 0xa7, 22, 22);
	set(t, 0xa8, 0xa9, 4, 4);
	set(t, 0xaa, 0xab, 11, 11);
	set(t, 0xac, 0xad, 12, 12);
	set(t, 0xae, 0xaf, 15, 15);
	set(t, 0xb0, 0xbf, 4, 4);
	one(t, 0xc0, 24, 24);
	one(t, 0xc1, 20, 20);
	one(t, 0xc2, 24, 24);
	one(t, 0xc3, 20, 20);
	set(t, 0xc4, 0xc5, 16, 16);
	set(t, 0xc6, 0xc7, 4, 10);
	one(t, 0xc8, 31, 31);
	one(t, 0xc9, 32, 32);
	one(t, 0xca, 31, 31);
	one(t, 0xcb, 32, 32);
	one(t, 0xcc, 52, 52);
	one(t, 0xcd, 51, 51);
	one(t, 0xce, 4, 4);
	one(t, 0xcf, 24, 24);
	set(t, 0xd0, 0xd1, 2, 15);
	set(t, 0xd2, 0xd3, 8, 20);
	one(t, 0xd4, 83, 83);
	one(t, 0xd5, 60, 60);
	one(t, 0xd6, 4, 4);
	one(t, 0xd7, 11, 11);
	set(t, 0xd8, 0xdf, 2, 8);
	one(t, 0xe0, 5, 5);
	one(t, 0xe1, 6, 6);
	one(t, 0xe2, 5, 5);
	one(t, 0xe3, 6, 6);
	set(t, 0xe4, 0xe7, 10, 10);
	one(t, 0xe8, 19, 19);
	set(t, 0xe9, 0xeb, 15, 15);
	set(t, 0xec, 0xef, 8, 8);
	set(t, 0xf0, 0xf5, 2, 2);
	set(t, 0xf6, 0xf7, 3, 9);
	set(t, 0xf8, 0xfd, 2, 2);
	set(t, 0xfe, 0xff, 3, 15);
	t->ea_clocks = 1;
	t->jcc_taken = 12;
	t->loop_taken = 12;
	t->shift_bit = 4;
	t->rep_base = 9;
	t->rep_movs = 17;
	t->rep_cmps = 22;
	t->rep_scas = 15;
	t->rep_lods = 13;
	t->rep_stos = 10;
	t->rep_ins = 8;
	t->rep_outs = 8;
	t->mul8 = 67;
	t->mul16 = 115;
	t->imul8 = 77;
	t->imul16 = 125;
	t->div8 = 77;
	t->div16 = 141;
	t->idiv8 = 98;
	t->idiv16 = 162;
	t->intr = 50;
	t->intn = 49;
	t->prefix = 2;
	/* FF group: extra clocks over the INC/DEC base per reg field. */
	static const uint8_t grp5[8][2] = {
		{ 0, 0 }, { 0, 0 }, { 13, 6 }, { 0, 22 },
		{ 8, 3 }, { 0, 9 }, { 8, 1 }, { 8, 1 },
	};
	for (int r = 0; r < 8; r++) {
		t->grp5[r][0] = grp5[r][0];
		t->grp5[r][1] = grp5[r][1];
	}
}

static void init_80186(struct x86i_timing *t)
{
	alu_rows(t, 3, 10, 10, 3, 10);
	set(t, 0x06, 0x06, 9, 9);
	one(t, 0x0e, 9, 9);
	one(t, 0x16, 9, 9);
	one(t, 0x1e, 9, 9);
	one(t, 0x07, 8, 8);
	one(t, 0x0f, 8, 8);
	one(t, 0x17, 8, 8);
	one(t, 0x1f, 8, 8);
	one(t, 0x27, 4, 4);
	one(t, 0x2f, 4, 4);
	one(t, 0x37, 8, 8);
	one(t, 0x3f, 7, 7);
	set(t, 0x40, 0x4f, 3, 3);
	set(t, 0x50, 0x57, 10, 10);
	set(t, 0x58, 0x5f, 10, 10);
	one(t, 0x60, 36, 36);
	one(t, 0x61, 51, 51);
	one(t, 0x62, 33, 33);
	set(t, 0x63, 0x67, 2, 2);
	one(t, 0x68, 10, 10);
	one(t, 0x69, 0, 3);
	one(t, 0x6a, 10, 10);
	one(t, 0x6b, 0, 3);
	set(t, 0x6c, 0x6f, 14, 14);
	set(t, 0x70, 0x7f, 4, 4);
	set(t, 0x80, 0x83, 4, 16);
	set(t, 0x84, 0x85, 3, 10);
	set(t, 0x86, 0x87, 4, 17);
	set(t, 0x88, 0x89, 2, 12);
	set(t, 0x8a, 0x8b, 2, 9);
	one(t, 0x8c, 2, 11);
	one(t, 0x8d, 6, 6);
	one(t, 0x8e, 2, 9);
	one(t, 0x8f, 10, 20);
	set(t, 0x90, 0x97, 3, 3);
	one(t, 0x98, 2, 2);
	one(t, 0x99, 4, 4);
	one(t, 0x9a, 23, 23);
	one(t, 0x9b, 6, 6);
	one(t, 0x9c, 9, 9);
	one(t, 0x9d, 8, 8);
	one(t, 0x9e, 3, 3);
	one(t, 0x9f, 2, 2);
	set(t, 0xa0, 0xa3, 8, 8);
	set(t, 0xa4, 0xa5, 14, 14);
	set(t, 0xa6, 0xa7, 22, 22);
	set(t, 0xa8, 0xa9, 3, 3);
	set(t, 0xaa, 0xab, 10, 10);
	set(t, 0xac, 0xad, 12, 12);
	set(t, 0xae, 0xaf, 15, 15);
	set(t, 0xb0, 0xbf, 3, 3);
	set(t, 0xc0, 0xc1, 5, 17);
	one(t, 0xc2, 18, 18);
	one(t, 0xc3, 16, 16);
	set(t, 0xc4, 0xc5, 18, 18);
	set(t, 0xc6, 0xc7, 3, 12);
	one(t, 0xc8, 15, 15);
	one(t, 0xc9, 8, 8);
	one(t, 0xca, 25, 25);
	one(t, 0xcb, 22, 22);
	one(t, 0xcc, 45, 45);
	one(t, 0xcd, 47, 47);
	one(t, 0xce, 4, 4);
	one(t, 0xcf, 28, 28);
	set(t, 0xd0, 0xd1, 2, 15);
	set(t, 0xd2, 0xd3, 5, 17);
	one(t, 0xd4, 19, 19);
	one(t, 0xd5, 15, 15);
	one(t, 0xd6, 3, 3);
	one(t, 0xd7, 11, 11);
	set(t, 0xd8, 0xdf, 6, 6);
	one(t, 0xe0, 5, 5);
	one(t, 0xe1, 5, 5);
	one(t, 0xe2, 5, 5);
	one(t, 0xe3, 5, 5);
	set(t, 0xe4, 0xe5, 10, 10);
	set(t, 0xe6, 0xe7, 9, 9);
	one(t, 0xe8, 15, 15);
	set(t, 0xe9, 0xeb, 14, 14);
	set(t, 0xec, 0xed, 8, 8);
	set(t, 0xee, 0xef, 7, 7);
	set(t, 0xf0, 0xf5, 2, 2);
	set(t, 0xf6, 0xf7, 3, 10);
	set(t, 0xf8, 0xfd, 2, 2);
	set(t, 0xfe, 0xff, 3, 15);
	t->ea_clocks = 0;
	t->jcc_taken = 9;
	t->loop_taken = 10;
	t->shift_bit = 1;
	t->rep_base = 8;
	t->rep_movs = 8;
	t->rep_cmps = 22;
	t->rep_scas = 15;
	t->rep_lods = 6;
	t->rep_stos = 9;
	t->rep_ins = 8;
	t->rep_outs = 8;
	t->mul8 = 23;
	t->mul16 = 32;
	t->imul8 = 22;
	t->imul16 = 31;
	t->div8 = 26;
	t->div16 = 35;
	t->idiv8 = 41;
	t->idiv16 = 50;
	t->intr = 42;
	t->intn = 44;
	t->prefix = 2;
	static const uint8_t grp5[8][2] = {
		{ 0, 0 }, { 0, 0 }, { 10, 4 }, { 0, 23 },
		{ 8, 2 }, { 0, 11 }, { 7, 1 }, { 7, 1 },
	};
	for (int r = 0; r < 8; r++) {
		t->grp5[r][0] = grp5[r][0];
		t->grp5[r][1] = grp5[r][1];
	}
}

/* 80286: the real-mode clocks of the 80286 datasheet (the base column, no
 * wait states; taken branches add the refetch).  The 80386 and later
 * models run on this table too: it is the right order of magnitude for
 * them, and nothing yet depends on their exact clocks. */
static void init_80286(struct x86i_timing *t)
{
	init_80186(t);
	alu_rows(t, 2, 7, 7, 3, 7);
	set(t, 0x06, 0x06, 3, 3);
	one(t, 0x0e, 3, 3);
	one(t, 0x16, 3, 3);
	one(t, 0x1e, 3, 3);
	one(t, 0x07, 5, 5);
	one(t, 0x17, 5, 5);
	one(t, 0x1f, 5, 5);
	one(t, 0x0f, 2, 2);
	set(t, 0x27, 0x27, 3, 3);
	one(t, 0x2f, 3, 3);
	one(t, 0x37, 3, 3);
	one(t, 0x3f, 3, 3);
	set(t, 0x40, 0x4f, 2, 2);
	set(t, 0x50, 0x57, 3, 3);
	set(t, 0x58, 0x5f, 5, 5);
	one(t, 0x60, 17, 17);
	one(t, 0x61, 19, 19);
	one(t, 0x62, 13, 13);
	one(t, 0x63, 10, 11);
	one(t, 0x68, 3, 3);
	one(t, 0x6a, 3, 3);
	set(t, 0x6c, 0x6f, 5, 5);
	set(t, 0x70, 0x7f, 3, 3);
	set(t, 0x80, 0x83, 3, 7);
	set(t, 0x84, 0x85, 2, 6);
	set(t, 0x86, 0x87, 3, 5);
	set(t, 0x88, 0x89, 2, 3);
	set(t, 0x8a, 0x8b, 2, 5);
	one(t, 0x8c, 2, 3);
	one(t, 0x8d, 3, 3);
	one(t, 0x8e, 2, 5);
	one(t, 0x8f, 5, 5);
	set(t, 0x90, 0x97, 3, 3);
	one(t, 0x98, 2, 2);
	one(t, 0x99, 2, 2);
	one(t, 0x9a, 13, 13);
	one(t, 0x9b, 3, 3);
	one(t, 0x9c, 3, 3);
	one(t, 0x9d, 5, 5);
	one(t, 0x9e, 2, 2);
	one(t, 0x9f, 2, 2);
	set(t, 0xa0, 0xa1, 5, 5);
	set(t, 0xa2, 0xa3, 3, 3);
	set(t, 0xa4, 0xa5, 5, 5);
	set(t, 0xa6, 0xa7, 8, 8);
	set(t, 0xa8, 0xa9, 3, 3);
	set(t, 0xaa, 0xab, 3, 3);
	set(t, 0xac, 0xad, 5, 5);
	set(t, 0xae, 0xaf, 7, 7);
	set(t, 0xb0, 0xbf, 2, 2);
	set(t, 0xc0, 0xc1, 5, 8);
	one(t, 0xc2, 11, 11);
	one(t, 0xc3, 11, 11);
	set(t, 0xc4, 0xc5, 7, 7);
	set(t, 0xc6, 0xc7, 2, 3);
	one(t, 0xc8, 11, 11);
	one(t, 0xc9, 5, 5);
	one(t, 0xca, 15, 15);
	one(t, 0xcb, 15, 15);
	one(t, 0xcc, 23, 23);
	one(t, 0xcd, 23, 23);
	one(t, 0xce, 3, 3);
	one(t, 0xcf, 17, 17);
	set(t, 0xd0, 0xd1, 2, 7);
	set(t, 0xd2, 0xd3, 5, 8);
	one(t, 0xd4, 16, 16);
	one(t, 0xd5, 14, 14);
	one(t, 0xd6, 2, 2);
	one(t, 0xd7, 5, 5);
	set(t, 0xd8, 0xdf, 9, 9);
	set(t, 0xe0, 0xe3, 4, 4);
	set(t, 0xe4, 0xe5, 5, 5);
	set(t, 0xe6, 0xe7, 3, 3);
	one(t, 0xe8, 7, 7);
	set(t, 0xe9, 0xeb, 7, 7);
	one(t, 0xea, 11, 11);
	set(t, 0xec, 0xed, 5, 5);
	set(t, 0xee, 0xef, 3, 3);
	set(t, 0xf0, 0xf5, 2, 2);
	set(t, 0xf6, 0xf7, 2, 7);
	set(t, 0xf8, 0xfd, 2, 2);
	set(t, 0xfe, 0xff, 2, 7);
	t->jcc_taken = 4;
	t->loop_taken = 4;
	t->shift_bit = 1;
	t->rep_base = 5;
	t->rep_movs = 4;
	t->rep_cmps = 9;
	t->rep_scas = 8;
	t->rep_lods = 4;
	t->rep_stos = 3;
	t->rep_ins = 4;
	t->rep_outs = 4;
	t->mul8 = 11;
	t->mul16 = 19;
	t->imul8 = 11;
	t->imul16 = 19;
	t->div8 = 12;
	t->div16 = 20;
	t->idiv8 = 15;
	t->idiv16 = 23;
	t->intr = 23;
	t->intn = 21;
	t->prefix = 0;
	static const uint8_t grp5[8][2] = {
		{ 0, 0 }, { 0, 0 }, { 5, 4 }, { 0, 9 },
		{ 5, 4 }, { 0, 8 }, { 1, 0 }, { 1, 0 },
	};
	for (int r = 0; r < 8; r++) {
		t->grp5[r][0] = grp5[r][0];
		t->grp5[r][1] = grp5[r][1];
	}
}

void x86i_timing_init(struct x86i_timing *t, uint32_t feat)
{
	*t = (struct x86i_timing){ 0 };
	if (feat & CPUF_PROT)
		init_80286(t);
	else if (feat & CPUF_186_OPS)
		init_80186(t);
	else
		init_8086(t);
}

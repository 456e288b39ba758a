/* x87 clock table (cpu/x87/timing.h).  One row per instruction form, one
 * column per model.  Where a book gives a range the row's comment shows it
 * and the value used: the datasheets' "typical" figure where they have one,
 * else the low end for data-independent work and the upper middle for the
 * iterative transcendentals (their range runs over operand magnitude).
 * The 80287 runs the 8087's microcode: its datasheet gives the same clock
 * counts, so both columns agree except where the 287 added an
 * instruction.  The Pentium column is latency (a dependent chain of the
 * same instruction), not the pipelined throughput of 1, since nothing here
 * models the FPU pipeline; FDIV's is the 64-bit precision figure (the
 * precision control default).  A 0 marks a form the model lacks (#UD). */
#include "cpu/x87/timing.h"

enum form {
	ADD_REG, ADD_M32, ADD_M64, IADD_M16, IADD_M32,
	MUL_REG, MUL_M32, MUL_M64, IMUL_M16, IMUL_M32,
	DIV_REG, DIV_M32, DIV_M64, IDIV_M16, IDIV_M32,
	COM_REG, COM_M32, COM_M64, ICOM_M16, ICOM_M32, UCOM_REG, COMI_REG,
	LD_REG, LD_M32, LD_M64, LD_M80, ILD_M16, ILD_M32, ILD_M64, BLD,
	ST_REG, ST_M32, ST_M64, ST_M80, IST_M16, IST_M32, IST_M64, BSTP,
	XCH, CHS, ABS, TST, XAM, LDZ, LD1, LDCONST, NOP, FREE, INCDEC,
	SQRT, SCALE, PREM, PREM1, RNDINT, XTRACT,
	F2XM1, YL2X, YL2XP1, PTAN, PATAN, SIN, COS, SINCOS,
	INIT, CLEX, ENIDI, SETPM, LDCW, STCW, STSW_M, STSW_AX,
	LDENV, STENV, RSTOR, SAVE, CMOV, NFORMS
};

/*	                   8087  287  387  486  P5 */
static const uint16_t clocks[NFORMS][X87_T_MODELS] = {
	[ADD_REG]  = {   85,   85,  26,  10,   3 },	/* 70-100, 23-31, 8-20 */
	[ADD_M32]  = {  105,  105,  24,  10,   3 },	/* 90-120, 24-32, 8-20 */
	[ADD_M64]  = {  110,  110,  29,  10,   3 },	/* 95-125, 29-37, 8-20 */
	[IADD_M16] = {  120,  120,  71,  24,   7 },	/* 102-137, 71-85, 20-35 */
	[IADD_M32] = {  125,  125,  57,  22,   7 },	/* 108-143, 57-72, 19-32 */
	[MUL_REG]  = {  130,  130,  46,  16,   3 },	/* 90-145, 46-57 */
	[MUL_M32]  = {  118,  118,  27,  11,   3 },	/* 110-125, 27-35 */
	[MUL_M64]  = {  161,  161,  32,  14,   3 },	/* 154-168, 32-57 */
	[IMUL_M16] = {  130,  130,  76,  25,   7 },	/* 124-138, 76-87, 23-27 */
	[IMUL_M32] = {  136,  136,  61,  23,   7 },	/* 130-144, 61-82, 22-24 */
	[DIV_REG]  = {  198,  198,  88,  73,  39 },	/* 193-203, 88-91; P5 19/33/39 */
	[DIV_M32]  = {  220,  220,  89,  73,  39 },	/* 215-225 */
	[DIV_M64]  = {  225,  225,  94,  73,  39 },	/* 220-230 */
	[IDIV_M16] = {  230,  230, 136,  87,  42 },	/* 224-238, 136-140, 85-89 */
	[IDIV_M32] = {  236,  236, 120,  85,  42 },	/* 230-243, 120-127, 84-86 */
	[COM_REG]  = {   45,   45,  24,   4,   1 },	/* 40-50 */
	[COM_M32]  = {   65,   65,  26,   4,   1 },	/* 60-70 */
	[COM_M64]  = {   70,   70,  31,   4,   1 },	/* 65-75 */
	[ICOM_M16] = {   80,   80,  71,  18,   4 },	/* 72-86, 71-75, 16-20 */
	[ICOM_M32] = {   85,   85,  56,  16,   4 },	/* 78-91, 56-63, 15-17 */
	[UCOM_REG] = {    0,    0,  24,   4,   1 },
	[COMI_REG] = {    0,    0,   0,   0,   1 },	/* P6 and later only */
	[LD_REG]   = {   20,   20,  14,   4,   1 },	/* 17-22 */
	[LD_M32]   = {   43,   43,  20,   3,   1 },	/* 38-56 */
	[LD_M64]   = {   46,   46,  25,   3,   1 },	/* 40-60 */
	[LD_M80]   = {   57,   57,  44,   6,   3 },	/* 53-65 */
	[ILD_M16]  = {   50,   50,  61,  13,   3 },	/* 46-54, 61-65, 13-16 */
	[ILD_M32]  = {   56,   56,  45,   9,   3 },	/* 52-60, 45-52, 9-12 */
	[ILD_M64]  = {   64,   64,  56,  10,   3 },	/* 60-68, 56-67, 10-18 */
	[BLD]      = {  300,  300, 266,  70,  48 },	/* 290-310, 266-275, 70-103, 48-58 */
	[ST_REG]   = {   18,   18,  11,   3,   1 },	/* 15-22 */
	[ST_M32]   = {   87,   87,  44,   7,   2 },	/* 84-90 */
	[ST_M64]   = {  100,  100,  45,   8,   2 },	/* 96-104 */
	[ST_M80]   = {   55,   55,  53,   6,   3 },	/* 52-58 */
	[IST_M16]  = {   85,   85,  82,  29,   6 },	/* 80-90, 82-95, 29-34 */
	[IST_M32]  = {   87,   87,  79,  28,   6 },	/* 82-92, 79-93, 28-34 */
	[IST_M64]  = {  100,  100,  80,  28,   6 },	/* 94-105, 80-97, 28-29 */
	[BSTP]     = {  530,  530, 512, 172, 148 },	/* 520-540, 512-534, 172-176, 148-154 */
	[XCH]      = {   12,   12,  18,   4,   1 },	/* 10-15 */
	[CHS]      = {   13,   13,  24,   6,   1 },	/* 10-17, 24-25 */
	[ABS]      = {   14,   14,  22,   3,   1 },	/* 10-17 */
	[TST]      = {   42,   42,  28,   4,   1 },	/* 38-48 */
	[XAM]      = {   17,   17,  30,   8,  21 },	/* 12-23, 30-38, P5 17-21 */
	[LDZ]      = {   14,   14,  20,   4,   2 },	/* 11-17 */
	[LD1]      = {   18,   18,  24,   4,   2 },	/* 15-21 */
	[LDCONST]  = {   19,   19,  40,   8,   5 },	/* FLDPI etc.: 16-22 */
	[NOP]      = {   13,   13,  12,   3,   1 },	/* 10-16 */
	[FREE]     = {   12,   12,  18,   3,   1 },	/* 9-16 */
	[INCDEC]   = {    9,    9,  21,   3,   2 },	/* 6-12 */
	[SQRT]     = {  183,  183, 122,  83,  70 },	/* 180-186, 122-129, 83-87 */
	[SCALE]    = {   35,   35,  67,  30,  20 },	/* 32-38, 67-86, 30-32, 20-32 */
	[PREM]     = {  125,  125,  74,  84,  20 },	/* 15-190, 74-155, 70-138, 16-64 */
	[PREM1]    = {    0,    0,  95,  94,  25 },	/* 95-185, 72-167, 20-70 */
	[RNDINT]   = {   45,   45,  66,  29,   9 },	/* 16-50, 66-80, 21-30, 9-20 */
	[XTRACT]   = {   50,   50,  70,  16,  13 },	/* 27-55, 70-76, 16-20 */
	[F2XM1]    = {  500,  500, 242, 242,  57 },	/* 310-630, 211-476, 140-279, 13-57 */
	[YL2X]     = {  950,  950, 311, 311, 103 },	/* 900-1100, 120-538, 196-329, 22-111 */
	[YL2XP1]   = {  850,  850, 313, 313, 105 },	/* 700-1000, 257-547, 171-326, 22-103 */
	[PTAN]     = {  450,  450, 251, 244, 173 },	/* 30-540, 191-497, 200-273, 17-173 */
	[PATAN]    = {  650,  650, 314, 289, 134 },	/* 250-800, 314-487, 218-303, 19-134 */
	[SIN]      = {    0,    0, 196, 241, 126 },	/* 122-771, 193-279, 16-126 */
	[COS]      = {    0,    0, 196, 241, 126 },	/* 123-772, 193-279, 16-126 */
	[SINCOS]   = {    0,    0, 264, 291, 137 },	/* 194-809, 243-329, 17-137 */
	[INIT]     = {    5,    5,  33,  17,  16 },	/* 2-8 */
	[CLEX]     = {    5,    5,  11,   7,   9 },	/* 2-8 */
	[ENIDI]    = {    5,    2,   2,   3,   1 },	/* 2-8; a no-op after the 8087 */
	[SETPM]    = {    0,    5,   2,   3,   1 },	/* 287: 2-8 */
	[LDCW]     = {   10,   10,  19,   4,   7 },	/* 7-14 */
	[STCW]     = {   15,   15,  15,   3,   2 },	/* 12-18 */
	[STSW_M]   = {   15,   15,  15,   3,   2 },	/* 12-18 */
	[STSW_AX]  = {    0,   13,  13,   3,   6 },	/* 287: 10-16 */
	[LDENV]    = {   40,   40,  71,  44,  32 },	/* 35-45, P5 32-37 */
	[STENV]    = {   45,   45, 103,  67,  48 },	/* 40-50, 103-104, P5 48-50 */
	[RSTOR]    = {  202,  202, 308, 131,  70 },	/* 197-207, P5 70-95 */
	[SAVE]     = {  202,  202, 375, 143, 124 },	/* 197-207, 375-376, P5 124-127 */
	[CMOV]     = {    0,    0,   0,   0,   2 },	/* P6 and later only */
};

/* D8 and DC (memory: m32, m64) and the register forms of D8, DC, DE. */
static int arith(unsigned reg, int add, int mul, int com, int div)
{
	static const uint8_t kind[8] = { 0, 1, 2, 2, 0, 0, 3, 3 };
	const int f[4] = { add, mul, com, div };

	return f[kind[reg & 7]];
}

static int reg_form(uint8_t esc, uint8_t modrm)
{
	unsigned reg = modrm >> 3 & 7, rm = modrm & 7;

	switch (esc) {
	case 0xd8: case 0xdc: case 0xde:
		if (esc == 0xde && modrm == 0xd9)
			return COM_REG;		/* FCOMPP */
		return arith(reg, ADD_REG, MUL_REG, COM_REG, DIV_REG);
	case 0xd9:
		switch (reg) {
		case 0: return LD_REG;
		case 1: return XCH;
		case 2: return rm == 0 ? NOP : -1;
		case 3: return ST_REG;
		case 4: {
			static const int8_t f[8] = { CHS, ABS, -1, -1, TST, XAM, -1, -1 };
			return f[rm];
		}
		case 5: return rm == 6 ? LDZ : rm == 0 ? LD1 : rm == 7 ? -1 : LDCONST;
		case 6: {
			static const int8_t f[8] = { F2XM1, YL2X, PTAN, PATAN,
						     XTRACT, PREM1, INCDEC, INCDEC };
			return f[rm];
		}
		default: {
			static const int8_t f[8] = { PREM, YL2XP1, SQRT, SINCOS,
						     RNDINT, SCALE, SIN, COS };
			return f[rm];
		}
		}
	case 0xda:
		if (reg < 4)
			return CMOV;
		return modrm == 0xe9 ? UCOM_REG : -1;	/* FUCOMPP */
	case 0xdb:
		if (reg < 4)
			return CMOV;
		if (reg == 5 || reg == 6)
			return COMI_REG;
		if (reg != 4)
			return -1;
		switch (rm) {
		case 0: case 1: return ENIDI;
		case 2: return CLEX;
		case 3: return INIT;
		case 4: return SETPM;
		default: return -1;
		}
	case 0xdd:
		switch (reg) {
		case 0: return FREE;
		case 1: return XCH;
		case 2: case 3: return ST_REG;
		case 4: case 5: return UCOM_REG;
		default: return -1;
		}
	default:	/* DF */
		if (modrm == 0xe0)
			return STSW_AX;
		if (reg == 5 || reg == 6)
			return COMI_REG;
		return reg == 0 ? FREE : reg == 1 ? XCH : reg <= 3 ? ST_REG : -1;
	}
}

static int mem_form(uint8_t esc, unsigned reg)
{
	static const int8_t d9[8] = { LD_M32, -1, ST_M32, ST_M32, LDENV, LDCW, STENV, STCW };
	static const int8_t db[8] = { ILD_M32, -1, IST_M32, IST_M32, -1, LD_M80, -1, ST_M80 };
	static const int8_t dd[8] = { LD_M64, -1, ST_M64, ST_M64, RSTOR, -1, SAVE, STSW_M };
	static const int8_t df[8] = { ILD_M16, -1, IST_M16, IST_M16, BLD, ILD_M64, BSTP, IST_M64 };

	switch (esc) {
	case 0xd8: return arith(reg, ADD_M32, MUL_M32, COM_M32, DIV_M32);
	case 0xdc: return arith(reg, ADD_M64, MUL_M64, COM_M64, DIV_M64);
	case 0xda: return arith(reg, IADD_M32, IMUL_M32, ICOM_M32, IDIV_M32);
	case 0xde: return arith(reg, IADD_M16, IMUL_M16, ICOM_M16, IDIV_M16);
	case 0xd9: return d9[reg];
	case 0xdb: return db[reg];
	case 0xdd: return dd[reg];
	default: return df[reg];
	}
}

unsigned x87_clocks(enum x87_timing_model tm, uint8_t esc, uint8_t modrm)
{
	int f;

	if ((unsigned)tm >= X87_T_MODELS || esc < 0xd8)
		return 0;
	f = (modrm >> 6) == 3 ? reg_form(esc, modrm) : mem_form(esc, modrm >> 3 & 7);
	return f < 0 ? 0 : clocks[f][tm];
}

/* The x87 clock table (cpu/x87/timing.h) looked up by opcode bytes, and
 * the XT's 8087 error path to NMI through port A0h (hw/fpu_irq.h). */
#include <check.h>
#include <stdlib.h>

#include "cpu/state.h"
#include "cpu/x87/timing.h"
#include "hw/device.h"
#include "hw/fpu_irq.h"
#include "hw/ioport.h"

struct row {
	uint8_t esc, modrm;
	uint16_t clk[X87_T_MODELS];	/* 8087 287 387 486 Pentium */
};

/* Values as the datasheets give them (the representative one of a range). */
static const struct row rows[] = {
	{ 0xd8, 0xc1, { 85, 85, 26, 10, 3 } },		/* FADD ST,ST(1) */
	{ 0xde, 0xc1, { 85, 85, 26, 10, 3 } },		/* FADDP ST(1),ST */
	{ 0xdc, 0xe9, { 85, 85, 26, 10, 3 } },		/* FSUBR ST(1),ST */
	{ 0xd8, 0x06, { 105, 105, 24, 10, 3 } },	/* FADD m32 */
	{ 0xdc, 0x06, { 110, 110, 29, 10, 3 } },	/* FADD m64 */
	{ 0xde, 0x06, { 120, 120, 71, 24, 7 } },	/* FIADD m16 */
	{ 0xda, 0x46, { 125, 125, 57, 22, 7 } },	/* FIADD m32 (disp8) */
	{ 0xd8, 0xc9, { 130, 130, 46, 16, 3 } },	/* FMUL ST,ST(1) */
	{ 0xd8, 0xf1, { 198, 198, 88, 73, 39 } },	/* FDIV ST,ST(1) */
	{ 0xde, 0xf9, { 198, 198, 88, 73, 39 } },	/* FDIVP ST(1),ST */
	{ 0xdc, 0x36, { 225, 225, 94, 73, 39 } },	/* FDIV m64 */
	{ 0xde, 0x3e, { 230, 230, 136, 87, 42 } },	/* FIDIVR m16 */
	{ 0xde, 0xd9, { 45, 45, 24, 4, 1 } },		/* FCOMPP */
	{ 0xd9, 0xfa, { 183, 183, 122, 83, 70 } },	/* FSQRT */
	{ 0xd9, 0xfe, { 0, 0, 196, 241, 126 } },	/* FSIN: 387 and later */
	{ 0xd9, 0xf3, { 650, 650, 314, 289, 134 } },	/* FPATAN */
	{ 0xd9, 0xee, { 14, 14, 20, 4, 2 } },		/* FLDZ */
	{ 0xd9, 0xeb, { 19, 19, 40, 8, 5 } },		/* FLDPI */
	{ 0xd9, 0xc9, { 12, 12, 18, 4, 1 } },		/* FXCH ST(1) */
	{ 0xdb, 0x2e, { 57, 57, 44, 6, 3 } },		/* FLD m80 */
	{ 0xdf, 0x36, { 530, 530, 512, 172, 148 } },	/* FBSTP */
	{ 0xdd, 0x3e, { 15, 15, 15, 3, 2 } },		/* FSTSW m16 */
	{ 0xdf, 0xe0, { 0, 13, 13, 3, 6 } },		/* FSTSW AX: 287 and later */
	{ 0xdb, 0xe3, { 5, 5, 33, 17, 16 } },		/* FINIT */
	{ 0xdb, 0xe4, { 0, 5, 2, 3, 1 } },		/* FSETPM: 287 and later */
	{ 0xdd, 0x36, { 202, 202, 375, 143, 124 } },	/* FSAVE */
	{ 0xda, 0xc1, { 0, 0, 0, 0, 2 } },		/* FCMOVB: P6 */
	{ 0xd9, 0xd1, { 0, 0, 0, 0, 0 } },		/* not an instruction */
	{ 0xd9, 0x0e, { 0, 0, 0, 0, 0 } },		/* D9 /1 memory: none */
};

START_TEST(x87_clock_rows)
{
	for (unsigned r = 0; r < sizeof(rows) / sizeof(rows[0]); r++)
		for (int m = 0; m < X87_T_MODELS; m++)
			ck_assert_msg(x87_clocks((enum x87_timing_model)m, rows[r].esc,
						 rows[r].modrm) == rows[r].clk[m],
				      "%02x %02x model %d: %u, want %u", rows[r].esc,
				      rows[r].modrm, m,
				      x87_clocks((enum x87_timing_model)m, rows[r].esc,
						 rows[r].modrm), rows[r].clk[m]);
}
END_TEST

/* The EA part of ModR/M does not matter: every mod/rm of a memory form
 * gives the same count; from the 387 on each model adds faster than the
 * one before; FDIV costs more than twice FADD everywhere; out-of-range
 * arguments give 0. */
START_TEST(x87_clock_shape)
{
	for (int m = 0; m < X87_T_MODELS; m++) {
		for (unsigned mod = 0; mod < 3; mod++)
			for (unsigned rm = 0; rm < 8; rm++)
				ck_assert_uint_eq(x87_clocks((enum x87_timing_model)m, 0xdc,
							     (uint8_t)(mod << 6 | 6 << 3 | rm)),
						  x87_clocks((enum x87_timing_model)m, 0xdc, 0x36));
		if (m >= X87_T_387)
			ck_assert_uint_lt(x87_clocks((enum x87_timing_model)m, 0xd8, 0xc1),
					  x87_clocks((enum x87_timing_model)(m - 1), 0xd8, 0xc1));
		ck_assert_uint_gt(x87_clocks((enum x87_timing_model)m, 0xd8, 0xf1),
				  2 * x87_clocks((enum x87_timing_model)m, 0xd8, 0xc1));
	}
	ck_assert_uint_eq(x87_clocks(X87_T_MODELS, 0xd8, 0xc1), 0);
	ck_assert_uint_eq(x87_clocks(X87_T_387, 0x90, 0xc1), 0);
}
END_TEST

START_TEST(xt_fpu_nmi_gate)
{
	struct ioport_bus *io = ioport_bus_new();
	struct x86_state cpu = { 0 };
	struct fpu_irq *d;

	ck_assert_ptr_nonnull(io);
	d = fpu_irq_new_xt(io, &cpu);
	ck_assert_ptr_nonnull(d);
	fpu_irq_ferr(d);			/* mask clear: nothing */
	ck_assert_uint_eq(cpu.nmi_pending, 0);
	ioport_write(io, FPU_NMI_MASK_PORT, 0x80, 1);	/* opened with INT high */
	ck_assert_uint_eq(cpu.nmi_pending, 1);
	cpu.nmi_pending = 0;
	fpu_irq_ferr_low(d);
	ioport_write(io, FPU_NMI_MASK_PORT, 0x00, 1);
	ioport_write(io, FPU_NMI_MASK_PORT, 0x80, 1);	/* INT low: nothing */
	ck_assert_uint_eq(cpu.nmi_pending, 0);
	fpu_irq_ferr(d);
	ck_assert_uint_eq(cpu.nmi_pending, 1);
	cpu.nmi_pending = 0;
	fpu_irq_desc.reset(d);			/* reset closes the mask */
	fpu_irq_ferr(d);
	ck_assert_uint_eq(cpu.nmi_pending, 0);
	fpu_irq_desc.free(d);
	ioport_bus_free(io);
}
END_TEST

Suite *x87_timing_suite(void)
{
	Suite *s = suite_create("x87_timing");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, x87_clock_rows);
	tcase_add_test(tc, x87_clock_shape);
	tcase_add_test(tc, xt_fpu_nmi_gate);
	suite_add_tcase(s, tc);
	return s;
}

/* Differential oracle for test_x87.c: the same x87 instruction executed on
 * the host FPU (x86-64 only).  Each helper runs FRSTOR img; insn; FNSAVE
 * img in one asm block, so the 108-byte 32-bit protected-mode image in
 * and out is the whole machine state; FNSAVE never waits, so unmasked
 * exceptions are captured as pending flags instead of trapping.
 * In insn, %2 is the memory source operand, %3 the memory destination. */
#ifndef TANDEM_TESTS_X87_HOST_H
#define TANDEM_TESTS_X87_HOST_H

#include <stdint.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define X87_HOST 1

typedef uint32_t (*host_fn)(uint8_t *img, const void *mi, void *mo);

#define HOST(name, insn)							\
	static uint32_t name(uint8_t *img, const void *mi, void *mo)		\
	{									\
		uint64_t fl;							\
		__asm__ volatile("frstor (%1)\n\t" insn "\n\t"			\
				 "pushfq\n\tpopq %0\n\tfnsave (%1)"		\
				 : "=&r"(fl) : "r"(img), "r"(mi), "r"(mo)	\
				 : "memory", "cc");				\
		return (uint32_t)fl;						\
	}

HOST(h_fadd, ".byte 0xd8, 0xc1")
HOST(h_fmul, ".byte 0xd8, 0xc9")
HOST(h_fsub, ".byte 0xd8, 0xe1")
HOST(h_fsubr, ".byte 0xd8, 0xe9")
HOST(h_fdiv, ".byte 0xd8, 0xf1")
HOST(h_fdivr, ".byte 0xd8, 0xf9")
/* DC forms: ST(1) = ST(1) op ST(0) (AT&T mnemonics swap these). */
HOST(h_dc_sub, ".byte 0xdc, 0xe9")
HOST(h_dc_subr, ".byte 0xdc, 0xe1")
HOST(h_dc_div, ".byte 0xdc, 0xf9")
HOST(h_dc_divr, ".byte 0xdc, 0xf1")
HOST(h_faddp, ".byte 0xde, 0xc1")
HOST(h_fdivp, ".byte 0xde, 0xf9")
HOST(h_fcom, "fcom %%st(1)")
HOST(h_fcomp, "fcomp %%st(1)")
HOST(h_fcompp, "fcompp")
HOST(h_fucom, "fucom %%st(1)")
HOST(h_fucompp, "fucompp")
HOST(h_fcomi, "fcomi %%st(1), %%st")
HOST(h_fucomip, "fucomip %%st(1), %%st")
HOST(h_ftst, "ftst")
HOST(h_fxam, "fxam")
HOST(h_fsqrt, "fsqrt")
HOST(h_frndint, "frndint")
HOST(h_fscale, "fscale")
HOST(h_fprem, "fprem")
HOST(h_fprem1, "fprem1")
HOST(h_fxtract, "fxtract")
HOST(h_fabs, "fabs")
HOST(h_fchs, "fchs")
HOST(h_fxch, "fxch %%st(1)")
HOST(h_fld1, "fld %%st(1)")
HOST(h_fst1, "fst %%st(1)")
HOST(h_fstp1, "fstp %%st(1)")
HOST(h_fldpi, "fldpi")
HOST(h_fldl2t, "fldl2t")
HOST(h_fldl2e, "fldl2e")
HOST(h_fldlg2, "fldlg2")
HOST(h_fldln2, "fldln2")
HOST(h_fincstp, "fincstp")
HOST(h_fcmovb, "stc\n\tfcmovb %%st(1), %%st")
HOST(h_fadd_m32, "fadds (%2)")
HOST(h_fadd_m64, "faddl (%2)")
HOST(h_fsubr_m32, "fsubrs (%2)")
HOST(h_fdiv_m64, "fdivl (%2)")
HOST(h_fmul_m32, "fmuls (%2)")
HOST(h_fiadd_m16, "fiadds (%2)")
HOST(h_fidivr_m32, "fidivrl (%2)")
HOST(h_fcom_m64, "fcoml (%2)")
HOST(h_ficomp_m16, "ficomps (%2)")
HOST(h_fld_m32, "flds (%2)")
HOST(h_fld_m64, "fldl (%2)")
HOST(h_fld_m80, "fldt (%2)")
HOST(h_fild_m16, "filds (%2)")
HOST(h_fild_m32, "fildl (%2)")
HOST(h_fild_m64, "fildll (%2)")
HOST(h_fbld, "fbld (%2)")
HOST(h_fst_m32, "fsts (%3)")
HOST(h_fstp_m64, "fstpl (%3)")
HOST(h_fstp_m80, "fstpt (%3)")
HOST(h_fist_m16, "fists (%3)")
HOST(h_fistp_m32, "fistpl (%3)")
HOST(h_fistp_m64, "fistpll (%3)")
HOST(h_fbstp, "fbstp (%3)")
HOST(h_fsub_m64, "fsubl (%2)")
HOST(h_fdivr_m32, "fdivrs (%2)")
HOST(h_fimul_m32, "fimull (%2)")
HOST(h_fisub_m16, "fisubs (%2)")
HOST(h_ficom_m32, "ficoml (%2)")
HOST(h_fcomp_m32, "fcomps (%2)")
HOST(h_fstp_m32, "fstps (%3)")
HOST(h_fst_m64, "fstl (%3)")
HOST(h_fist_m32, "fistl (%3)")
HOST(h_fistp_m16, "fistps (%3)")
HOST(h_fucomi, "fucomi %%st(1), %%st")
HOST(h_fcomip, "fcomip %%st(1), %%st")
HOST(h_fcmovne, "stc\n\tfcmovne %%st(1), %%st")
HOST(h_fcmovnbe, "stc\n\tfcmovnbe %%st(1), %%st")
HOST(h_fdecstp, "fdecstp")
HOST(h_ffree, "ffree %%st(1)")
HOST(h_fxch2, "fxch %%st(2)")
HOST(h_fmulp, ".byte 0xde, 0xc9")
HOST(h_fsubp, ".byte 0xde, 0xe9")
HOST(h_fsubrp, ".byte 0xde, 0xe1")
HOST(h_fdivrp, ".byte 0xde, 0xf1")
HOST(h_dc_add, ".byte 0xdc, 0xc1")
HOST(h_dc_mul, ".byte 0xdc, 0xc9")
HOST(h_fld1c, "fld1")
HOST(h_fldz, "fldz")
HOST(h_fnclex, "fnclex")
HOST(h_f2xm1, "f2xm1")
HOST(h_fyl2x, "fyl2x")
HOST(h_fyl2xp1, "fyl2xp1")
HOST(h_fpatan, "fpatan")
HOST(h_fptan, "fptan")
HOST(h_fsin, "fsin")
HOST(h_fcos, "fcos")
HOST(h_fsincos, "fsincos")

#endif
#endif

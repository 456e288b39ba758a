/* The x87 FPU as a self-contained library: pure FPU semantics over
 * struct x87.  It never touches guest memory, segments or the CPU core;
 * the glue in the interpreter does that.  Protocol for one ESC opcode:
 *
 *   1. x87_decode(esc, modrm, &op): is there a memory operand, of what
 *      kind (op.kind), how many bytes (x87_mem_size) and which way (op.dir).
 *   2. The glue computes the effective address and, if op.dir has
 *      X87_LOAD, reads x87_mem_size() bytes into a buffer (all faults on
 *      the read are the glue's, raised before x87_exec changes anything).
 *   3. x87_exec(f, &op, &ctx, in, out, &res) does everything else.
 *   4. If the return value is X87_OK and res.store is set, the glue writes
 *      x87_mem_size() bytes from out to the operand.  For a faulting write
 *      the glue should probe the destination before calling x87_exec (a
 *      page fault on the store would otherwise leave the FPU updated).
 *   5. If res.set_ax: AX = res.ax.  EFLAGS = (EFLAGS & ~res.eflags_mask) |
 *      res.eflags (FCOMI family).
 *   6. res.pending: an unmasked exception is now pending.  With CR0.NE the
 *      glue raises #MF on the next waiting x87 instruction (x87_exec and
 *      x87_wait return X87_MF then); without CR0.NE a PC asserts FERR#,
 *      i.e. IRQ13 through the PIC, and the next waiting instruction runs.
 *
 * Registers are kept as 80-bit values; x87_to_fxsave/x87_from_fxsave
 * convert to the FXSAVE image kept in struct x86_state.fxsave[].
 * Arithmetic is done in software with exact rounding; the host's long
 * double is never used.
 */
#ifndef TANDEM_CPU_X87_H
#define TANDEM_CPU_X87_H

#include <stdbool.h>
#include <stdint.h>

/* Which coprocessor is attached.  X87_387 also stands for the FPU
 * built into the 486, Pentium and later. */
enum x87_model { X87_NONE = 0, X87_8087, X87_287, X87_387 };

/* Optional instruction groups, passed to x87_init. */
enum {
	X87_FEAT_P6 = 1u << 0,	/* FCMOVcc, FCOMI, FUCOMI, FCOMIP, FUCOMIP */
};

/* Status word bits. */
enum {
	X87_SW_IE = 1u << 0, X87_SW_DE = 1u << 1, X87_SW_ZE = 1u << 2,
	X87_SW_OE = 1u << 3, X87_SW_UE = 1u << 4, X87_SW_PE = 1u << 5,
	X87_SW_SF = 1u << 6, X87_SW_ES = 1u << 7, X87_SW_C0 = 1u << 8,
	X87_SW_C1 = 1u << 9, X87_SW_C2 = 1u << 10, X87_SW_C3 = 1u << 14,
	X87_SW_B = 1u << 15,
};
#define X87_SW_TOP_SHIFT 11

/* Control word fields. */
enum {
	X87_CW_EXC = 0x3f,		/* exception masks IM..PM */
	X87_CW_IEM = 1u << 7,		/* 8087 interrupt enable mask */
	X87_CW_PC_SHIFT = 8,		/* 0: 24 bits, 2: 53 bits, 3: 64 bits */
	X87_CW_RC_SHIFT = 10,		/* 0 nearest, 1 down, 2 up, 3 zero */
	X87_CW_IC = 1u << 12,		/* 8087/287: 1 = affine infinity */
};

/* An 80-bit register: 64-bit significand with explicit integer bit,
 * sign in bit 15 and biased exponent in bits 0..14 of se. */
struct x87_f80 {
	uint64_t m;
	uint16_t se;
};

struct x87 {
	struct x87_f80 st[8];	/* physical registers R0..R7 */
	uint16_t cw, sw;	/* sw holds TOP in bits 11..13 */
	uint8_t valid;		/* bit i set: Ri is not empty (FXSAVE's tag) */
	uint16_t fop;		/* last opcode: (esc & 7) << 8 | modrm */
	uint16_t fcs, fds;	/* selectors of the last instruction/operand */
	uint32_t fip, fdp;	/* offsets (real mode: offsets too, see image.c) */
	enum x87_model model;
	unsigned features;
};

/* Memory operand kinds. */
enum x87_mem_kind {
	X87_M_NONE = 0,
	X87_M_INT16, X87_M_INT32, X87_M_INT64,
	X87_M_FP32, X87_M_FP64, X87_M_FP80, X87_M_BCD80,
	X87_M_WORD,		/* m2byte: status or control word */
	X87_M_ENV,		/* 14 (16-bit operand size) or 28 bytes */
	X87_M_STATE,		/* 94 or 108 bytes */
	X87_M_FXSAVE,		/* 512 bytes (0F AE /0 /1, not an ESC opcode) */
};

enum { X87_LOAD = 1, X87_STORE = 2 };

struct x87_op {
	uint8_t esc;		/* 0xd8..0xdf */
	uint8_t modrm;
	uint8_t mem;		/* has a memory operand */
	uint8_t kind;		/* enum x87_mem_kind */
	uint8_t dir;		/* X87_LOAD | X87_STORE */
	uint8_t nowait;		/* FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV, FNSAVE:
				   no check for a pending exception */
	uint8_t control;	/* does not update FIP/FOP/FDP */
	uint8_t undefined;	/* no such instruction on any model */
};

/* What the glue passes for one instruction. */
struct x87_ctx {
	uint32_t cr0;		/* only EM (bit 2), TS (3), MP (1) and NE (5) */
	uint32_t eflags;	/* read by FCMOVcc */
	uint8_t op32;		/* 32-bit operand size: ENV/STATE image format */
	uint8_t pmode;		/* protected-mode image format (not real/V86) */
	uint16_t cs, ds;	/* selectors of the instruction and the operand */
	uint32_t ip, ea;	/* offsets of the instruction and the operand */
};

struct x87_result {
	uint8_t store;		/* out[] holds x87_mem_size() bytes to write */
	uint8_t set_ax;		/* FNSTSW AX */
	uint8_t pending;	/* an unmasked exception is pending (ES set) */
	uint16_t ax;
	uint32_t eflags_mask, eflags;
};

/* x87_exec / x87_wait return values. */
enum {
	X87_OK = 0,
	X87_NM,		/* raise #NM (CR0.EM, or CR0.TS); nothing changed */
	X87_UD,		/* raise #UD: not an instruction on this model */
	X87_MF,		/* a waiting instruction found an unmasked exception
			   pending and CR0.NE is set: raise #MF; nothing changed */
	X87_NOFPU,	/* no coprocessor (model X87_NONE) and CR0.EM clear: the
			   CPU ignores the ESC opcode after its memory read */
};

/* Resets to the FNINIT state (and remembers the model). */
void x87_init(struct x87 *f, enum x87_model model, unsigned features);
void x87_decode(uint8_t esc, uint8_t modrm, struct x87_op *out);
/* Operand bytes for a memory kind; op32 picks the ENV/STATE size. */
unsigned x87_mem_size(enum x87_mem_kind kind, bool op32);
int x87_exec(struct x87 *f, const struct x87_op *op, const struct x87_ctx *ctx,
	     const uint8_t *in, uint8_t *out, struct x87_result *res);
/* WAIT/FWAIT (9B): #NM if CR0.TS and CR0.MP, #MF if pending and CR0.NE. */
int x87_wait(const struct x87 *f, const struct x87_ctx *ctx);
/* True when an unmasked exception is pending (ES). */
bool x87_pending(const struct x87 *f);

/* FXSAVE image bytes 0..159 (x87 part; MXCSR and XMM bytes untouched).
 * x87_from_fxsave keeps f's model and features: x87_init first. */
void x87_to_fxsave(const struct x87 *f, uint8_t img[512]);
void x87_from_fxsave(struct x87 *f, const uint8_t img[512]);

/* Full 2-bit tag word as FNSTENV stores it. */
uint16_t x87_tag_word(const struct x87 *f);

/* Value helpers, also used by tests: 80-bit bytes <-> struct. */
struct x87_f80 x87_f80_get(const uint8_t b[10]);
void x87_f80_put(uint8_t b[10], struct x87_f80 v);

#endif

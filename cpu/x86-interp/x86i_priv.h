/* Internals shared by the interpreter's files: the CPU object, the decoded
 * instruction and the memory/stack/flag helpers every handler uses.
 * Not part of the interpreter's public interface (interp.h). */
#ifndef TANDEM_CPU_X86I_PRIV_H
#define TANDEM_CPU_X86I_PRIV_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cpu/state.h"
#include "cpu/models.h"
#include "cpu/x86-interp/x86i_biu.h"
#include "hw/machine.h"
#include "hw/memory.h"

/* Per-opcode decode attributes (x86i_decode.c). */
enum {
	A_M = 1u << 0,		/* ModRM byte follows */
	A_I8 = 1u << 1,		/* 8-bit immediate */
	A_I16 = 1u << 2,	/* 16-bit immediate (both: ENTER iw,ib) */
	A_I32 = 1u << 3,	/* far pointer offset (operand size):seg16 */
	A_GRP3 = 1u << 4,	/* F6/F7: immediate only for reg 0/1 */
	A_PFX = 1u << 5,	/* prefix byte */
	A_0F = 1u << 6,		/* 0F: a second opcode byte follows (80286+) */
	A_IV = 1u << 7,		/* immediate of the operand size (16 or 32) */
};

/* One decoded instruction.  Everything a handler needs is here, so the
 * handler never fetches. */
struct insn {
	uint32_t ip0;		/* first prefix */
	uint32_t op_ip;		/* opcode byte */
	uint8_t op, modrm, mod, reg, rm;
	uint8_t op2;		/* second byte after 0F */
	int8_t ovr;		/* segment override or -1 */
	uint8_t seg;		/* segment of the memory operand */
	uint8_t rep;		/* 0, 0xf2 or 0xf3 */
	uint8_t lock;
	uint8_t osz, asz;	/* operand and address size in bytes: 2 or 4 */
	uint16_t len;		/* full length including prefixes */
	uint32_t ea;		/* offset of the memory operand (mod != 3) */
	uint32_t imm;
	uint16_t imm2;		/* second immediate (ENTER) or selector */
};

struct x86i_cpu;
typedef void (*x86i_handler)(struct x86i_cpu *c, struct insn *i);

/* Clock counts that differ per model; indexed by the first opcode byte,
 * [0] for register/no-ModRM forms and [1] for memory forms.  Handlers add
 * the variable parts (taken branches, per-iteration, per-bit) from the
 * named fields. */
struct x86i_timing {
	uint8_t base[256][2];
	uint8_t ea_clocks;	/* 8086: add EA calculation clocks */
	uint8_t jcc_taken;	/* extra clocks when a branch is taken */
	uint8_t loop_taken;
	uint8_t shift_bit;	/* per bit for shift by CL/imm */
	uint8_t rep_base;	/* per REP string instruction */
	uint8_t rep_movs, rep_cmps, rep_scas, rep_lods, rep_stos, rep_ins, rep_outs;
	uint8_t mul8, mul16, imul8, imul16, div8, div16, idiv8, idiv16;
	uint8_t intr;		/* INTR/NMI/trap entry */
	uint8_t intn;		/* INT n */
	uint8_t prefix;
	uint8_t grp5[8][2];	/* FF group extra per reg field, reg/mem */
};

#define X86I_PCACHE 256

/* The decode cache: what x86i_decode made of an instruction, with the 16
 * bytes from its first one on.  Decoding depends only on its bytes, EIP,
 * the CS D bit, the CS limit and the model, so an entry whose 16 bytes are
 * in memory at CS:EIP now is exactly what decoding them again would give:
 * no write tracking, and self-modifying code just misses (as does an
 * instruction whose neighbours changed).  Only instructions read whole
 * through a page's host pointer, 16 bytes or more before its end, are
 * kept.  An entry is one cache line. */
struct x86i_dcache {
	uint64_t b0, b1;	/* the 16 bytes */
	struct insn in;		/* as decoded; in.ea is set for each use */
	uint32_t disp;		/* the EA's displacement */
	int8_t base, index;	/* registers the EA adds, -1: none */
	uint8_t scale;		/* index shift */
	uint8_t big;		/* CS D bit; 2: empty */
	uint8_t clk;		/* clocks decoding charged and step()'s base
				   clocks for the opcode */
};

#define X86I_DCACHE 4096	/* entries; a power of two */

/* The TLB: linear page -> host pointers.  With paging off a linear
 * address is physical; with paging on, a fill walks the page tables and
 * the tag carries the user/supervisor key, so CPL 3 and CPL 0-2 never
 * share an entry.  wr is set only when the page may be written at that
 * privilege and is already dirty; anything else takes the slow path. */
struct x86i_pcache {
	uint32_t tag;		/* (page number + 1) | key; 0 = empty */
	uint32_t phys;		/* physical page address */
	uint8_t *rd, *wr;	/* page base host pointers or NULL */
	/* What wr would be but for decoded code on the page (hw/memory's
	 * code watch): such stores take the slow path, which writes through
	 * hw/memory so that the block engine sees them, without a new walk. */
	uint8_t *wr_code;
};

struct x86i_cpu {
	struct machine *m;
	struct x86_state *s;
	struct mem *mem;
	const struct cpu_model *model;
	uint32_t feat;
	uint32_t addr_mask;
	uint16_t fl_fixed1, fl_writable;	/* FLAGS bits forced to 1, writable */
	uint8_t word_pen;		/* clocks per extra byte transfer */
	uint8_t bus16;
	/* 8086/8088: the bus interface model that counts their clocks
	 * (x86i_biu.h); NULL for every other model. */
	struct x86i_biu *biu;
	/* This CPU's local APIC (hw/lapic.h), NULL on a machine without, and
	 * its INTR; with --smp they and s follow x86i_select_cpu. */
	struct lapic *lapic;
	struct cpu_intr *intr;
	int cpu_index;
	const struct x86i_timing *t;
	struct x86i_timing tim;
	uint8_t attr_tab[256];
	x86i_handler op_tab[256];
	const uint8_t *attr;
	const x86i_handler *ops;
	FILE *trace;
	uint64_t gen;
	uint64_t deadline;		/* REP loops yield when cycles pass it */
	uint16_t last_ea;		/* 8086: operand of LEA/LES reg forms */
	uint8_t trap_suppress;		/* no single-step trap after this insn */
	uint8_t segchk;			/* 80286+: segment limit/type checks */
	uint8_t cpl;			/* current privilege level */
	uint8_t max_len;		/* longest instruction (80286: 10) */
	uint32_t efl_hi_writable;	/* EFLAGS bits 16-31 POPFD/IRETD may set */
	uint32_t cr4_writable;		/* CR4 bits the model implements */
	uint8_t fpu_model;		/* enum x87_model (x86i_fpu_glue.c) */
	uint8_t fpu_timing;		/* enum x87_timing_model (x86i_fpu_glue.c) */
	uint16_t fpu_clk;		/* 8086: coprocessor clocks to add after the BIU count */
	uint8_t dbg_exec;		/* DR7-enabled instruction breakpoints */
	uint8_t dbg_data;		/* DR7-enabled data breakpoints */
	/* What x86i_plain declines whatever the access (x86i_plain_update):
	 * nonzero with a bus model or data breakpoints; plain_no16 also for
	 * words on an 8-bit bus. */
	uint8_t plain_no, plain_no16;
	/* REP MOVS/STOS may go in one go (x86i_rep_bulk); TANDEM_REP_BULK=0
	 * keeps the interpreter to its loop, for tests/tcg/run.sh to check
	 * the one against the other (tcg-lite always uses it). */
	uint8_t rep_bulk;
	uint8_t dbg_hit;		/* data breakpoints hit by this insn */
	/* The host's breakpoint (accel set_breakpoint, --handoff-at): run
	 * stops before the instruction at linear brk_lin unless RF is set. */
	uint8_t brk_on, brk_hit;
	uint32_t brk_lin;
	uint32_t ac_align;		/* ~0 while alignment checks are on (486:
					   CR0.AM, EFLAGS.AC, CPL 3), else 0 */
	uint64_t tsc_mark;		/* cycles when state.tsc was last brought up
					   to date (x86i_tsc_sync) */
	uint64_t kvmclock_hz;		/* clock rate the pvclock area was written
					   for; 0: not written (x86i_kvmclock.c) */
	uint32_t ip0;			/* start of the executing instruction */
	uint64_t sp0;			/* its SP, restored when it faults */
	/* Exceptions unwind to the step loop through jb (x86i_raise). */
	sigjmp_buf jb;
	int exc_vec, exc_err;		/* pending exception; err -1: none */
	int exc_first;			/* class of the exception being delivered,
					   -1 when not delivering (double fault) */
	uint8_t exc_ext;		/* delivering an external event */
	uint8_t attr0f[256];
	x86i_handler op0f[256];
	/* NULL for the plain interpreter; a block engine (accel/tcg-lite)
	 * supplies decoded instructions in place of x86i_decode through it
	 * (x86i_block.h), so every other step of the loop stays shared. */
	int (*fetch_hook)(struct x86i_cpu *c, struct insn *i);
	/* Also the block engine's: runs instructions back to back while no
	 * event can be due, returning how many (0: let step() do the next). */
	unsigned (*run_hook)(struct x86i_cpu *c);
	void *hook_opaque;
	/* Instructions decoded before (x86i_decode.c), and runs of them for
	 * run_quiet (x86i_trace.h; allocated on first use). */
	struct x86i_dcache *dc;
	struct x86i_trace *tr;
	uint32_t pc_key;		/* X86I_KEY_USER while paging at CPL 3 */
	struct x86i_pcache pc[X86I_PCACHE];
};

#define X86I_KEY_USER 0x80000000u

/* The memory and operand helpers sit on every instruction's path. */
#define X86I_INLINE static inline __attribute__((always_inline))

/* --- registers -------------------------------------------------------- */

/* A register is always stored whole: the compiler would store just the
 * low 16 or 8 bits of a w16 or w8, and a later load of the whole register
 * (an address, r32) could then not be forwarded from that store, which
 * stalls the host for a dozen clocks.  (A relaxed atomic store is a plain
 * one that the compiler does not narrow.) */
static inline void gpr_store(struct x86i_cpu *c, int r, uint64_t v)
{
	__atomic_store_n(&c->s->gpr[r], v, __ATOMIC_RELAXED);
}
static inline uint16_t r16(struct x86i_cpu *c, int r) { return (uint16_t)c->s->gpr[r]; }
static inline void w16(struct x86i_cpu *c, int r, uint16_t v)
{
	gpr_store(c, r, (c->s->gpr[r] & ~(uint64_t)0xffff) | v);
}
/* 8-bit registers in encoding order: AL CL DL BL AH CH DH BH. */
static inline uint8_t r8(struct x86i_cpu *c, int r)
{
	return (uint8_t)(c->s->gpr[r & 3] >> ((r & 4) << 1));
}
static inline void w8(struct x86i_cpu *c, int r, uint8_t v)
{
	int sh = (r & 4) << 1;

	gpr_store(c, r & 3, (c->s->gpr[r & 3] & ~((uint64_t)0xff << sh)) | ((uint64_t)v << sh));
}
static inline uint32_t r32(struct x86i_cpu *c, int r) { return (uint32_t)c->s->gpr[r]; }
static inline void w32(struct x86i_cpu *c, int r, uint32_t v) { c->s->gpr[r] = v; }
/* IP as the instruction set sees it: EIP (16-bit code keeps it below
 * 10000h through set_ip's callers masking by operand size). */
static inline uint32_t ip(struct x86i_cpu *c) { return (uint32_t)c->s->rip; }
static inline void set_ip(struct x86i_cpu *c, uint32_t v) { c->s->rip = v; }
static inline uint16_t fl(struct x86i_cpu *c) { return (uint16_t)c->s->rflags; }
static inline int cf(struct x86i_cpu *c) { return c->s->rflags & X86_CF; }
static inline void setf(struct x86i_cpu *c, uint32_t bit, int on)
{
	/* Without a branch: on is mostly data (see x86i_szp). */
	c->s->rflags = (c->s->rflags & ~(uint64_t)bit) | (on ? bit : 0);
}
static inline void clk(struct x86i_cpu *c, unsigned n) { c->s->cycles += n; }

/* --- memory ----------------------------------------------------------- */

void x86i_pcache_fill(struct x86i_cpu *c, uint32_t a);
void x86i_pcache_flush(struct x86i_cpu *c);

/* The time-stamp counter runs with the clock; state.tsc is brought up to
 * date when the interpreter stops and before RDTSC/RDMSR/WRMSR. */
static inline void x86i_tsc_sync(struct x86i_cpu *c)
{
	c->s->tsc += c->s->cycles - c->tsc_mark;
	c->tsc_mark = c->s->cycles;
}

/* The memory map changes only between run slices or through what the
 * CPU itself does: port I/O and writes that reach a device.  Those paths
 * call this instead of every instruction asking. */
static inline void x86i_mem_sync(struct x86i_cpu *c)
{
	if (mem_generation(c->mem) != c->gen)
		x86i_pcache_flush(c);
}

static inline struct x86i_pcache *pce(struct x86i_cpu *c, uint32_t a)
{
	struct x86i_pcache *e = &c->pc[(a >> MEM_PAGE_SHIFT) % X86I_PCACHE];
	if (e->tag != (((a >> MEM_PAGE_SHIFT) + 1) | c->pc_key))
		x86i_pcache_fill(c, a);
	return e;
}

/* For a write: a miss fills as a write (so a #PF has the write bit and
 * the page's D bit gets set). */
void x86i_pcache_fill_wr(struct x86i_cpu *c, uint32_t a);
static inline struct x86i_pcache *pce_wr(struct x86i_cpu *c, uint32_t a)
{
	struct x86i_pcache *e = &c->pc[(a >> MEM_PAGE_SHIFT) % X86I_PCACHE];
	if (e->tag != (((a >> MEM_PAGE_SHIFT) + 1) | c->pc_key))
		x86i_pcache_fill_wr(c, a);
	return e;
}

/* Slow paths (x86i_paging.c): MMIO, ROM, pages not yet dirty. */
void x86i_write8_slow(struct x86i_cpu *c, uint32_t a, uint8_t v);
/* A 2- or 4-byte access inside one page with no host pointer (MMIO, or
 * ROM for writes): one access of that width, as the bus does it, so a
 * device register sees the whole value at once. */
uint32_t x86i_read_wide_slow(struct x86i_cpu *c, uint32_t a, int size);
void x86i_write_wide_slow(struct x86i_cpu *c, uint32_t a, uint32_t v, int size);
/* A store of size 2 or 4 inside one page that e would take on the fast
 * path but for decoded code on it (wr_code): the same bytes, through hw/memory. */
void x86i_write_code(struct x86i_cpu *c, const struct x86i_pcache *e, uint32_t a, uint32_t v,
		     unsigned size);

static inline uint8_t prd8(struct x86i_cpu *c, uint32_t a)
{
	struct x86i_pcache *e = pce(c, a);
	if (e->rd)
		return e->rd[a & (MEM_PAGE_SIZE - 1)];
	return mem_read8(c->mem, e->phys | (a & (MEM_PAGE_SIZE - 1)));
}
static inline void pwr8(struct x86i_cpu *c, uint32_t a, uint8_t v)
{
	struct x86i_pcache *e = pce_wr(c, a);
	if (e->wr)
		e->wr[a & (MEM_PAGE_SIZE - 1)] = v;
	else
		x86i_write8_slow(c, a, v);
}

static inline uint32_t lin(struct x86i_cpu *c, int seg, uint32_t off)
{
	return (uint32_t)(c->s->seg[seg].base + off) & c->addr_mask;
}

static inline int pmode(const struct x86i_cpu *c) { return c->s->cr0 & 1; }

/* Raises exception vec (err < 0: no error code) for the executing
 * instruction: IP and SP go back to where it started and control unwinds
 * to the step loop, which delivers it (x86i_except.c). */
_Noreturn void x86i_raise(struct x86i_cpu *c, int vec, int err);
/* Full segment check on the slow path: faults or returns. */
void x86i_seg_check_slow(struct x86i_cpu *c, int seg, uint32_t off, unsigned size, int wr);

/* 80286+: an access must lie inside the segment's limit and suit its type.
 * The common case (present writable expand-up data) is tested inline. */
static inline void seg_check(struct x86i_cpu *c, int seg, uint32_t off, unsigned size, int wr)
{
	const struct x86_seg *sg;

	if (!c->segchk)
		return;
	sg = &c->s->seg[seg];
	if ((sg->attr & 0x9e) != 0x92 || (uint64_t)off + size - 1 > sg->limit ||
	    (off & (size - 1) & c->ac_align) || c->dbg_data)
		x86i_seg_check_slow(c, seg, off, size, wr);
}

/* The full accessors: the bus model's note, the segment checks, penalty
 * clocks, page crossings, MMIO and ROM.  rd8, wr16 ... (below) do the
 * plain case inline and call these out of line for everything else. */
X86I_INLINE uint8_t rd8_full(struct x86i_cpu *c, int seg, uint32_t off)
{
	if (c->biu)
		x86i_biu_note(c->biu, 'R', off, 1);
	seg_check(c, seg, off, 1, 0);
	return prd8(c, lin(c, seg, off));
}
X86I_INLINE void wr8_full(struct x86i_cpu *c, int seg, uint32_t off, uint8_t v)
{
	if (c->biu)
		x86i_biu_note(c->biu, 'W', off, 1);
	seg_check(c, seg, off, 1, 1);
	pwr8(c, lin(c, seg, off), v);
}
/* Word accesses wrap at the end of the segment on the 8086 (offset FFFFh
 * + 1 = 0; later models fault instead) and cost an extra bus cycle on an
 * 8-bit bus or at an odd address.  A word inside one page of RAM/ROM is
 * one host access (pages end on every address-mask boundary, so the
 * 1 MiB wrap always takes the byte path). */
X86I_INLINE uint16_t rd16_full(struct x86i_cpu *c, int seg, uint32_t off)
{
	uint32_t a;

	if (c->biu)
		x86i_biu_note(c->biu, 'R', off, 2);
	seg_check(c, seg, off, 2, 0);
	if (!c->bus16 || (off & 1))
		clk(c, c->word_pen);
	a = lin(c, seg, off);
	if ((a & (MEM_PAGE_SIZE - 1)) != MEM_PAGE_SIZE - 1 &&
	    ((uint16_t)off != 0xffff || c->segchk)) {
		const uint8_t *p = pce(c, a)->rd;
		if (p) {
			p += a & (MEM_PAGE_SIZE - 1);
			return (uint16_t)(p[0] | p[1] << 8);
		}
		if (c->bus16)
			return (uint16_t)x86i_read_wide_slow(c, a, 2);
	} else if (!c->segchk) {
		return prd8(c, a) | (uint16_t)prd8(c, lin(c, seg, (uint16_t)(off + 1))) << 8;
	}
	return prd8(c, a) | (uint16_t)prd8(c, lin(c, seg, off + 1)) << 8;
}
X86I_INLINE void wr16_full(struct x86i_cpu *c, int seg, uint32_t off, uint16_t v)
{
	uint32_t a;

	if (c->biu)
		x86i_biu_note(c->biu, 'W', off, 2);
	seg_check(c, seg, off, 2, 1);
	if (!c->bus16 || (off & 1))
		clk(c, c->word_pen);
	a = lin(c, seg, off);
	if ((a & (MEM_PAGE_SIZE - 1)) != MEM_PAGE_SIZE - 1 &&
	    ((uint16_t)off != 0xffff || c->segchk)) {
		struct x86i_pcache *e = pce_wr(c, a);
		uint8_t *p = e->wr;
		if (p) {
			p += a & (MEM_PAGE_SIZE - 1);
			p[0] = (uint8_t)v;
			p[1] = (uint8_t)(v >> 8);
			return;
		}
		if (e->wr_code) {
			x86i_write_code(c, e, a, v, 2);
			return;
		}
		if (c->bus16) {
			x86i_write_wide_slow(c, a, v, 2);
			return;
		}
	}
	pwr8(c, a, (uint8_t)v);
	pwr8(c, lin(c, seg, c->segchk ? off + 1 : (uint16_t)(off + 1)), (uint8_t)(v >> 8));
}

X86I_INLINE uint32_t rd32_full(struct x86i_cpu *c, int seg, uint32_t off)
{
	uint32_t a;

	seg_check(c, seg, off, 4, 0);
	a = lin(c, seg, off);
	if ((a & (MEM_PAGE_SIZE - 1)) <= MEM_PAGE_SIZE - 4) {
		const uint8_t *p = pce(c, a)->rd;
		if (p) {
			p += a & (MEM_PAGE_SIZE - 1);
			return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			       (uint32_t)p[3] << 24;
		}
		return x86i_read_wide_slow(c, a, 4);
	}
	return rd16_full(c, seg, off) | (uint32_t)rd16_full(c, seg, off + 2) << 16;
}
X86I_INLINE void wr32_full(struct x86i_cpu *c, int seg, uint32_t off, uint32_t v)
{
	uint32_t a;

	seg_check(c, seg, off, 4, 1);
	a = lin(c, seg, off);
	if ((a & (MEM_PAGE_SIZE - 1)) <= MEM_PAGE_SIZE - 4) {
		struct x86i_pcache *e = pce_wr(c, a);
		uint8_t *p = e->wr;
		if (p) {
			p += a & (MEM_PAGE_SIZE - 1);
			p[0] = (uint8_t)v;
			p[1] = (uint8_t)(v >> 8);
			p[2] = (uint8_t)(v >> 16);
			p[3] = (uint8_t)(v >> 24);
			return;
		}
		if (e->wr_code) {
			x86i_write_code(c, e, a, v, 4);
			return;
		}
		x86i_write_wide_slow(c, a, v, 4);
		return;
	}
	wr16_full(c, seg, off, (uint16_t)v);
	wr16_full(c, seg, off + 2, (uint16_t)(v >> 16));
}


/* The accessors: a plain access (aligned, inside the segment and the page,
 * whose page is in the TLB with a host pointer, with no bus model, penalty
 * clocks or breakpoint to see it) is one host load or store; anything else
 * goes out of line to the *_full versions above (x86i_paging.c), which do
 * all of it.  x86i_plain() has no side effects, so declining is always safe. */
uint8_t x86i_rd8_slow(struct x86i_cpu *c, int seg, uint32_t off);
void x86i_wr8_slow(struct x86i_cpu *c, int seg, uint32_t off, uint8_t v);
uint16_t x86i_rd16_slow(struct x86i_cpu *c, int seg, uint32_t off);
void x86i_wr16_slow(struct x86i_cpu *c, int seg, uint32_t off, uint16_t v);
uint32_t x86i_rd32_slow(struct x86i_cpu *c, int seg, uint32_t off);
void x86i_wr32_slow(struct x86i_cpu *c, int seg, uint32_t off, uint32_t v);

/* Call whenever c->biu, c->bus16 or c->dbg_data changed. */
static inline void x86i_plain_update(struct x86i_cpu *c)
{
	c->plain_no = c->biu != NULL || c->dbg_data;
	c->plain_no16 = c->plain_no || !c->bus16;
}

/* The host address of a plain access of size bytes at seg:off, or NULL. */
X86I_INLINE uint8_t *x86i_plain(struct x86i_cpu *c, int seg, uint32_t off, unsigned size, int wr)
{
	const struct x86_seg *sg = &c->s->seg[seg];
	const struct x86i_pcache *e;
	uint32_t a;
	uint8_t *p;

	/* (The bus model, an 8-bit bus for words and data breakpoints, which
	 * only models with segment checks have, in one test.) */
	if ((size == 2 ? c->plain_no16 : c->plain_no) || (off & (size - 1)))
		return NULL;
	if (c->segchk) {
		if ((sg->attr & 0x9e) != 0x92 || (uint64_t)off + size - 1 > sg->limit)
			return NULL;
	}
	a = (uint32_t)(sg->base + off) & c->addr_mask;
	if ((a & (MEM_PAGE_SIZE - 1)) > MEM_PAGE_SIZE - size)
		return NULL;
	e = &c->pc[(a >> MEM_PAGE_SHIFT) % X86I_PCACHE];
	if (e->tag != (((a >> MEM_PAGE_SHIFT) + 1) | c->pc_key))
		return NULL;
	p = wr ? e->wr : e->rd;
	return p ? p + (a & (MEM_PAGE_SIZE - 1)) : NULL;
}

X86I_INLINE uint8_t rd8(struct x86i_cpu *c, int seg, uint32_t off)
{
	const uint8_t *p = x86i_plain(c, seg, off, 1, 0);
	return p ? *p : x86i_rd8_slow(c, seg, off);
}
X86I_INLINE void wr8(struct x86i_cpu *c, int seg, uint32_t off, uint8_t v)
{
	uint8_t *p = x86i_plain(c, seg, off, 1, 1);
	if (p)
		*p = v;
	else
		x86i_wr8_slow(c, seg, off, v);
}
X86I_INLINE uint16_t rd16(struct x86i_cpu *c, int seg, uint32_t off)
{
	const uint8_t *p = x86i_plain(c, seg, off, 2, 0);
	uint16_t v;

	if (!p)
		return x86i_rd16_slow(c, seg, off);
	memcpy(&v, p, 2);	/* little-endian host, as hw/memory.c */
	return v;
}
X86I_INLINE void wr16(struct x86i_cpu *c, int seg, uint32_t off, uint16_t v)
{
	uint8_t *p = x86i_plain(c, seg, off, 2, 1);
	if (p)
		memcpy(p, &v, 2);
	else
		x86i_wr16_slow(c, seg, off, v);
}
X86I_INLINE uint32_t rd32(struct x86i_cpu *c, int seg, uint32_t off)
{
	const uint8_t *p = x86i_plain(c, seg, off, 4, 0);
	uint32_t v;

	if (!p)
		return x86i_rd32_slow(c, seg, off);
	memcpy(&v, p, 4);
	return v;
}
X86I_INLINE void wr32(struct x86i_cpu *c, int seg, uint32_t off, uint32_t v)
{
	uint8_t *p = x86i_plain(c, seg, off, 4, 1);
	if (p)
		memcpy(p, &v, 4);
	else
		x86i_wr32_slow(c, seg, off, v);
}

/* Sized accesses: sz is 1, 2 or 4 bytes. */
X86I_INLINE uint32_t rdm(struct x86i_cpu *c, int seg, uint32_t off, unsigned sz)
{
	return sz == 2 ? rd16(c, seg, off) : sz == 1 ? rd8(c, seg, off) : rd32(c, seg, off);
}
X86I_INLINE void wrm(struct x86i_cpu *c, int seg, uint32_t off, unsigned sz, uint32_t v)
{
	if (sz == 2)
		wr16(c, seg, off, (uint16_t)v);
	else if (sz == 1)
		wr8(c, seg, off, (uint8_t)v);
	else
		wr32(c, seg, off, v);
}
X86I_INLINE uint32_t rreg(struct x86i_cpu *c, int r, unsigned sz)
{
	return sz == 2 ? r16(c, r) : sz == 1 ? r8(c, r) : r32(c, r);
}
X86I_INLINE void wreg(struct x86i_cpu *c, int r, unsigned sz, uint32_t v)
{
	if (sz == 2)
		w16(c, r, (uint16_t)v);
	else if (sz == 1)
		w8(c, r, (uint8_t)v);
	else
		w32(c, r, v);
}

/* The stack: SS's B bit picks SP or ESP. */
static inline int ss32(struct x86i_cpu *c)
{
	return (c->s->seg[X86_SS].attr & 0x4000) != 0;
}
static inline uint32_t get_sp(struct x86i_cpu *c)
{
	return ss32(c) ? r32(c, X86_RSP) : r16(c, X86_RSP);
}
static inline void set_sp(struct x86i_cpu *c, uint32_t v)
{
	if (ss32(c))
		w32(c, X86_RSP, v);
	else
		w16(c, X86_RSP, (uint16_t)v);
}
X86I_INLINE void push16(struct x86i_cpu *c, uint16_t v)
{
	if (ss32(c)) {
		uint32_t sp = r32(c, X86_RSP) - 2;
		wr16(c, X86_SS, sp, v);
		w32(c, X86_RSP, sp);
	} else {
		/* (RSP read once: the store cannot change it.) */
		uint64_t rsp = c->s->gpr[X86_RSP];
		uint16_t sp = (uint16_t)(rsp - 2);
		wr16(c, X86_SS, sp, v);
		gpr_store(c, X86_RSP, (rsp & ~(uint64_t)0xffff) | sp);
	}
}
X86I_INLINE uint16_t pop16(struct x86i_cpu *c)
{
	uint64_t rsp = c->s->gpr[X86_RSP];
	uint16_t v;

	if (ss32(c)) {
		v = rd16(c, X86_SS, (uint32_t)rsp);
		w32(c, X86_RSP, (uint32_t)rsp + 2);
	} else {
		v = rd16(c, X86_SS, (uint16_t)rsp);
		gpr_store(c, X86_RSP, (rsp & ~(uint64_t)0xffff) | (uint16_t)(rsp + 2));
	}
	return v;
}
static inline void push32(struct x86i_cpu *c, uint32_t v)
{
	uint32_t sp = get_sp(c) - 4;
	if (!ss32(c))
		sp &= 0xffff;
	wr32(c, X86_SS, sp, v);
	set_sp(c, sp);
}
static inline uint32_t pop32(struct x86i_cpu *c)
{
	uint32_t sp = get_sp(c);
	uint32_t v = rd32(c, X86_SS, sp);
	set_sp(c, sp + 4);
	return v;
}
/* Push/pop of the operand size (2 or 4). */
X86I_INLINE void pushv(struct x86i_cpu *c, unsigned sz, uint32_t v)
{
	if (sz == 4)
		push32(c, v);
	else
		push16(c, (uint16_t)v);
}
X86I_INLINE uint32_t popv(struct x86i_cpu *c, unsigned sz)
{
	return sz == 4 ? pop32(c) : pop16(c);
}

/* Linear (system) accesses: descriptor tables, TSS, IDT.  They are
 * supervisor accesses whatever the CPL. */
uint8_t x86i_sys_read8(struct x86i_cpu *c, uint32_t a);
void x86i_sys_write8(struct x86i_cpu *c, uint32_t a, uint8_t v);
static inline uint8_t lrd8(struct x86i_cpu *c, uint32_t a)
{
	if (c->pc_key)
		return x86i_sys_read8(c, a);
	return prd8(c, a & c->addr_mask);
}
static inline uint16_t lrd16(struct x86i_cpu *c, uint32_t a)
{
	return lrd8(c, a) | (uint16_t)lrd8(c, a + 1) << 8;
}
static inline void lwr8(struct x86i_cpu *c, uint32_t a, uint8_t v)
{
	if (c->pc_key)
		x86i_sys_write8(c, a, v);
	else
		pwr8(c, a & c->addr_mask, v);
}

/* Alignment checking (80486): CR0.AM, EFLAGS.AC and CPL 3 together.
 * Called whenever one of them may have changed. */
static inline void x86i_ac_update(struct x86i_cpu *c)
{
	c->ac_align = (c->cpl == 3 && (c->s->cr0 & 0x40000u) && (c->s->rflags & X86_AC)) ?
		      0xffffffffu : 0;
}

/* Every CPL change goes through here: the TLB key follows it. */
static inline void x86i_set_cpl(struct x86i_cpu *c, unsigned cpl)
{
	c->cpl = (uint8_t)cpl;
	c->pc_key = (cpl == 3 && (c->s->cr0 & 0x80000000u)) ? X86I_KEY_USER : 0;
	x86i_ac_update(c);
}
static inline void lwr16(struct x86i_cpu *c, uint32_t a, uint16_t v)
{
	lwr8(c, a, (uint8_t)v);
	lwr8(c, a + 1, (uint8_t)(v >> 8));
}

/* --- ModRM operands --------------------------------------------------- */

static inline uint8_t get_rm8(struct x86i_cpu *c, struct insn *i)
{
	return i->mod == 3 ? r8(c, i->rm) : rd8(c, i->seg, i->ea);
}
static inline void set_rm8(struct x86i_cpu *c, struct insn *i, uint8_t v)
{
	if (i->mod == 3)
		w8(c, i->rm, v);
	else
		wr8(c, i->seg, i->ea, v);
}
static inline uint16_t get_rm16(struct x86i_cpu *c, struct insn *i)
{
	return i->mod == 3 ? r16(c, i->rm) : rd16(c, i->seg, i->ea);
}
static inline void set_rm16(struct x86i_cpu *c, struct insn *i, uint16_t v)
{
	if (i->mod == 3)
		w16(c, i->rm, v);
	else
		wr16(c, i->seg, i->ea, v);
}
X86I_INLINE uint32_t get_rm(struct x86i_cpu *c, struct insn *i, unsigned sz)
{
	return i->mod == 3 ? rreg(c, i->rm, sz) : rdm(c, i->seg, i->ea, sz);
}
X86I_INLINE void set_rm(struct x86i_cpu *c, struct insn *i, unsigned sz, uint32_t v)
{
	if (i->mod == 3)
		wreg(c, i->rm, sz, v);
	else
		wrm(c, i->seg, i->ea, sz, v);
}
/* Operand size of an instruction whose low opcode bit selects byte/full. */
static inline unsigned opsz(const struct insn *i)
{
	return (i->op & 1) ? i->osz : 1;
}
/* A near branch target: 16-bit operand size wraps IP at 64K. */
static inline void jump_to(struct x86i_cpu *c, const struct insn *i, uint32_t target)
{
	c->s->rip = i->osz == 4 ? target : (target & 0xffff);
}

/* --- shared operations (x86i_exec.c, x86i_alu.c) ---------------------- */

void x86i_load_sreg(struct x86i_cpu *c, int sreg, uint16_t sel);
void x86i_set_flags(struct x86i_cpu *c, uint16_t v);
void x86i_set_eflags(struct x86i_cpu *c, uint32_t v, int iret);
/* Interrupt/exception entry (IVT or IDT), as an external event (no gate
 * privilege check); x86i_soft_int for INT n/INT3/INTO. */
void x86i_interrupt(struct x86i_cpu *c, uint8_t vec);
void x86i_soft_int(struct x86i_cpu *c, uint8_t vec);

/* #UD on models that have it (IP back at the first prefix). */
void x86i_undefined(struct x86i_cpu *c, struct insn *i);
/* Divide error: 8086 pushes the next IP, later models the faulting one. */
void x86i_divide_error(struct x86i_cpu *c, struct insn *i);
int x86i_cond(struct x86i_cpu *c, int cc);

extern const uint8_t x86i_parity[256];

/* Sets SF, ZF and PF from a result; wide 0/1/2: 8/16/32 bits. */
static inline void x86i_szp(struct x86i_cpu *c, uint32_t r, int wide)
{
	uint32_t sign = wide == 2 ? 0x80000000u : wide ? 0x8000 : 0x80;
	uint32_t mask = wide == 2 ? 0xffffffffu : wide ? 0xffff : 0xff;
	uint64_t f = c->s->rflags & ~(uint64_t)(X86_SF | X86_ZF | X86_PF);

	/* Without branches: results are data, a host branch on them would
	 * mispredict half the time. */
	f |= (r & sign) ? X86_SF : 0;
	f |= (r & mask) ? 0 : X86_ZF;
	f |= (uint64_t)x86i_parity[r & 0xff] * X86_PF;
	c->s->rflags = f;
}

/* The eight ALU operations, op: 0 ADD, 1 OR, 2 ADC, 3 SBB, 4 AND, 5 SUB,
 * 6 XOR, 7 CMP, on operands of width wide (0/1/2: 8/16/32 bits); sets the
 * flags, returns the result.  Inline for the handlers that know op and
 * wide (x86i_ops.c); x86i_alu for the others. */
X86I_INLINE uint32_t x86i_alu_op(struct x86i_cpu *c, int op, uint32_t a, uint32_t b, int wide)
{
	uint32_t mask = wide == 2 ? 0xffffffffu : wide ? 0xffff : 0xff;
	uint32_t sign = wide == 2 ? 0x80000000u : wide ? 0x8000 : 0x80;
	uint64_t r;
	uint32_t carry = 0, of = 0;
	uint64_t f = c->s->rflags & ~(uint64_t)(X86_CF | X86_OF | X86_AF);

	switch (op) {
	case 2:
		carry = cf(c) ? 1 : 0;
		/* fallthrough */
	case 0:
		r = (uint64_t)a + b + carry;
		if (r > mask)
			f |= X86_CF;
		of = (a ^ (uint32_t)r) & (b ^ (uint32_t)r) & sign;
		f |= (a ^ b ^ (uint32_t)r) & X86_AF;
		break;
	case 3:
		carry = cf(c) ? 1 : 0;
		/* fallthrough */
	case 5:
	case 7:
		r = (uint64_t)a - b - carry;
		if (r > mask)
			f |= X86_CF;
		of = (a ^ b) & (a ^ (uint32_t)r) & sign;
		f |= (a ^ b ^ (uint32_t)r) & X86_AF;
		break;
	case 1: r = a | b; break;
	case 4: r = a & b; break;
	default: r = a ^ b; break;
	}
	if (of)
		f |= X86_OF;
	c->s->rflags = f;
	r &= mask;
	x86i_szp(c, (uint32_t)r, wide);
	return (uint32_t)r;
}

/* INC (dec 0) or DEC of a: CF stays. */
X86I_INLINE uint32_t x86i_inc_dec_op(struct x86i_cpu *c, uint32_t a, int dec, int wide)
{
	uint32_t mask = wide == 2 ? 0xffffffffu : wide ? 0xffff : 0xff;
	uint32_t sign = wide == 2 ? 0x80000000u : wide ? 0x8000 : 0x80;
	uint32_t r = (dec ? a - 1 : a + 1) & mask;

	setf(c, X86_OF, dec ? a == sign : r == sign);
	setf(c, X86_AF, (a ^ r) & 0x10);
	x86i_szp(c, r, wide);
	return r;
}

uint32_t x86i_alu(struct x86i_cpu *c, int op, uint32_t a, uint32_t b, int wide);
uint32_t x86i_inc_dec(struct x86i_cpu *c, uint32_t a, int dec, int wide);
/* Shifts and rotates, op: 0 ROL 1 ROR 2 RCL 3 RCR 4 SHL 5 SHR 6 SETMO (8086) /
 * SHL 7 SAR; inline for the handlers that know op (x86i_ops.c), x86i_shift
 * for the others. */
X86I_INLINE uint32_t x86i_shift_op(struct x86i_cpu *c, int op, uint32_t v, unsigned count, int wide)
{
	uint32_t mask = wide == 2 ? 0xffffffffu : wide ? 0xffff : 0xff;
	uint32_t sign = wide == 2 ? 0x80000000u : wide ? 0x8000 : 0x80;
	int carry = cf(c) ? 1 : 0, of = (c->s->rflags & X86_OF) != 0;

	if (!count)
		return v;
	if (op == 6 && (c->feat & CPUF_SETMO)) {
		v = mask;
		c->s->rflags &= ~(uint64_t)(X86_CF | X86_OF | X86_AF);
		x86i_szp(c, v, wide);
		return v;
	}
	if (op == 6)
		op = 4;
	/* Up to the operand width, the loop's result and its last step's
	 * CF and OF in closed form (RCL/RCR and longer counts loop). */
	if (count <= 8u << wide && op != 2 && op != 3) {
		unsigned bits = 8u << wide;
		uint64_t w = v;
		switch (op) {
		case 0:
			v = (uint32_t)(((w << count) | (w >> (bits - count))) & mask);
			carry = v & 1;
			of = ((v & sign) != 0) ^ carry;
			break;
		case 1:
			v = (uint32_t)(((w >> count) | (w << (bits - count))) & mask);
			carry = (v & sign) != 0;
			of = ((v ^ (v << 1)) & sign) != 0;
			break;
		case 4:
			w <<= count;
			v = (uint32_t)(w & mask);
			carry = (int)((w >> bits) & 1);
			of = ((v & sign) != 0) ^ carry;
			break;
		case 5:
			carry = (int)((w >> (count - 1)) & 1);
			of = count == 1 && (w & sign);
			v = (uint32_t)(w >> count);
			break;
		default: {
			int64_t sv = (v & sign) ? (int64_t)(w | ~(uint64_t)mask) : (int64_t)w;
			carry = (int)((sv >> (count - 1)) & 1);
			of = 0;
			v = (uint32_t)((uint64_t)(sv >> count) & mask);
			break;
		}
		}
		count = 0;
	}
	for (unsigned n = 0; n < count; n++) {
		int msb = (v & sign) != 0, lsb = v & 1;
		switch (op) {
		case 0:
			v = ((v << 1) | msb) & mask;
			carry = msb;
			of = ((v & sign) != 0) ^ carry;
			break;
		case 1:
			v = (v >> 1) | (lsb ? sign : 0);
			carry = lsb;
			of = ((v ^ (v << 1)) & sign) != 0;
			break;
		case 2:
			v = ((v << 1) | (unsigned)carry) & mask;
			carry = msb;
			of = ((v & sign) != 0) ^ carry;
			break;
		case 3:
			v = (v >> 1) | (carry ? sign : 0);
			carry = lsb;
			of = ((v ^ (v << 1)) & sign) != 0;
			break;
		case 4:
			v = (v << 1) & mask;
			carry = msb;
			of = ((v & sign) != 0) ^ carry;
			break;
		case 5:
			v >>= 1;
			carry = lsb;
			of = msb;
			break;
		default:
			v = (v >> 1) | (msb ? sign : 0);
			carry = lsb;
			of = 0;
			break;
		}
	}
	setf(c, X86_CF, carry);
	setf(c, X86_OF, of);
	if (op >= 4) {
		x86i_szp(c, v, wide);
		/* Undefined, but the 8086 ALU leaves bit 4 of a left shift. */
		setf(c, X86_AF, op == 4 && (v & 0x10));
	}
	return v;
}

uint32_t x86i_shift(struct x86i_cpu *c, int op, uint32_t v, unsigned count, int wide);
/* MUL/IMUL/DIV/IDIV group members (reg 4..7) on AL/AX. Returns 0, or -1
 * after raising a divide error. */
int x86i_muldiv(struct x86i_cpu *c, struct insn *i, int op, uint32_t src, int wide);
uint32_t x86i_imul32(struct x86i_cpu *c, int32_t a, int32_t b);
uint16_t x86i_imul16(struct x86i_cpu *c, int16_t a, int16_t b);

/* Decode tables and handlers. */
void x86i_build_attr(uint8_t *attr, uint32_t feat);
int x86i_decode(struct x86i_cpu *c, struct insn *i);
/* Allocates the decode cache x86i_decode keeps: 0, or -1 out of memory. */
int x86i_dcache_new(struct x86i_cpu *c);

/* An effective address from the registers it adds and its displacement
 * (asz 2: 16-bit addressing wraps). */
static inline uint32_t x86i_ea_eval(struct x86i_cpu *c, int base, int index, unsigned scale,
				    uint32_t disp, unsigned asz)
{
	uint32_t ea = disp;

	if (base >= 0)
		ea += r32(c, base);
	if (index >= 0)
		ea += r32(c, index) << scale;
	return asz == 2 ? (uint16_t)ea : ea;
}

static inline unsigned x86i_dcache_slot(uint32_t at)
{
	return (at ^ (at >> 12)) & (X86I_DCACHE - 1);
}

/* The instruction at CS:EIP from the decode cache, ready for its handler:
 * the EA computed, IP moved and the clocks charged that decoding and then
 * step() charge before the handler.  NULL, with nothing done, when it is
 * not there as it is in memory now (or its code page is not in the TLB,
 * or decoding it would fault): then x86i_decode it.  The insn lives in the
 * cache until the next x86i_decode (handlers do not decode). */
X86I_INLINE struct insn *x86i_dcache_issue(struct x86i_cpu *c)
{
	const struct x86_state *s = c->s;
	uint32_t eip = (uint32_t)s->rip;
	uint32_t at = (uint32_t)(s->seg[X86_CS].base + eip) & c->addr_mask;
	unsigned off = at & (MEM_PAGE_SIZE - 1);
	const struct x86i_pcache *e = &c->pc[(at >> MEM_PAGE_SHIFT) % X86I_PCACHE];
	struct x86i_dcache *d = &c->dc[x86i_dcache_slot(at)];
	unsigned big = (s->seg[X86_CS].attr >> 14) & 1;
	unsigned len = d->in.len;
	uint64_t w0, w1;

	if (e->tag != (((at >> MEM_PAGE_SHIFT) + 1) | c->pc_key) || !e->rd ||
	    d->in.ip0 != eip || d->big != big || off > MEM_PAGE_SIZE - 16)
		return NULL;
	memcpy(&w0, e->rd + off, 8);
	memcpy(&w1, e->rd + off + 8, 8);
	if ((w0 ^ d->b0) | (w1 ^ d->b1))
		return NULL;
	if (c->segchk && (uint64_t)eip + len - 1 > s->seg[X86_CS].limit)
		return NULL;	/* x86i_decode raises #GP */
	clk(c, d->clk);
	if (d->in.mod != 3) {
		uint32_t ea = x86i_ea_eval(c, d->base, d->index, d->scale, d->disp, d->in.asz);
		d->in.ea = ea;
		if (d->in.asz == 2)
			c->last_ea = (uint16_t)ea;
	}
	set_ip(c, big ? eip + len : (uint16_t)(eip + len));
	return &d->in;
}

/* Length of the instruction at buf (at most n bytes), or -1 if cut. */
int x86i_length(const uint8_t *attr, const uint8_t *buf, int n);
void x86i_build_ops(x86i_handler *ops, uint32_t feat);
/* The handler for decoded instruction i in run_quiet: c->ops[i->op], or a
 * smaller one with the same effect for its form (x86i_ops.c). */
x86i_handler x86i_fast_handler(const struct x86i_cpu *c, const struct insn *i);
/* 1 for the handlers x86i_fast_handler picks that touch nothing but
 * registers, flags, IP and the clock: no memory (so no TLB fill either),
 * no I/O, no exception. */
int x86i_fast_regonly(x86i_handler h);
void x86i_string(struct x86i_cpu *c, struct insn *i);
/* REP MOVS/STOS of i in one go where no iteration can fault or reach a
 * device or code (x86i_string.c): pre, the start clocks not charged yet,
 * and IP = ip_next are taken only then.  X86I_REP_NO having changed
 * nothing, X86I_REP_YIELD when the deadline came before CX reached 0 (IP
 * back at the instruction), else X86I_REP_DONE. */
enum { X86I_REP_NO, X86I_REP_DONE, X86I_REP_YIELD };
int x86i_rep_bulk(struct x86i_cpu *c, const struct insn *i, int64_t pre, uint32_t ip_next);
/* x86i_string for MOVSW/STOSW with 16-bit addresses and MOVSD/STOSD with
 * 32-bit ones (x86i_fast_handler's). */
void x86i_movs16(struct x86i_cpu *c, struct insn *i);
void x86i_movs32(struct x86i_cpu *c, struct insn *i);
void x86i_stos16(struct x86i_cpu *c, struct insn *i);
void x86i_stos32(struct x86i_cpu *c, struct insn *i);
/* 0F page and ARPL (x86i_sys.c), x87 escapes (x86i_fpu_glue.c). */
void x86i_build_0f(uint8_t *attr, x86i_handler *ops, uint32_t feat, int family);
void x86i_build_0f_386(uint8_t *attr, x86i_handler *ops, uint32_t feat, int family);
void x86i_build_mmx(uint8_t *attr, x86i_handler *ops, int fxsr);
/* CPUID leaves and model-specific registers (x86i_cpuid.c). */
void x86i_cpuid(struct x86i_cpu *c, uint32_t leaf, uint32_t out[4]);
int x86i_msr_read(struct x86i_cpu *c, uint32_t msr, uint64_t *v);
int x86i_msr_write(struct x86i_cpu *c, uint32_t msr, uint64_t v);

/* kvmclock for CPUF_KVMCLOCK models (x86i_kvmclock.c).  cpuid fills out and
 * returns true for the paravirtual leaves; the MSR calls return -1 for an
 * MSR that is not theirs.  update rewrites the guest's pvclock area from
 * the interpreter's TSC and clock (after a state was loaded or the TSC
 * written); check does so when the clock rate changed since. */
bool x86i_kvmclock_cpuid(struct x86i_cpu *c, uint32_t leaf, uint32_t out[4]);
int x86i_kvmclock_msr_read(struct x86i_cpu *c, uint32_t msr, uint64_t *v);
int x86i_kvmclock_msr_write(struct x86i_cpu *c, uint32_t msr, uint64_t v);
void x86i_kvmclock_update(struct x86i_cpu *c);
void x86i_kvmclock_check(struct x86i_cpu *c);
/* Debug registers: recompute the breakpoints DR7 enables (x86i_debug.c). */
void x86i_dr7_changed(struct x86i_cpu *c);
int x86i_debug_exec_hit(struct x86i_cpu *c);
/* Records data breakpoints a data access at seg:off hits (x86i_debug.c). */
void x86i_debug_data(struct x86i_cpu *c, int seg, uint32_t off, unsigned size, int wr);
void x86i_op_arpl(struct x86i_cpu *c, struct insn *i);
void x86i_op_loadall(struct x86i_cpu *c, struct insn *i);
uint16_t x86i_msw(struct x86i_cpu *c);
void x86i_esc(struct x86i_cpu *c, struct insn *i);
/* The x87 clock column (enum x87_timing_model) for a coprocessor (enum
 * x87_model) on a CPU family. */
int x86i_fpu_timing(int fpu_model, enum cpu_family family);
void x86i_wait(struct x86i_cpu *c, struct insn *i);
/* VME/PVI (x86i_vme.c). */
int x86i_vif_mode(struct x86i_cpu *c);
void x86i_vif_cli_sti(struct x86i_cpu *c, int sti);
uint16_t x86i_vif_flags_image(struct x86i_cpu *c);
void x86i_vif_load_flags(struct x86i_cpu *c, uint16_t v);
int x86i_vme_int(struct x86i_cpu *c, uint8_t vec);
/* I/O privilege: faults unless CPL <= IOPL (protected mode). */
void x86i_io_check(struct x86i_cpu *c, uint16_t port, unsigned size);

void x86i_timing_init(struct x86i_timing *t, uint32_t feat);
/* 8086/8088: replaces the clocks charged since t0 for instruction i (begun
 * in code segment cs0) by the bus interface model's count. */
void x86i_biu_charge(struct x86i_cpu *c, const struct insn *i, uint64_t t0, uint16_t cs0);
static inline void x86i_biu_start(struct x86i_cpu *c)
{
	x86i_biu_begin(c->biu, (uint16_t)c->s->gpr[X86_RAX], (uint16_t)c->s->gpr[X86_RCX],
		       (uint16_t)c->s->gpr[X86_RDX], (uint16_t)c->s->rflags);
}

#endif

/* Protected-mode internals shared by the segmentation, exception, task and
 * far-transfer files of the interpreter. */
#ifndef TANDEM_CPU_X86I_PROT_H
#define TANDEM_CPU_X86I_PROT_H

#include <stdint.h>

struct x86i_cpu;
struct x86_seg;

/* Exception vectors. */
enum {
	X86I_DE = 0, X86I_DB = 1, X86I_NMI = 2, X86I_BP = 3, X86I_OF = 4, X86I_BR = 5,
	X86I_UD = 6, X86I_NM = 7, X86I_DF = 8, X86I_TS = 10, X86I_NP = 11,
	X86I_SS = 12, X86I_GP = 13, X86I_PF = 14, X86I_MF = 16,
};

/* How an event entered the CPU: decides the gate DPL check (software
 * INT n, INT3, INTO only) and the EXT bit of error codes. */
enum x86i_event { X86I_EV_EXC, X86I_EV_SOFT, X86I_EV_EXT };

/* System descriptor types (S = 0). */
enum {
	DT_TSS16 = 1, DT_LDT = 2, DT_TSS16_BUSY = 3, DT_CALL16 = 4, DT_TASK = 5,
	DT_INT16 = 6, DT_TRAP16 = 7, DT_TSS32 = 9, DT_TSS32_BUSY = 11,
	DT_CALL32 = 12, DT_INT32 = 14, DT_TRAP32 = 15,
};

/* A raw descriptor and where it came from. */
struct x86i_desc {
	uint32_t lo, hi;
	uint32_t addr;		/* linear address of the descriptor */
};

static inline unsigned desc_type(const struct x86i_desc *d) { return (d->hi >> 8) & 0x1f; }
static inline unsigned desc_dpl(const struct x86i_desc *d) { return (d->hi >> 13) & 3; }
static inline int desc_present(const struct x86i_desc *d) { return (d->hi >> 15) & 1; }

/* 0, or -1 when the selector lies outside its table (caller faults). */
int x86i_desc_read(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d);
uint32_t x86i_desc_base(const struct x86i_desc *d);
uint32_t x86i_desc_limit(const struct x86i_desc *d);
uint16_t x86i_desc_attr(const struct x86i_desc *d);
void x86i_desc_to_seg(const struct x86i_desc *d, uint16_t sel, struct x86_seg *sg);
void x86i_desc_touch(struct x86i_cpu *c, struct x86i_desc *d);
void x86i_load_cs(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d, unsigned cpl);
void x86i_seg_range(const struct x86_seg *sg, uint32_t *lo, uint32_t *hi);
void x86i_seg_outer_clear(struct x86i_cpu *c);
void x86i_check_code(struct x86i_cpu *c, uint16_t sel, const struct x86i_desc *d);

/* A stack being built before it becomes SS:SP (inner-level calls and
 * interrupts): pushes check the limit and fault with #SS(err). */
struct x86i_stack {
	struct x86_seg seg;
	uint32_t sp;
	int err;
};
void x86i_stack_push(struct x86i_cpu *c, struct x86i_stack *k, uint32_t v, unsigned sz);
/* Reads the inner stack pointer for privilege level pl from the TSS. */
void x86i_tss_stack(struct x86i_cpu *c, unsigned pl, uint16_t *ss, uint32_t *sp);
/* Loads SS from a TSS/gate-chosen selector for level pl with the #TS
 * checks, into k. */
void x86i_stack_load(struct x86i_cpu *c, uint16_t sel, unsigned pl, struct x86i_stack *k,
		     int vec);

/* Delivers an interrupt or exception (real mode IVT or protected mode
 * IDT); err < 0: no error code. */
void x86i_deliver(struct x86i_cpu *c, int vec, int err, enum x86i_event kind);
/* Called by the step loop after x86i_raise unwound: delivers the pending
 * exception, escalating to #DF and shutdown. */
void x86i_exception_landed(struct x86i_cpu *c);

/* Task switch reasons. */
enum x86i_ts_reason { TS_JMP, TS_CALL, TS_IRET, TS_INT };
void x86i_task_switch(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d,
		      enum x86i_ts_reason why);

/* Far transfers in protected mode (x86i_far.c). */
/* osz: operand size of the instruction (2 or 4). */
void x86i_far_jmp(struct x86i_cpu *c, uint16_t sel, uint32_t off, unsigned osz);
void x86i_far_call(struct x86i_cpu *c, uint16_t sel, uint32_t off, unsigned osz);
void x86i_far_ret(struct x86i_cpu *c, uint16_t pop_bytes, unsigned osz);
/* IRET in protected mode (also from and back to virtual-8086 mode). */
void x86i_iret_pm(struct x86i_cpu *c, unsigned osz);

/* FLAGS writes: mask of bits POPF/IRET may change at the current
 * privilege and mode. */
uint32_t x86i_flags_writable(struct x86i_cpu *c, int iret);

#endif

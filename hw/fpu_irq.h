/* The AT's coprocessor error logic: the FPU's FERR# output is latched onto
 * IRQ13 (slave PIC input 5) and a write to port F0h clears the latch (and
 * asserts IGNNE# on real boards), so DOS-era handlers ending in OUT F0h,AL
 * see one interrupt per error.  F1h (reset the 80287) clears it as well.
 * The PC/XT wires the 8087's INT output to the 8088's NMI instead, gated
 * by the NMI mask register (port A0h, bit 7 set = NMI enabled; the BIOS
 * clears it at POST).  Also the one place deciding which coprocessor a
 * machine has. */
#ifndef TANDEM_HW_FPU_IRQ_H
#define TANDEM_HW_FPU_IRQ_H

#include "hw/device.h"

struct ioport_bus;
struct irq_line;
struct machine;
struct fpu_irq;
struct x86_state;

#define FPU_IRQ_PORT 0xf0	/* F0h clear busy/IRQ13, F1h reset */
#define FPU_NMI_MASK_PORT 0xa0	/* XT: NMI mask register */

/* NULL when the ports are taken or memory is short. */
struct fpu_irq *fpu_irq_new(struct ioport_bus *io, struct irq_line *irq13);
/* The XT's variant: registers the NMI mask port; an error sets
 * cpu->nmi_pending while A0h bit 7 is set.  NULL as fpu_irq_new. */
struct fpu_irq *fpu_irq_new_xt(struct ioport_bus *io, struct x86_state *cpu);
/* FERR# went active (an unmasked exception became pending): raise IRQ13
 * until the next write to F0h/F1h; on the XT an NMI if A0h enables it.
 * d may be NULL (no coprocessor, unit rigs). */
void fpu_irq_ferr(struct fpu_irq *d);
/* FERR# went inactive (FNCLEX, FNINIT, ...).  Only the XT cares: its NMI
 * mask opened later gives no NMI then.  The AT's latch stays set. */
void fpu_irq_ferr_low(struct fpu_irq *d);

/* The coprocessor of m as an enum x87_model (cpu/x87/x87.h): --fpu if
 * given (m->cfg->fpu), else the model's built-in FPU (CPUF_FPU) or none. */
int fpu_irq_model(const struct machine *m);

extern const struct device_desc fpu_irq_desc;

#endif

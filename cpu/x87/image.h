/* Internal to cpu/x87: FSTENV/FLDENV/FNSAVE/FRSTOR memory images. */
#ifndef TANDEM_CPU_X87_IMAGE_H
#define TANDEM_CPU_X87_IMAGE_H

#include "cpu/x87/x87.h"

/* Environment image (14 or 28 bytes per ctx->op32, real or protected
 * layout per ctx->pmode). */
void x87_env_store(const struct x87 *f, const struct x87_ctx *ctx, uint8_t *out);
void x87_env_load(struct x87 *f, const struct x87_ctx *ctx, const uint8_t *in);
/* Environment followed by ST(0)..ST(7), 10 bytes each. */
void x87_state_store(const struct x87 *f, const struct x87_ctx *ctx, uint8_t *out);
void x87_state_load(struct x87 *f, const struct x87_ctx *ctx, const uint8_t *in);

#endif

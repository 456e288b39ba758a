/* Engine selection.  Engines are tried best first; "auto" says out loud
 * which one runs and why the better ones did not. */
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

#include "accel/accel.h"

static const struct accel_ops *const engines[] = {
	&accel_interp_ops,
};

const struct accel_ops *accel_select(const char *name, struct machine *m,
				     struct vcpu **out, const char **why)
{
	static char reason[256];
	bool want_auto = !name || strcmp(name, "auto") == 0;

	*out = NULL;
	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++) {
		const struct accel_ops *ops = engines[i];
		if (!want_auto && strcmp(name, ops->name) != 0)
			continue;
		const char *fail = NULL;
		struct vcpu *v = ops->init(m, &fail);
		if (v) {
			*out = v;
			if (want_auto)
				snprintf(reason, sizeof(reason), "accel auto: running the %s engine "
					 "(KVM and tcg-lite engines are not part of this build yet)",
					 ops->name);
			else
				snprintf(reason, sizeof(reason), "accel: running the %s engine",
					 ops->name);
			*why = reason;
			return ops;
		}
		snprintf(reason, sizeof(reason), "the %s engine is not usable: %s", ops->name,
			 fail ? fail : "unknown reason");
		*why = reason;
		if (!want_auto)
			return NULL;
	}
	if (!want_auto) {
		snprintf(reason, sizeof(reason), "unknown engine '%s' (this build has: interp)",
			 name);
		*why = reason;
	}
	return NULL;
}

/* Save states: the whole machine (CPU, RAM, virtual time, every device)
 * in one versioned, zlib-compressed file, plus the identity of each disk
 * image so that a state is not resumed against a different disk.
 *
 * Loading is two-phase: savestate_read() parses and validates the whole
 * file into fresh buffers and savestate_check() compares it with the
 * running machine; only then does savestate_apply() touch the machine.
 * Layout and version rules: docs/savestate.md. */
#ifndef TANDEM_UTIL_SAVESTATE_H
#define TANDEM_UTIL_SAVESTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/state.h"

struct machine;
struct snap;
struct savestate;

/* Format version written; files with a newer major version are refused. */
#define SAVESTATE_VERSION 1

/* Writes the machine with CPU state cpu (the engine's get_state) to path,
 * atomically (a temporary file renamed over it).  0 or -1 with err set. */
int savestate_save(struct machine *m, const struct x86_state *cpu, const char *path,
		   char *err, size_t errlen);
/* The same into a memory buffer (the uncompressed payload, for rollback
 * and tests). */
int savestate_save_mem(struct machine *m, const struct x86_state *cpu, struct snap *out,
		       char *err, size_t errlen);

/* Reads and validates a file / a payload.  NULL with err set when the
 * file is missing, truncated, corrupt, foreign or from a newer tandem. */
struct savestate *savestate_read(const char *path, char *err, size_t errlen);
struct savestate *savestate_parse(const uint8_t *payload, size_t len, char *err,
				  size_t errlen);
/* Encodes a payload as a file image (header + zlib) and back. */
int savestate_pack(const uint8_t *payload, size_t len, uint8_t **out, size_t *outlen);
int savestate_unpack(const uint8_t *file, size_t len, uint8_t **payload, size_t *plen,
		     char *err, size_t errlen);
void savestate_free(struct savestate *st);

/* Does st fit machine m (board, CPU model, RAM size, device list) and are
 * its disk images unchanged?  force accepts changed images (warning). */
int savestate_check(struct machine *m, const struct savestate *st, bool force,
		    char *err, size_t errlen);
/* Commits st: RAM, the CPU through set_cpu (the engine's set_state),
 * virtual time, then every device.  -1 only if a device refused its
 * record, which leaves the machine inconsistent: restore a state saved
 * with savestate_save_mem() just before, or stop. */
int savestate_apply(struct machine *m, const struct savestate *st,
		    void (*set_cpu)(void *opaque, const struct x86_state *s), void *opaque,
		    char *err, size_t errlen);

/* savestate_apply() into a running machine whose CPU state is cur: a
 * device that refuses its record puts the machine back as it was (-1, err
 * says why); -2 if even that failed (stop the machine). */
int savestate_apply_running(struct machine *m, const struct savestate *st,
			    const struct x86_state *cur,
			    void (*set_cpu)(void *opaque, const struct x86_state *s), void *opaque,
			    char *err, size_t errlen);

/* Field-by-field CPU state encoding (exposed for the unit test). */
void savestate_put_cpu(struct snap *s, const struct x86_state *c);
int savestate_get_cpu(struct snap *s, struct x86_state *c);

#endif

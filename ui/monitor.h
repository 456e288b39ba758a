/* The monitor (--monitor): a console of line commands for a running
 * machine, over stdin/stdout, a unix socket or a loopback TCP port.  One
 * client at a time; replies are plain text lines, an error is one line
 * starting "error: ", and a prompt "(tandem) " follows each reply
 * (docs/monitor.md lists the commands).
 *
 * No threads: the run loop calls monitor_poll between engine slices (every
 * 10 ms of wall time while the guest runs, blocking up to timeout_ms while
 * it is stopped), so an idle monitor costs one poll(2) per 10 ms.  Commands
 * that need the engines (hand-off, state, registers) go back to the run
 * loop through struct monitor_host; run control (stop, cont, step) is state
 * the run loop reads here.
 */
#ifndef TANDEM_UI_MONITOR_H
#define TANDEM_UI_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct monitor;
struct x86_state;

/* What the run loop (main.c) does for the monitor.  Functions that can fail
 * return 0, or -1 with one line in err. */
struct monitor_host {
	void *opaque;
	/* The engine running the guest now ("interp", "tcg-lite", "kvm"). */
	const char *(*engine)(void *opaque);
	/* One line about the engines: partner, hand-offs so far. */
	void (*engine_info)(void *opaque, char *buf, size_t len);
	/* CPU cpu's state, current (engines that keep it elsewhere sync it);
	 * cpu 0 is the boot CPU, 1..ncpus-1 the --smp APs. */
	void (*get_state)(void *opaque, int cpu, struct x86_state *out);
	/* Whether AP cpu still waits for a start-up IPI (NULL: one CPU). */
	bool (*cpu_waiting)(void *opaque, int cpu);
	int (*handoff)(void *opaque, const char *engine, char *err, size_t len);
	int (*save_state)(void *opaque, const char *path, char *err, size_t len);
	int (*load_state)(void *opaque, const char *path, char *err, size_t len);
};

/* Opens spec (stdio, unix:PATH, tcp:HOST:PORT) and starts listening; the
 * guest starts stopped when paused.  NULL with a reason in err. */
struct monitor *monitor_new(const char *spec, struct machine *m,
			    const struct monitor_host *host, bool paused, char *err,
			    size_t errlen);
/* Accepts a client, reads and runs its complete command lines.  Waits up to
 * timeout_ms for something to do (0: just looks). */
void monitor_poll(struct monitor *mon, int timeout_ms);
/* Whether the guest must not run now (stop, --start-paused, a step done). */
bool monitor_paused(const struct monitor *mon);
/* The instruction count a step stops at, or 0 when no step is running:
 * the run loop ends its slices there exactly. */
uint64_t monitor_step_target(const struct monitor *mon);
/* After each slice: finishes a step that reached its count (replies and
 * stops the guest). */
void monitor_ran(struct monitor *mon);
/* Says to the client why the machine stopped (a step still running is
 * answered with it), closes everything and frees mon. */
void monitor_free(struct monitor *mon, const char *why);

#endif

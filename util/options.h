/* Command-line options: one table (util/options.c) feeds the parser,
 * --help and the README's option list. */
#ifndef TANDEM_UTIL_OPTIONS_H
#define TANDEM_UTIL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/trace_filter.h"

struct tandem_options {
	const char *machine;		/* "xt" | "at" */
	const char *cpu;		/* NULL: the machine's default */
	uint64_t ram_bytes;		/* 0: the machine's default */
	const char *bios;
	const char *fda, *fdb, *hda, *hdb;
	const char *cdrom;		/* ISO image, secondary master */
	const char *fw_cfg[8];		/* --fw-cfg NAME=FILE strings */
	int nfw_cfg;
	char boot;			/* 'a', 'c', 'd' or 0 (floppy, then disk) */
	const char *accel;
	bool headless;
	const char *serial;
	const char *debugcon;
	const char *post_log;
	int exit_port;			/* -1 disables */
	double timeout;			/* seconds of wall time; 0 = none */
	uint64_t max_insns;		/* 0 = unlimited */
	const char *screenshot;
	const char *trace;
	struct trace_filter trace_filter;	/* --trace-filter (none: all zero) */
	int64_t rtc_base;		/* -1: host clock */
	const char *speed;		/* "realtime" | "max" | NULL (auto) */
	const char *keys;		/* --keys script (ui/keys.h) or NULL */
	const char *audio_capture;	/* WAV file for the speaker or NULL */
	const char *sound;		/* --sound model or NULL (machine default) */
	int sb_base, sb_irq, sb_dma, sb_hdma;
	const char *midi_capture;	/* --midi-capture FILE.mid */
	double mhz;			/* --mhz: 0 = the model's clock */
	long smp;			/* --smp: CPUs (1-8) */
	int64_t cycles;			/* --cycles: N > 0, -1 max, -2 auto, 0 unset */
	bool quiet;
	int verbose;
	const char *nic[8];		/* --nic strings, checked by net_nic_parse */
	int nnics;
	const char *net_dump;		/* --net-dump FILE.pcap */
	const char *virtio_blk[4];	/* --virtio-blk images */
	int nvirtio_blk;
	const char *virtio_console;	/* --virtio-console stdio|file:PATH */
	const char *virtio_transport;	/* "pci" | "mmio" | NULL (mmio with --kernel) */
	uint64_t handoff_insns;		/* --handoff-after-insns: 0 = never */
	bool handoff_at_set;		/* --handoff-at given */
	uint32_t handoff_at;		/* its linear address */
	const char *handoff_to;		/* --handoff-to engine or NULL (the rule) */
	const char *monitor;		/* --monitor spec (ui/monitor.h) or NULL */
	bool start_paused;		/* --start-paused */
	const char *kernel;		/* --kernel bzImage: direct Linux boot */
	const char *initrd;
	const char *append;
	const char *save_state;		/* --save-state FILE (util/savestate.h) */
	const char *load_state;
	bool force_load_state;
	const char *serial_mouse;	/* "com1" | "com2" | NULL */
	const char *joystick;		/* --joystick spec (hw/gameport.h) */
	const char *fpu;		/* --fpu none|8087|287|387 or NULL */
};

enum options_result { OPTIONS_OK = 0, OPTIONS_EXIT = 1, OPTIONS_ERROR = -1 };

/* Parses argv into o (defaults first).  OPTIONS_EXIT after printing --help
 * or --version to stdout; OPTIONS_ERROR with a one-line message in err. */
enum options_result options_parse(int argc, char **argv, struct tandem_options *o,
				  char *err, size_t errlen);
void options_print_help(void);

/* Layered configuration (util/config.h reads the files): sets the option
 * whose INI key is key in section from a file's layer (a higher layer wins
 * over a lower one).  0, or -1 with a message in err. */
int options_set_ini(struct tandem_options *o, const char *section, const char *key,
		    const char *value, int layer, const char *origin, char *err, size_t errlen);
/* The first option that is not an action (--help...) yet has no INI key
 * (a table row without a section), or NULL: for the unit test. */
const char *options_key_missing(void);
/* --print-config: every key with its value and where it came from, as INI. */
void options_print_config(FILE *f);

/* "640K", "16M", "1G", "1048576" -> bytes; -1 when malformed. */
int64_t options_parse_size(const char *s);
/* Parses a port number in decimal or 0x hex; -1 when out of range. */
int options_parse_port(const char *s);
/* A guest address: hex linear ("7c00", "0x7c00") or real-mode SEG:OFF
 * ("0:7c10", hex, each at most FFFF) -> *out; -1 when malformed. */
int options_parse_addr(const char *s, uint32_t *out);

#endif

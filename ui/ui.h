/* Frontends: what the main loop calls to show the machine's screen and to
 * feed it the user's keys.
 *
 * A ui is an SDL2 window (when tandem was built with SDL and a display is
 * there) or headless: the text screen is drawn live on stdout when that is
 * a terminal, and otherwise printed once by ui_final.  The machine never
 * calls into here: the ui reads the VGA's text snapshot and pushes
 * scancodes into the keyboard controller.
 */
#ifndef TANDEM_UI_UI_H
#define TANDEM_UI_UI_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct ui;

/* All-zero is the usual headless behaviour: live on a terminal, the final
 * screen printed at exit otherwise. */
struct ui_config {
	bool headless;		/* never open a window */
	/* Headless: never draw the screen live on stdout, even when it is a
	 * terminal.  (Live drawing is also off by itself when the machine
	 * sends its serial port or debug console to stdio.) */
	bool no_live_text;
	/* Headless: do not print the final text screen at exit. */
	bool no_final_text;
	int scale;		/* window scale 1-8; 0: the largest up to 4 that fits */
	const char *keys;	/* --keys script typed into the keyboard, or NULL */
	const char *audio_capture;	/* WAV file for the speaker's sound, or NULL */
};

/* Creates the frontend for m.  Falls back from SDL to headless when there
 * is no display (or no SDL in this build) and then sets *why to a one-line
 * reason for the caller to print (NULL when nothing needs saying).  NULL
 * only on out of memory. */
struct ui *ui_new(struct machine *m, const struct ui_config *cfg, const char **why);

/* Why a configuration item (keys script, audio capture file) failed, or
 * NULL: the caller reports it and should not run the machine. */
const char *ui_error(const struct ui *u);

/* Whether u shows a window (false: headless). */
bool ui_has_window(const struct ui *u);

/* Handles pending window and keyboard events; call it about 100 times a
 * second of wall time.  Returns 1 when the user asked to quit (closed the
 * window), else 0. */
int ui_poll(struct ui *u);

/* Redraws when the screen changed or a blink phase turned, at most 60 times
 * a second (cheap to call more often). */
void ui_refresh(struct ui *u);

/* At exit: headless prints the final text screen to stdout once (plain
 * UTF-8 lines, trailing blanks trimmed) unless it was drawn live. */
void ui_final(struct ui *u);

void ui_free(struct ui *u);

/* What the user asked of the main loop by hot key since the last call
 * (Ctrl+Alt+F5 save state, Ctrl+Alt+F9 load state); u may be NULL. */
enum { UI_REQ_NONE = 0, UI_REQ_SAVE_STATE, UI_REQ_LOAD_STATE };
int ui_take_request(struct ui *u);

/* Renders m's current screen and writes it as a PNG to path.  0, or -errno
 * after printing why. */
int ui_screenshot_png(struct machine *m, const char *path);

/* Text frames (70 Hz) elapsed in m's virtual time: the blink phase, so that
 * screenshots are deterministic. */
uint64_t ui_frame_now(struct machine *m);

#endif

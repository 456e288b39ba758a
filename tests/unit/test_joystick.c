/* SDL joysticks to the game port callbacks: a virtual SDL joystick (no
 * hardware needed) on SDL's dummy video driver, through ui/sdl.c's event
 * loop.  Skipped in builds without SDL. */
#include <check.h>
#include <stdlib.h>

#ifdef HAVE_SDL
#include <SDL2/SDL.h>

#include "ui/sdl.h"

static int axes[4];
static int buttons[4];
static int axis_calls, state_calls;

static void no_key(void *opaque, const uint8_t *codes, int n)
{
	(void)opaque;
	(void)codes;
	(void)n;
}

static void on_axis(void *opaque, int axis, int value)
{
	(void)opaque;
	ck_assert_int_ge(axis, 0);
	ck_assert_int_lt(axis, 4);
	axes[axis] = value;
	axis_calls++;
}

static void on_button(void *opaque, int button, int down)
{
	(void)opaque;
	ck_assert_int_ge(button, 0);
	ck_assert_int_lt(button, 4);
	buttons[button] = down;
}

static void on_state(void *opaque, int load)
{
	(void)opaque;
	(void)load;
	state_calls++;
}

START_TEST(virtual_joystick_drives_the_sticks)
{
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	setenv("SDL_AUDIODRIVER", "dummy", 1);
	/* The dummy window never has focus, and SDL keeps joystick events
	 * from unfocused windows unless told otherwise. */
	setenv("SDL_JOYSTICK_ALLOW_BACKGROUND_EVENTS", "1", 1);
	struct ui_sdl_callbacks cb = { .key = no_key, .joy_axis = on_axis,
				       .joy_button = on_button, .state = on_state };
	char why[256];
	struct ui_sdl *s = ui_sdl_new(320, 200, 320, 200, 1, &cb, why, sizeof(why));
	ck_assert_msg(s != NULL, "%s", why);
	/* A plain (non-controller) joystick: two axes, two buttons. */
	int idx = SDL_JoystickAttachVirtual(SDL_JOYSTICK_TYPE_UNKNOWN, 2, 2, 0);
	ck_assert_int_ge(idx, 0);
	SDL_Joystick *j = SDL_JoystickOpen(idx);
	ck_assert_ptr_nonnull(j);
	ui_sdl_poll(s);		/* the device arrives: stick A */
	ck_assert_int_eq(SDL_JoystickSetVirtualAxis(j, 0, -32768), 0);
	ck_assert_int_eq(SDL_JoystickSetVirtualAxis(j, 1, 12345), 0);
	ck_assert_int_eq(SDL_JoystickSetVirtualButton(j, 1, SDL_PRESSED), 0);
	for (int i = 0; i < 5; i++)
		ui_sdl_poll(s);
	ck_assert_int_gt(axis_calls, 0);
	ck_assert_int_eq(axes[0], -32768);
	ck_assert_int_eq(axes[1], 12345);
	ck_assert_int_eq(buttons[1], 1);
	ck_assert_int_eq(buttons[0], 0);
	/* Stick B's axes are untouched by stick A. */
	ck_assert_int_eq(axes[2], 0);
	ck_assert_int_eq(SDL_JoystickSetVirtualButton(j, 1, SDL_RELEASED), 0);
	for (int i = 0; i < 5; i++)
		ui_sdl_poll(s);
	ck_assert_int_eq(buttons[1], 0);
	ck_assert_int_eq(state_calls, 0);
	SDL_JoystickClose(j);
	SDL_JoystickDetachVirtual(idx);
	for (int i = 0; i < 5; i++)
		ui_sdl_poll(s);

	/* A game controller in its place: its left stick and A/B through
	 * SDL's controller mapping, now as stick A again. */
	idx = SDL_JoystickAttachVirtual(SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, 0);
	ck_assert_int_ge(idx, 0);
	if (SDL_IsGameController(idx)) {
		SDL_GameController *gc = SDL_GameControllerOpen(idx);
		ck_assert_ptr_nonnull(gc);
		j = SDL_GameControllerGetJoystick(gc);
		ui_sdl_poll(s);
		axes[0] = axes[1] = 0;
		SDL_Joystick *vj = SDL_JoystickOpen(idx);
		ck_assert_int_eq(SDL_JoystickSetVirtualAxis(vj, 0, 30000), 0);
		ck_assert_int_eq(SDL_JoystickSetVirtualButton(vj, 0, SDL_PRESSED), 0);
		for (int i = 0; i < 5; i++)
			ui_sdl_poll(s);
		ck_assert_int_eq(axes[0], 30000);
		ck_assert_int_eq(buttons[0], 1);
		SDL_JoystickClose(vj);
		SDL_GameControllerClose(gc);
	}
	SDL_JoystickDetachVirtual(idx);
	ui_sdl_free(s);
}
END_TEST
#endif

Suite *joystick_suite(void)
{
	Suite *s = suite_create("joystick");
	TCase *tc = tcase_create("sdl");
#ifdef HAVE_SDL
	tcase_add_test(tc, virtual_joystick_drives_the_sticks);
#endif
	suite_add_tcase(s, tc);
	return s;
}

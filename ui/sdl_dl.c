/* SDL2 at run time (sdl_dl.h). */
#ifdef HAVE_SDL
#include "ui/sdl_dl.h"

#include <stdio.h>

#include "util/dlib.h"

#define SYM(f) { #f, offsetof(struct sdl_dl, f) }
static const struct dlib_sym syms[] = {
	SYM(SDL_CloseAudioDevice),
	SYM(SDL_CreateRenderer),
	SYM(SDL_CreateTexture),
	SYM(SDL_CreateWindow),
	SYM(SDL_DestroyRenderer),
	SYM(SDL_DestroyTexture),
	SYM(SDL_DestroyWindow),
	SYM(SDL_GameControllerFromInstanceID),
	SYM(SDL_GameControllerGetJoystick),
	SYM(SDL_GameControllerOpen),
	SYM(SDL_GetCurrentVideoDriver),
	SYM(SDL_GetDisplayUsableBounds),
	SYM(SDL_GetError),
	SYM(SDL_GetQueuedAudioSize),
	SYM(SDL_Init),
	SYM(SDL_InitSubSystem),
	SYM(SDL_IsGameController),
	SYM(SDL_JoystickInstanceID),
	SYM(SDL_JoystickOpen),
	SYM(SDL_OpenAudioDevice),
	SYM(SDL_PauseAudioDevice),
	SYM(SDL_PollEvent),
	SYM(SDL_QueueAudio),
	SYM(SDL_Quit),
	SYM(SDL_QuitSubSystem),
	SYM(SDL_RenderClear),
	SYM(SDL_RenderCopy),
	SYM(SDL_RenderPresent),
	SYM(SDL_RenderSetLogicalSize),
	SYM(SDL_SetHint),
	SYM(SDL_SetRelativeMouseMode),
	SYM(SDL_SetRenderDrawColor),
	SYM(SDL_SetWindowFullscreen),
	SYM(SDL_SetWindowSize),
	SYM(SDL_SetWindowTitle),
	SYM(SDL_UpdateTexture),
};
#undef SYM

/* configure names the library tandem was built against (its SONAME). */
static const char *const sonames[] = {
#ifdef SDL2_SONAME
	SDL2_SONAME,
#endif
	"libSDL2-2.0.so.0", NULL,
};

const struct sdl_dl *sdl_dl_get(char *why, size_t why_len)
{
	static struct sdl_dl api;
	static struct dlib lib = {
		.sonames = sonames, .syms = syms, .nsyms = sizeof(syms) / sizeof(syms[0]), .table = &api,
	};

	return dlib_load(&lib, why, why_len) == 0 ? &api : NULL;
}
#endif

/* SDL2, opened when a window is wanted rather than linked: it pulls in some
 * thirty libraries (X11, Wayland, PulseAudio...) whose loading would cost
 * every headless run milliseconds of start-up (util/dlib.h).  Built only with
 * HAVE_SDL (its header gives the types). */
#ifndef TANDEM_UI_SDL_DL_H
#define TANDEM_UI_SDL_DL_H

#include <stddef.h>
#include <SDL.h>

/* The functions ui/sdl.c calls, named as in the library and typed from its
 * header. */
struct sdl_dl {
	__typeof__(SDL_CloseAudioDevice) *SDL_CloseAudioDevice;
	__typeof__(SDL_CreateRenderer) *SDL_CreateRenderer;
	__typeof__(SDL_CreateTexture) *SDL_CreateTexture;
	__typeof__(SDL_CreateWindow) *SDL_CreateWindow;
	__typeof__(SDL_DestroyRenderer) *SDL_DestroyRenderer;
	__typeof__(SDL_DestroyTexture) *SDL_DestroyTexture;
	__typeof__(SDL_DestroyWindow) *SDL_DestroyWindow;
	__typeof__(SDL_GameControllerFromInstanceID) *SDL_GameControllerFromInstanceID;
	__typeof__(SDL_GameControllerGetJoystick) *SDL_GameControllerGetJoystick;
	__typeof__(SDL_GameControllerOpen) *SDL_GameControllerOpen;
	__typeof__(SDL_GetCurrentVideoDriver) *SDL_GetCurrentVideoDriver;
	__typeof__(SDL_GetDisplayUsableBounds) *SDL_GetDisplayUsableBounds;
	__typeof__(SDL_GetError) *SDL_GetError;
	__typeof__(SDL_GetQueuedAudioSize) *SDL_GetQueuedAudioSize;
	__typeof__(SDL_Init) *SDL_Init;
	__typeof__(SDL_InitSubSystem) *SDL_InitSubSystem;
	__typeof__(SDL_IsGameController) *SDL_IsGameController;
	__typeof__(SDL_JoystickInstanceID) *SDL_JoystickInstanceID;
	__typeof__(SDL_JoystickOpen) *SDL_JoystickOpen;
	__typeof__(SDL_OpenAudioDevice) *SDL_OpenAudioDevice;
	__typeof__(SDL_PauseAudioDevice) *SDL_PauseAudioDevice;
	__typeof__(SDL_PollEvent) *SDL_PollEvent;
	__typeof__(SDL_QueueAudio) *SDL_QueueAudio;
	__typeof__(SDL_Quit) *SDL_Quit;
	__typeof__(SDL_QuitSubSystem) *SDL_QuitSubSystem;
	__typeof__(SDL_RenderClear) *SDL_RenderClear;
	__typeof__(SDL_RenderCopy) *SDL_RenderCopy;
	__typeof__(SDL_RenderPresent) *SDL_RenderPresent;
	__typeof__(SDL_RenderSetLogicalSize) *SDL_RenderSetLogicalSize;
	__typeof__(SDL_SetHint) *SDL_SetHint;
	__typeof__(SDL_SetRelativeMouseMode) *SDL_SetRelativeMouseMode;
	__typeof__(SDL_SetRenderDrawColor) *SDL_SetRenderDrawColor;
	__typeof__(SDL_SetWindowFullscreen) *SDL_SetWindowFullscreen;
	__typeof__(SDL_SetWindowSize) *SDL_SetWindowSize;
	__typeof__(SDL_SetWindowTitle) *SDL_SetWindowTitle;
	__typeof__(SDL_UpdateTexture) *SDL_UpdateTexture;
};

/* The library's functions, loaded on the first call (later calls return the
 * same table, or NULL again); NULL with why filled when it cannot load. */
const struct sdl_dl *sdl_dl_get(char *why, size_t why_len);

#endif

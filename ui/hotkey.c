/* Speed hot keys (ui/hotkey.h). */
#include "ui/hotkey.h"

enum ui_hotkey ui_hotkey_match(bool ctrl, bool alt, bool shift, int usage)
{
	if (shift)
		return UI_HOTKEY_NONE;
	if (ctrl && !alt && usage == UI_USAGE_F11)
		return UI_HOTKEY_SLOWER;
	if (ctrl && !alt && usage == UI_USAGE_F12)
		return UI_HOTKEY_FASTER;
	if (alt && !ctrl && usage == UI_USAGE_F12)
		return UI_HOTKEY_TURBO_ON;
	return UI_HOTKEY_NONE;
}

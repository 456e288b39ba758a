// The OPL synthesizer back end for hw/opl.h: libadplug's Nuked OPL3 core,
// whose symbols are C++ (this is the only C++ file in tandem).
#include <cstdlib>
#include <new>

extern "C" {
#include <adplug/nukedopl.h>
}

extern "C" {
#include "hw/opl.h"
}

struct opl_synth {
	opl3_chip chip;
};

extern "C" struct opl_synth *opl_synth_new(void)
{
	opl_synth *s = new (std::nothrow) opl_synth;
	if (s)
		OPL3_Reset(&s->chip, OPL_RATE);
	return s;
}

extern "C" void opl_synth_free(struct opl_synth *s)
{
	delete s;
}

extern "C" void opl_synth_write(struct opl_synth *s, uint16_t reg, uint8_t v)
{
	OPL3_WriteReg(&s->chip, reg, v);
}

extern "C" void opl_synth_generate(struct opl_synth *s, int16_t *lr, uint32_t frames)
{
	// OPL3_Generate runs the chip for one sample at its native rate.
	for (uint32_t i = 0; i < frames; i++)
		OPL3_Generate(&s->chip, lr + 2 * i);
}

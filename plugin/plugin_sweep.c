/*
 * plugin_sweep.c - the grid point a session deadline is served at
 * (plugin_sweep.h).
 */
#include "plugin_sweep.h"

uint64_t plugin_sweep_point(uint64_t deadline, uint64_t now)
{
	uint64_t distance = deadline > now ? deadline - now : 0, step = PLUGIN_SWEEP_STEP_MIN_MS;

	if (!deadline)
		return 0;
	while (step < PLUGIN_SWEEP_STEP_MAX_MS && step * 2 <= distance / PLUGIN_SWEEP_LATENESS_SHARE)
		step *= 2;
	return (deadline + step - 1) / step * step;
}

/*
 * plugin_sweep.h - when the adapter's one sweep timer ticks a connection's
 * session for its deadline (keep-alive, init timeout). lws's poll loop pays
 * a poll() over every descriptor for each wake (a millisecond and more at
 * 10,000 connections), so deadlines are served on a grid whose points many
 * connections share, a little late and never early. No lws here.
 */
#ifndef GQLWS_PLUGIN_SWEEP_H
#define GQLWS_PLUGIN_SWEEP_H

#include <stdint.h>

/* Grid steps are powers of two ms from MIN to MAX: about 1/LATENESS_SHARE
 * of how far the deadline is. A coarse step's points are points of every
 * finer step, so deadlines of different distances meet too. */
#define PLUGIN_SWEEP_STEP_MIN_MS 16u
#define PLUGIN_SWEEP_STEP_MAX_MS 1024u
#define PLUGIN_SWEEP_LATENESS_SHARE 16u

/* The first grid point at or after deadline (ms, the caller's clock), for
 * a deadline set at now: late by less than one step, and the step is the
 * largest power of two within (deadline - now) / PLUGIN_SWEEP_LATENESS_SHARE,
 * kept between PLUGIN_SWEEP_STEP_MIN_MS and PLUGIN_SWEEP_STEP_MAX_MS.
 * deadline 0 (none) gives 0. */
uint64_t plugin_sweep_point(uint64_t deadline, uint64_t now);

#endif

/*
 * latency.h - a fixed-size latency histogram (10 us steps up to 100 ms, 1 ms
 * steps up to 60 s) so that recording a sample costs one increment and the
 * load generator never allocates per message.
 */
#ifndef GQLWS_BENCH_LATENCY_H
#define GQLWS_BENCH_LATENCY_H

#include <stdint.h>

#define LAT_FINE_BUCKETS 10000   /* 10 us each: [0, 100 ms) */
#define LAT_COARSE_BUCKETS 59900 /* 1 ms each: [100 ms, 60 s) */

struct latency {
	uint64_t count;
	double max_ms;
	uint32_t fine[LAT_FINE_BUCKETS];
	uint32_t coarse[LAT_COARSE_BUCKETS + 1]; /* the last one: 60 s and more */
};

void latency_reset(struct latency *h);
void latency_add(struct latency *h, double ms);
/* The q-quantile (0 < q <= 1) in milliseconds; 0 with no samples. */
double latency_quantile(const struct latency *h, double q);

#endif

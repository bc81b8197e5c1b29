/*
 * latency.c - recording and reading the latency histogram. A quantile is
 * reported as the middle of its bucket, so p50 and p99 are exact to 5 us below
 * 100 ms.
 */
#include "latency.h"

#include <string.h>

void latency_reset(struct latency *h)
{
	memset(h, 0, sizeof(*h));
}

void latency_add(struct latency *h, double ms)
{
	if (ms < 0)
		ms = 0; /* the server's clock is ours: only rounding gets here */
	h->count++;
	if (ms > h->max_ms)
		h->max_ms = ms;
	if (ms < 100.0) {
		h->fine[(unsigned)(ms * 100.0)]++;
	} else {
		double c = ms - 100.0;

		if (c >= LAT_COARSE_BUCKETS)
			h->coarse[LAT_COARSE_BUCKETS]++;
		else
			h->coarse[(unsigned)c]++;
	}
}

double latency_quantile(const struct latency *h, double q)
{
	uint64_t rank, seen = 0;

	if (!h->count)
		return 0;
	rank = (uint64_t)(q * (double)h->count);
	if (rank == 0)
		rank = 1;
	for (unsigned i = 0; i < LAT_FINE_BUCKETS; i++) {
		seen += h->fine[i];
		if (seen >= rank)
			return (i + 0.5) / 100.0;
	}
	for (unsigned i = 0; i < LAT_COARSE_BUCKETS; i++) {
		seen += h->coarse[i];
		if (seen >= rank)
			return 100.0 + i + 0.5;
	}
	return h->max_ms;
}

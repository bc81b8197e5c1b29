/*
 * proc_stat.h - another process's CPU time and resident memory, read from
 * /proc the same way for every server whatever its language.
 */
#ifndef GQLWS_BENCH_PROC_STAT_H
#define GQLWS_BENCH_PROC_STAT_H

#include <stdbool.h>
#include <sys/types.h>

struct proc_sample {
	double cpu_s;   /* user + system */
	double user_s;
	double sys_s;
	long rss_kib;
};

/* Fills *out for pid; false if the process is gone or /proc is unreadable. */
bool proc_sample_read(pid_t pid, struct proc_sample *out);

/* Whole-machine CPU time from /proc/stat, in clock ticks summed over cores. */
struct machine_sample {
	unsigned long long busy;
	unsigned long long total;
};

bool machine_sample_read(struct machine_sample *out);

/* Our own CPU time (user + system) in seconds. */
double self_cpu_s(void);

#endif

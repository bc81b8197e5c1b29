/*
 * proc_stat.c - /proc/<pid>/stat (utime, stime in clock ticks) and
 * /proc/<pid>/statm (resident pages).
 */
#define _GNU_SOURCE
#include "proc_stat.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static bool read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n > 0;
}

bool proc_sample_read(pid_t pid, struct proc_sample *out)
{
	char path[64], buf[1024];
	unsigned long utime, stime;
	long pages_total, pages_resident;
	const char *p;
	double tick = (double)sysconf(_SC_CLK_TCK);

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!read_file(path, buf, sizeof(buf)))
		return false;
	/* The command name may hold spaces and parentheses: fields restart
	 * after the last ')'. utime and stime are fields 14 and 15. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &utime, &stime) != 2)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	if (!read_file(path, buf, sizeof(buf)) ||
	    sscanf(buf, "%ld %ld", &pages_total, &pages_resident) != 2)
		return false;
	out->user_s = (double)utime / tick;
	out->sys_s = (double)stime / tick;
	out->cpu_s = out->user_s + out->sys_s;
	out->rss_kib = pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
	return true;
}

bool machine_sample_read(struct machine_sample *out)
{
	char buf[512];
	unsigned long long v[8] = { 0 };

	if (!read_file("/proc/stat", buf, sizeof(buf)) ||
	    sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]) < 5)
		return false;
	/* user nice system idle iowait irq softirq steal: idle and iowait are
	 * the only time no one could use. */
	out->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
	out->busy = out->total - v[3] - v[4];
	return true;
}

double self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

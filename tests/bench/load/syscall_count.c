/*
 * syscall_count.c - see syscall_count.h.
 */
#define _GNU_SOURCE
#include "syscall_count.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Which group of struct syscall_counts a call belongs to (total aside). */
static void count_call(struct syscall_counts *out, const char *name, uint64_t n)
{
	static const char *const sends[] = { "sendto", "sendmsg", "write", "writev", NULL };
	static const char *const recvs[] = { "recvfrom", "recvmsg", "read", "readv", NULL };
	static const char *const waits[] = { "epoll_wait", "epoll_pwait", "poll", "ppoll", NULL };

	if (!strcmp(name, "epoll_ctl"))
		out->epoll_ctl += n;
	for (size_t i = 0; sends[i]; i++)
		if (!strcmp(name, sends[i]))
			out->send += n;
	for (size_t i = 0; recvs[i]; i++)
		if (!strcmp(name, recvs[i]))
			out->recv += n;
	for (size_t i = 0; waits[i]; i++)
		if (!strcmp(name, waits[i]))
			out->wait += n;
}

/* The tracepoints perf counts: every syscall entry, and the ones named. */
#define PERF_EVENTS                                                                        \
	"raw_syscalls:sys_enter,"                                                          \
	"syscalls:sys_enter_epoll_ctl,"                                                    \
	"syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg,"                            \
	"syscalls:sys_enter_write,syscalls:sys_enter_writev,"                              \
	"syscalls:sys_enter_recvfrom,syscalls:sys_enter_recvmsg,"                          \
	"syscalls:sys_enter_read,syscalls:sys_enter_readv,"                                \
	"syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,"                    \
	"syscalls:sys_enter_poll,syscalls:sys_enter_ppoll"

bool syscall_counter_start(struct syscall_counter *sc, const char *tool, pid_t pid)
{
	char pid_text[16];
	int fd;

	memset(sc, 0, sizeof(*sc));
	sc->strace = !strcmp(tool, "strace");
	if (!sc->strace && strcmp(tool, "perf"))
		return false;
	snprintf(sc->out_path, sizeof(sc->out_path), "/tmp/gqlws-syscalls-XXXXXX");
	fd = mkstemp(sc->out_path);
	if (fd < 0)
		return false;
	close(fd);
	snprintf(pid_text, sizeof(pid_text), "%d", (int)pid);
	sc->child = fork();
	if (sc->child < 0) {
		unlink(sc->out_path);
		return false;
	}
	if (sc->child == 0) {
		int devnull = open("/dev/null", O_RDWR);

		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		if (sc->strace)
			execlp("strace", "strace", "-c", "-f", "-q", "-o", sc->out_path, "-p", pid_text,
			       (char *)NULL);
		else
			execlp("perf", "perf", "stat", "-x", ",", "-e", PERF_EVENTS, "-o", sc->out_path,
			       "-p", pid_text, (char *)NULL);
		_exit(127);
	}
	/* Let the tool attach before the window starts counting messages. */
	nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
	return true;
}

/* perf stat -x ,: "count,unit,event,..." per line, "#" comments. */
static bool parse_perf(FILE *f, struct syscall_counts *out)
{
	char line[512];
	bool any = false;

	while (fgets(line, sizeof(line), f)) {
		char *count = line, *unit, *event, *end;
		const char *name;
		unsigned long long n;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		unit = strchr(count, ',');
		if (!unit)
			continue;
		*unit++ = '\0';
		event = strchr(unit, ',');
		if (!event)
			continue;
		event++;
		end = strchr(event, ',');
		if (end)
			*end = '\0';
		n = strtoull(count, &end, 10);
		if (end == count)
			continue; /* <not counted>, <not supported> */
		any = true;
		if (!strcmp(event, "raw_syscalls:sys_enter")) {
			out->total += n;
			continue;
		}
		name = strstr(event, "sys_enter_");
		if (name)
			count_call(out, name + strlen("sys_enter_"), n);
	}
	return any;
}

/* strace -c: "% time seconds usecs/call calls [errors] syscall" rows, then
 * a "total" row; the calls are the fourth column either way. */
static bool parse_strace(FILE *f, struct syscall_counts *out)
{
	char line[512];
	bool any = false;

	while (fgets(line, sizeof(line), f)) {
		char *tok[8], *save = NULL, *p;
		unsigned k = 0;

		for (p = strtok_r(line, " \t\n", &save); p && k < 8; p = strtok_r(NULL, " \t\n", &save))
			tok[k++] = p;
		if (k < 5 || !strchr(tok[0], '.'))
			continue; /* headers, rules */
		if (!strcmp(tok[k - 1], "total")) {
			out->total = strtoull(tok[3], NULL, 10);
			any = true;
		} else {
			count_call(out, tok[k - 1], strtoull(tok[3], NULL, 10));
		}
	}
	return any;
}

bool syscall_counter_stop(struct syscall_counter *sc, struct syscall_counts *out)
{
	FILE *f;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (sc->child <= 0)
		return false;
	/* Both tools print their counts and detach on SIGINT. */
	kill(sc->child, SIGINT);
	waitpid(sc->child, NULL, 0);
	sc->child = 0;
	f = fopen(sc->out_path, "r");
	if (!f) {
		unlink(sc->out_path);
		return false;
	}
	ok = sc->strace ? parse_strace(f, out) : parse_perf(f, out);
	fclose(f);
	unlink(sc->out_path);
	return ok;
}

/*
 * syscall_count.h - counts another process's system calls over a window, with
 * `perf stat` (syscall tracepoints: cheap, the process runs as usual) or
 * `strace -c -f` (ptrace: slows the process, but needs no tracepoints), for
 * the benchmark's syscalls per delivered message.
 */
#ifndef GQLWS_BENCH_SYSCALL_COUNT_H
#define GQLWS_BENCH_SYSCALL_COUNT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct syscall_counts {
	uint64_t total;     /* every system call */
	uint64_t epoll_ctl;
	uint64_t send;      /* sendto, sendmsg, write, writev */
	uint64_t recv;      /* recvfrom, recvmsg, read, readv */
	uint64_t wait;      /* epoll_wait, epoll_pwait, poll, ppoll */
};

struct syscall_counter {
	pid_t child;        /* perf or strace, attached to the process */
	char out_path[64];  /* where it writes its counts */
	bool strace;
};

/* Attaches tool ("perf" or "strace") to pid. False if it could not start. */
bool syscall_counter_start(struct syscall_counter *sc, const char *tool, pid_t pid);

/* Detaches the tool and reads what it counted since the start. False if it
 * counted nothing readable. */
bool syscall_counter_stop(struct syscall_counter *sc, struct syscall_counts *out);

#endif

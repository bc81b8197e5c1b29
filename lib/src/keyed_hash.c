/*
 * keyed_hash.c - keys for the keyed tables (keyed_hash.h).
 */
#include <stdint.h>
#include <string.h>
#ifdef __linux__
#include <sys/auxv.h>
#endif

#include "keyed_hash.h"

/* Tables keyed so far: no two tables of a process share a key. */
static _Atomic uint64_t tables_keyed;

void keyed_hash_seed(uint64_t key[2], const void *owner)
{
	/* The secret: 16 bytes the kernel drew for this process at exec (the
	 * same source glibc seeds its stack guard from), or, elsewhere, fixed
	 * bytes, leaving the addresses below (randomised by ASLR) as the only
	 * secret. Mixed with the owner's address and a counter, it gives each
	 * table a key of its own without a system call. */
	uint64_t secret[2] = {0x243f6a8885a308d3ull, 0x13198a2e03707344ull};
	uint64_t material[4];
#ifdef __linux__
	const void *kernel_random = (const void *)getauxval(AT_RANDOM);

	if (kernel_random)
		memcpy(secret, kernel_random, sizeof(secret));
#endif
	material[0] = (uint64_t)(uintptr_t)owner;
	material[1] = (uint64_t)(uintptr_t)&tables_keyed; /* where the library is */
	material[2] = (uint64_t)(uintptr_t)material;       /* where the stack is */
	material[3] = tables_keyed++;
	key[0] = keyed_hash_siphash13(secret[0], secret[1], material, sizeof(material));
	key[1] = keyed_hash_siphash13(secret[1], secret[0], material, sizeof(material));
}

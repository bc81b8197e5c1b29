/*
 * keyed_hash.h - SipHash-1-3 under a key of the table's own, for tables
 * whose keys a peer chooses (operation ids, topic names): without the key a
 * peer cannot pick keys that share a chain. Shared by op_map.c and the
 * hub's tables (lib/hub).
 */
#ifndef GQLWS_KEYED_HASH_H
#define GQLWS_KEYED_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* SipHash-1-3 (one compression round per word, three to finish): a keyed
 * hash whose outputs, without the key, give no way to pick colliding
 * inputs, and fast on short strings such as operation ids. */
static inline uint64_t keyed_hash_rotate_left(uint64_t x, unsigned bits)
{
	return (x << bits) | (x >> (64 - bits));
}

static inline void keyed_hash_sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = keyed_hash_rotate_left(v[1], 13) ^ v[0];
	v[0] = keyed_hash_rotate_left(v[0], 32);
	v[2] += v[3];
	v[3] = keyed_hash_rotate_left(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = keyed_hash_rotate_left(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = keyed_hash_rotate_left(v[1], 17) ^ v[2];
	v[2] = keyed_hash_rotate_left(v[2], 32);
}

static inline void keyed_hash_sip_absorb(uint64_t v[4], uint64_t word)
{
	v[3] ^= word;
	keyed_hash_sip_round(v);
	v[0] ^= word;
}

static inline uint64_t keyed_hash_siphash13(uint64_t k0, uint64_t k1, const void *data, size_t len)
{
	const unsigned char *bytes = data;
	uint64_t v[4] = {k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
			 k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull};
	uint64_t tail = (uint64_t)len << 56;
	size_t whole = len & ~(size_t)7;

	/* Words are read in host order: the hash only has to be the same
	 * within one process. */
	for (size_t at = 0; at < whole; at += 8) {
		uint64_t word;

		memcpy(&word, bytes + at, 8);
		keyed_hash_sip_absorb(v, word);
	}
	for (size_t at = whole; at < len; at++)
		tail |= (uint64_t)bytes[at] << (8 * (at - whole));
	keyed_hash_sip_absorb(v, tail);
	v[2] ^= 0xff;
	keyed_hash_sip_round(v);
	keyed_hash_sip_round(v);
	keyed_hash_sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* Fills key with a key of owner's own: the kernel's random bytes for this
 * process (on Linux) mixed with owner's address and a process-wide
 * counter, so that no two tables of a process share a key, without a
 * system call. */
void keyed_hash_seed(uint64_t key[2], const void *owner);

#endif

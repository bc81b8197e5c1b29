/*
 * ws_wire.h - the client side of RFC 6455 that the load generator needs:
 * the upgrade request and the check of its answer, masked client frames, and
 * an incremental parser of server frame headers. No I/O, no allocation.
 */
#ifndef GQLWS_BENCH_WS_WIRE_H
#define GQLWS_BENCH_WS_WIRE_H

#include <stddef.h>
#include <stdint.h>

enum ws_opcode {
	WS_OP_CONTINUATION = 0x0,
	WS_OP_TEXT = 0x1,
	WS_OP_BINARY = 0x2,
	WS_OP_CLOSE = 0x8,
	WS_OP_PING = 0x9,
	WS_OP_PONG = 0xa,
};

/* Longest client frame header: 2 bytes, 8 bytes of length, 4 of mask. */
#define WS_CLIENT_HEADER_MAX 14

/* Sec-WebSocket-Key is 16 random bytes in base64: 24 characters. */
#define WS_KEY_LEN 24

/* Writes a fresh random key (NUL-terminated) into key[WS_KEY_LEN + 1]. */
void ws_make_key(char key[WS_KEY_LEN + 1], uint64_t *rng);

/* The upgrade request for host:port/path offering one subprotocol. Returns its
 * length, or 0 if it does not fit in cap. */
size_t ws_build_upgrade(char *out, size_t cap, const char *host_port,
			const char *path, const char *key, const char *protocol);

/* Looks for the end of the server's HTTP answer in buf[0..len). Returns:
 * 0 when more bytes are needed, -1 when the answer is not a valid 101 for this
 * key and protocol, otherwise the length of the header block (the frames
 * start there). */
long ws_check_upgrade_answer(const char *buf, size_t len, const char *key,
			     const char *protocol);

/* Writes a masked client frame header for a payload of len bytes into hdr
 * and returns its length; the mask used is stored in mask[4]. The caller
 * masks the payload with ws_mask(). */
size_t ws_client_header(unsigned char *hdr, enum ws_opcode op, uint64_t len,
			unsigned char mask[4], uint64_t *rng);

/* XORs data with the mask, as the client side of the protocol requires. */
void ws_mask(unsigned char *data, size_t len, const unsigned char mask[4]);

/* A parsed server frame header. */
struct ws_frame {
	uint64_t payload_len;
	unsigned header_len;
	unsigned char opcode;
	unsigned char fin;
};

/* Parses the frame header at buf[0..len). Returns 1 when complete (frame
 * filled), 0 when more bytes are needed, -1 on a frame a server must never
 * send (masked, reserved bits, bad control frame, unknown opcode). */
int ws_parse_header(const unsigned char *buf, size_t len, struct ws_frame *frame);

/* xorshift64*: cheap randomness for keys and masks. */
uint64_t ws_rand(uint64_t *state);

#endif

/*
 * ws_wire.c - RFC 6455 client framing and handshake for the load generator.
 * The accept check uses OpenSSL's EVP SHA-1 and base64 (libcrypto), the only
 * crypto the protocol asks of a client.
 */
#include "ws_wire.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

static const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

uint64_t ws_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

void ws_make_key(char key[WS_KEY_LEN + 1], uint64_t *rng)
{
	unsigned char raw[16];
	uint64_t a = ws_rand(rng), b = ws_rand(rng);

	memcpy(raw, &a, 8);
	memcpy(raw + 8, &b, 8);
	EVP_EncodeBlock((unsigned char *)key, raw, sizeof(raw));
	key[WS_KEY_LEN] = '\0';
}

size_t ws_build_upgrade(char *out, size_t cap, const char *host_port,
			const char *path, const char *key, const char *protocol)
{
	int n = snprintf(out, cap,
			 "GET %s HTTP/1.1\r\n"
			 "Host: %s\r\n"
			 "Upgrade: websocket\r\n"
			 "Connection: Upgrade\r\n"
			 "Sec-WebSocket-Key: %s\r\n"
			 "Sec-WebSocket-Version: 13\r\n"
			 "Sec-WebSocket-Protocol: %s\r\n"
			 "\r\n",
			 path, host_port, key, protocol);

	if (n < 0 || (size_t)n >= cap)
		return 0;
	return (size_t)n;
}

/* The value the server must answer for our key. */
static void expected_accept(const char *key, char out[29])
{
	char in[WS_KEY_LEN + sizeof(ws_guid)];
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len = 0;
	size_t klen = strlen(key);

	memcpy(in, key, klen);
	memcpy(in + klen, ws_guid, sizeof(ws_guid) - 1);
	EVP_Digest(in, klen + sizeof(ws_guid) - 1, digest, &digest_len, EVP_sha1(), NULL);
	EVP_EncodeBlock((unsigned char *)out, digest, (int)digest_len);
}

/* The value of header `name` within the header block, trimmed, or NULL. */
static const char *header_value(const char *block, const char *end,
				const char *name, size_t *value_len)
{
	size_t nlen = strlen(name);
	const char *line = memchr(block, '\n', (size_t)(end - block));

	while (line && line < end) {
		const char *start = line + 1;
		const char *eol = memchr(start, '\n', (size_t)(end - start));

		if (!eol)
			break;
		if ((size_t)(eol - start) > nlen && start[nlen] == ':' &&
		    !strncasecmp(start, name, nlen)) {
			const char *v = start + nlen + 1;
			const char *ve = eol;

			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			*value_len = (size_t)(ve - v);
			return v;
		}
		line = eol;
	}
	return NULL;
}

long ws_check_upgrade_answer(const char *buf, size_t len, const char *key,
			     const char *protocol)
{
	const char *end = NULL;
	const char *v;
	size_t vlen;
	char accept[29];

	for (size_t i = 3; i < len; i++) {
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
			end = buf + i + 1;
			break;
		}
	}
	if (!end)
		return 0;
	if (len < 12 || strncmp(buf, "HTTP/1.1 101", 12))
		return -1;
	expected_accept(key, accept);
	v = header_value(buf, end, "Sec-WebSocket-Accept", &vlen);
	if (!v || vlen != 28 || memcmp(v, accept, 28))
		return -1;
	v = header_value(buf, end, "Sec-WebSocket-Protocol", &vlen);
	if (!v || vlen != strlen(protocol) || memcmp(v, protocol, vlen))
		return -1;
	return (long)(end - buf);
}

size_t ws_client_header(unsigned char *hdr, enum ws_opcode op, uint64_t len,
			unsigned char mask[4], uint64_t *rng)
{
	size_t n = 2;
	uint32_t m = (uint32_t)ws_rand(rng);

	hdr[0] = (unsigned char)(0x80 | op);
	if (len < 126) {
		hdr[1] = (unsigned char)(0x80 | len);
	} else if (len <= 0xffff) {
		hdr[1] = 0x80 | 126;
		hdr[2] = (unsigned char)(len >> 8);
		hdr[3] = (unsigned char)len;
		n = 4;
	} else {
		hdr[1] = 0x80 | 127;
		for (int i = 0; i < 8; i++)
			hdr[2 + i] = (unsigned char)(len >> (56 - 8 * i));
		n = 10;
	}
	memcpy(mask, &m, 4);
	memcpy(hdr + n, mask, 4);
	return n + 4;
}

void ws_mask(unsigned char *data, size_t len, const unsigned char mask[4])
{
	for (size_t i = 0; i < len; i++)
		data[i] ^= mask[i & 3];
}

int ws_parse_header(const unsigned char *buf, size_t len, struct ws_frame *frame)
{
	uint64_t plen;
	unsigned hlen = 2;
	unsigned char op;

	if (len < 2)
		return 0;
	if (buf[0] & 0x70 || buf[1] & 0x80)
		return -1; /* no extension negotiated; servers never mask */
	op = buf[0] & 0x0f;
	if (op > WS_OP_BINARY && op < WS_OP_CLOSE)
		return -1;
	if (op > WS_OP_PONG)
		return -1;
	plen = buf[1] & 0x7f;
	if (op >= WS_OP_CLOSE && (plen > 125 || !(buf[0] & 0x80)))
		return -1;
	if (plen == 126) {
		if (len < 4)
			return 0;
		plen = ((uint64_t)buf[2] << 8) | buf[3];
		if (plen < 126)
			return -1;
		hlen = 4;
	} else if (plen == 127) {
		if (len < 10)
			return 0;
		plen = 0;
		for (int i = 0; i < 8; i++)
			plen = (plen << 8) | buf[2 + i];
		if (plen >> 63 || plen <= 0xffff)
			return -1;
		hlen = 10;
	}
	frame->payload_len = plen;
	frame->header_len = hlen;
	frame->opcode = op;
	frame->fin = (buf[0] & 0x80) != 0;
	return 1;
}

/*
 * hub_topic_name.c - what a topic name may be: the last part of a publish
 * URL and, with a prefix, a Redis channel name, so nothing that needs
 * escaping in either.
 */
#include <stddef.h>

#include "gqlws_hub.h"

#define FIRST_PRINTABLE 0x20
#define LAST_PRINTABLE 0x7e

/* Per printable ASCII byte: NULL when allowed, else why not (static, with
 * the character shown, so that a publisher sees what to fix). */
static const char *const printable_refusal[LAST_PRINTABLE - FIRST_PRINTABLE + 1] = {
	"Topic name has a character that is not allowed: \" \".",
	"Topic name has a character that is not allowed: \"!\".",
	"Topic name has a character that is not allowed: \"\\\"\".",
	"Topic name has a character that is not allowed: \"#\".",
	"Topic name has a character that is not allowed: \"$\".",
	"Topic name has a character that is not allowed: \"%\".",
	"Topic name has a character that is not allowed: \"&\".",
	"Topic name has a character that is not allowed: \"'\".",
	"Topic name has a character that is not allowed: \"(\".",
	"Topic name has a character that is not allowed: \")\".",
	"Topic name has a character that is not allowed: \"*\".",
	NULL, /* + */
	"Topic name has a character that is not allowed: \",\".",
	NULL, /* - */
	NULL, /* . */
	"Topic name has a character that is not allowed: \"/\".",
	NULL, /* 0 */
	NULL, /* 1 */
	NULL, /* 2 */
	NULL, /* 3 */
	NULL, /* 4 */
	NULL, /* 5 */
	NULL, /* 6 */
	NULL, /* 7 */
	NULL, /* 8 */
	NULL, /* 9 */
	NULL, /* : */
	"Topic name has a character that is not allowed: \";\".",
	"Topic name has a character that is not allowed: \"<\".",
	NULL, /* = */
	"Topic name has a character that is not allowed: \">\".",
	"Topic name has a character that is not allowed: \"?\".",
	NULL, /* @ */
	NULL, /* A */
	NULL, /* B */
	NULL, /* C */
	NULL, /* D */
	NULL, /* E */
	NULL, /* F */
	NULL, /* G */
	NULL, /* H */
	NULL, /* I */
	NULL, /* J */
	NULL, /* K */
	NULL, /* L */
	NULL, /* M */
	NULL, /* N */
	NULL, /* O */
	NULL, /* P */
	NULL, /* Q */
	NULL, /* R */
	NULL, /* S */
	NULL, /* T */
	NULL, /* U */
	NULL, /* V */
	NULL, /* W */
	NULL, /* X */
	NULL, /* Y */
	NULL, /* Z */
	"Topic name has a character that is not allowed: \"[\".",
	"Topic name has a character that is not allowed: \"\\\\\".",
	"Topic name has a character that is not allowed: \"]\".",
	"Topic name has a character that is not allowed: \"^\".",
	NULL, /* _ */
	"Topic name has a character that is not allowed: \"`\".",
	NULL, /* a */
	NULL, /* b */
	NULL, /* c */
	NULL, /* d */
	NULL, /* e */
	NULL, /* f */
	NULL, /* g */
	NULL, /* h */
	NULL, /* i */
	NULL, /* j */
	NULL, /* k */
	NULL, /* l */
	NULL, /* m */
	NULL, /* n */
	NULL, /* o */
	NULL, /* p */
	NULL, /* q */
	NULL, /* r */
	NULL, /* s */
	NULL, /* t */
	NULL, /* u */
	NULL, /* v */
	NULL, /* w */
	NULL, /* x */
	NULL, /* y */
	NULL, /* z */
	"Topic name has a character that is not allowed: \"{\".",
	"Topic name has a character that is not allowed: \"|\".",
	"Topic name has a character that is not allowed: \"}\".",
	NULL, /* ~ */
};

const char *gqlws_hub_topic_invalid(const char *topic, size_t len)
{
	if (!topic || len == 0)
		return "Topic name is empty.";
	if (len > GQLWS_HUB_TOPIC_MAX_BYTES)
		return "Topic name is longer than 255 bytes.";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)topic[i];
		if (c < FIRST_PRINTABLE || c > LAST_PRINTABLE)
			return "Topic name has a character that is not allowed: a control character or a byte above 0x7E.";
		if (printable_refusal[c - FIRST_PRINTABLE])
			return printable_refusal[c - FIRST_PRINTABLE];
	}
	return NULL;
}

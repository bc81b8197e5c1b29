/*
 * suggest.c - "Did you mean" suggestions worded and ordered as graphql-js
 * words and orders them (suggestionList, didYouMean): options within a
 * lexical distance of 40% of the input (a case change counts as one edit,
 * a swap of neighbours as one), nearest first, ties in natural order.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

#define NO_DISTANCE SIZE_MAX

static bool equal_ignoring_case(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

/* Damerau-Levenshtein distance of the lowercased strings, with graphql-js's
 * early exit: NO_DISTANCE once it exceeds threshold. rows holds 3 rows of
 * room for the shorter string. */
static size_t lexical_distance(const char *input, size_t input_len, const char *option,
			       size_t threshold, size_t *rows)
{
	size_t option_len = strlen(option);
	if (option_len == input_len && memcmp(input, option, input_len) == 0)
		return 0;
	if (option_len == input_len && equal_ignoring_case(input, option, input_len))
		return 1;
	const char *a = option, *b = input;
	size_t a_len = option_len, b_len = input_len;
	if (a_len < b_len) {
		a = input, b = option;
		a_len = input_len, b_len = option_len;
	}
	if (a_len - b_len > threshold)
		return NO_DISTANCE;
	size_t width = b_len + 1;
	size_t *row[3] = {rows, rows + width, rows + 2 * width};
	for (size_t j = 0; j <= b_len; j++)
		row[0][j] = j;
	for (size_t i = 1; i <= a_len; i++) {
		size_t *up = row[(i - 1) % 3], *cur = row[i % 3];
		size_t smallest = cur[0] = i;
		int ca = tolower((unsigned char)a[i - 1]);
		for (size_t j = 1; j <= b_len; j++) {
			int cb = tolower((unsigned char)b[j - 1]);
			size_t cost = ca == cb ? 0 : 1;
			size_t cell = up[j] + 1;
			if (cur[j - 1] + 1 < cell)
				cell = cur[j - 1] + 1;
			if (up[j - 1] + cost < cell)
				cell = up[j - 1] + cost;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && row[(i - 2) % 3][j - 2] + 1 < cell)
				cell = row[(i - 2) % 3][j - 2] + 1;
			if (cell < smallest)
				smallest = cell;
			cur[j] = cell;
		}
		if (smallest > threshold)
			return NO_DISTANCE;
	}
	size_t distance = row[a_len % 3][b_len];
	return distance <= threshold ? distance : NO_DISTANCE;
}

/* graphql-js naturalCompare: runs of digits compare by value. */
int schema_natural_compare(const char *a, const char *b)
{
	size_t ia = 0, ib = 0, la = strlen(a), lb = strlen(b);
	while (ia < la && ib < lb) {
		unsigned char ca = (unsigned char)a[ia], cb = (unsigned char)b[ib];
		if (isdigit(ca) && isdigit(cb)) {
			/* a leading zero ends the number, as in graphql-js */
			unsigned long long na = 0, nb = 0;
			do {
				na = na * 10 + (unsigned)(a[ia++] - '0');
			} while (ia < la && isdigit((unsigned char)a[ia]) && na > 0 && na < (1ull << 52));
			do {
				nb = nb * 10 + (unsigned)(b[ib++] - '0');
			} while (ib < lb && isdigit((unsigned char)b[ib]) && nb > 0 && nb < (1ull << 52));
			if (na != nb)
				return na < nb ? -1 : 1;
		} else {
			if (ca != cb)
				return ca < cb ? -1 : 1;
			ia++, ib++;
		}
	}
	return (la > lb) - (la < lb);
}

typedef struct ranked {
	const char *name;
	size_t distance;
} ranked;

static int compare_ranked(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;
	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	return schema_natural_compare(a->name, b->name);
}

size_t schema_suggestion_list(const char *input, const char *const *options, size_t count,
			      const char **out)
{
	size_t input_len = strlen(input);
	size_t threshold = input_len * 4 / 10 + 1;
	size_t *rows = malloc(3 * (input_len + 1) * sizeof *rows);
	ranked *found = count ? malloc(count * sizeof *found) : NULL;
	size_t n = 0;
	if (!rows || (count && !found)) {
		free(rows);
		free(found);
		return 0;
	}
	for (size_t i = 0; i < count; i++) {
		size_t d = lexical_distance(input, input_len, options[i], threshold, rows);
		if (d == NO_DISTANCE)
			continue;
		bool seen = false; /* graphql-js keys them by name: once each */
		for (size_t k = 0; k < n && !seen; k++)
			seen = strcmp(found[k].name, options[i]) == 0;
		if (!seen)
			found[n++] = (ranked){options[i], d};
	}
	if (n > 1)
		qsort(found, n, sizeof *found, compare_ranked);
	for (size_t i = 0; i < n; i++)
		out[i] = found[i].name;
	free(rows);
	free(found);
	return n;
}

static void append(char *buf, size_t size, size_t *used, const char *text)
{
	size_t len = strlen(text);
	if (*used >= size)
		return;
	size_t room = size - 1 - *used;
	if (len > room)
		len = room;
	memcpy(buf + *used, text, len);
	*used += len;
	buf[*used] = '\0';
}

void schema_did_you_mean(char *buf, size_t size, const char *sub_message,
			 const char *const *suggestions, size_t count)
{
	if (!count || !size)
		return;
	size_t used = strlen(buf);
	if (count > 5)
		count = 5;
	append(buf, size, &used, " Did you mean ");
	if (sub_message) {
		append(buf, size, &used, sub_message);
		append(buf, size, &used, " ");
	}
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			append(buf, size, &used, count == 2 ? " or " : i == count - 1 ? ", or " : ", ");
		append(buf, size, &used, "\"");
		append(buf, size, &used, suggestions[i]);
		append(buf, size, &used, "\"");
	}
	append(buf, size, &used, "?");
}

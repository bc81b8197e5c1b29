/*
 * validate.c - gqlws_schema_parse_document(): the document parsed in
 * graphql-js 16.15's grammar (type-system definitions included, read by
 * the SDL parser when the executable grammar stops), then the validation
 * set up (TypeInfo room, rule states, fragment bookkeeping) and walked
 * (validate_walk.c) with every rule.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "validate_context.h"

#define VCTX_ARENA_BASE ((size_t)8192)

/* A rule's state, keeping the arena's alignment. */
static size_t state_room(const validation_rule *rule)
{
	return (rule->state_size + DOC_ARENA_ALIGN) & ~(size_t)(DOC_ARENA_ALIGN - 1);
}

/* The bytes of both TypeInfos and their stacks for a text of len bytes. */
static size_t typeinfo_bytes(size_t len)
{
	size_t room = (len < TYPEINFO_ROOM ? len : TYPEINFO_ROOM) + TYPEINFO_SLACK;
	return 2 * sizeof(typeinfo) + 2 * 5 * room * sizeof(void *);
}

/* Both TypeInfos in one block of the validation's arena, their stacks
 * after them (not cleared: only entries below a count are ever read). */
static void typeinfo_init(vctx *ctx)
{
	size_t room = (ctx->text_len < TYPEINFO_ROOM ? ctx->text_len : TYPEINFO_ROOM) + TYPEINFO_SLACK;
	size_t stack = room * sizeof(void *);
	char *block = doc_arena_alloc_uncleared(&ctx->arena, typeinfo_bytes(ctx->text_len));
	if (!block)
		return; /* ctx->ti stays NULL: out of memory */
	char *next = block + 2 * sizeof(typeinfo);
	typeinfo *tis[2] = {(typeinfo *)block, (typeinfo *)(block + sizeof(typeinfo))};
	for (int i = 0; i < 2; i++) {
		typeinfo *ti = tis[i];
		memset(ti, 0, sizeof *ti);
		ti->types = (const schema_ref **)(void *)next;
		next += stack;
		ti->parent_types = (const schema_type **)(void *)next;
		next += stack;
		ti->input_types = (const schema_ref **)(void *)next;
		next += stack;
		ti->field_defs = (const schema_field **)(void *)next;
		next += stack;
		ti->default_values = (const doc_value **)(void *)next;
		next += stack;
	}
	ctx->ti = tis[0];
	ctx->usage_ti = tis[1];
}

/* The per-kind lists of the rules to call (validation_rule's kinds), and
 * where each rule's state is. */
static void dispatch_build(rule_dispatch *d)
{
	unsigned char count[2][VNODE_KIND_COUNT] = {{0}};
	for (size_t i = 0; validation_rules[i]; i++) { /* at most VALIDATION_RULE_MAX (rules_table.c) */
		const validation_rule *rule = validation_rules[i];
		uint32_t state_at = (uint32_t)d->state_block;
		d->state_block += state_room(rule);
		for (int leaving = 0; leaving < 2; leaving++) {
			if (!(leaving ? rule->leave : rule->enter))
				continue;
			unsigned kinds = leaving ? rule->leave_kinds : rule->enter_kinds;
			if (!kinds)
				kinds = VKIND(VNODE_KIND_COUNT) - 1;
			unsigned needs = leaving ? rule->leave_needs : rule->enter_needs;
			for (int kind = 0; kinds; kind++, kinds >>= 1) { /* up to the set's last kind */
				if (!(kinds & 1u))
					continue;
				unsigned char at = count[leaving][kind]++;
				d->state_at[leaving][kind][at] = state_at;
				d->fns[leaving][kind][at] = leaving ? rule->leave : rule->enter;
				for (unsigned lacks = 0; lacks < VLACKS_COMBINATIONS; lacks++)
					if (!(needs & lacks))
						d->calls[leaving][kind][lacks] |= (uint32_t)1 << at;
			}
		}
	}
}

/* The lists depend on the rules alone: made once per process. The first
 * validation to claim them builds the shared lists; one that runs while
 * another thread builds them makes its own. */
static rule_dispatch shared_dispatch;
static atomic_int shared_dispatch_state; /* 0 none, 1 being built, 2 ready */

static const rule_dispatch *dispatch_get(vctx *ctx)
{
	if (atomic_load_explicit(&shared_dispatch_state, memory_order_acquire) == 2)
		return &shared_dispatch;
	int none = 0;
	if (atomic_compare_exchange_strong(&shared_dispatch_state, &none, 1)) {
		dispatch_build(&shared_dispatch);
		atomic_store_explicit(&shared_dispatch_state, 2, memory_order_release);
		return &shared_dispatch;
	}
	rule_dispatch *own = vctx_alloc(ctx, sizeof *own);
	if (own)
		dispatch_build(own);
	return own;
}

static void validate(vctx *ctx)
{
	ctx->dispatch = dispatch_get(ctx);
	typeinfo_init(ctx);
	/* every rule's state from one zeroed block (one clearing instead of a
	 * call per rule) */
	if (ctx->dispatch)
		ctx->rule_states = vctx_alloc(ctx, ctx->dispatch->state_block);
	if (!ctx->dispatch || !ctx->ti || !ctx->usage_ti || !ctx->rule_states) {
		ctx->nomem = ctx->aborted = true;
		return;
	}
	if (vctx_fragments_init(ctx) != 0 || vctx_document_definitions_init(ctx) != 0) {
		ctx->nomem = ctx->aborted = true;
		return;
	}
	vctx_walk(ctx);
}

static bool is_limit_error(const cJSON *errors)
{
	const cJSON *first = cJSON_GetArrayItem(errors, 0);
	const cJSON *message = cJSON_GetObjectItemCaseSensitive(first, "message");
	return !cJSON_IsString(message) || strncmp(message->valuestring, "Document exceeds ", 17) == 0 ||
	       strcmp(message->valuestring, "Must provide a document.") == 0;
}

/* graphql-js parses type-system definitions in an executable document and
 * leaves them to ExecutableDefinitions. When the executable grammar stops,
 * the text is read again with the whole grammar (the SDL parser, which
 * words its syntax errors as graphql-js's parse() does); if that succeeds,
 * the document is parsed once more passing over those definitions, which
 * are kept (name and position) for the rule. Only documents that fail the
 * first parse pay for this. */
static gqlws_doc *parse_with_type_system(const char *text, size_t len, const gqlws_doc_limits *limits,
					 cJSON **errors, gqlws_doc_status *status, gqlws_doc **sdl_owner,
					 sdl_document *sdl)
{
	gqlws_doc *scratch = doc_new(0);
	if (!scratch)
		goto nomem;
	if (limits)
		scratch->limits = *limits;
	else
		gqlws_doc_limits_init(&scratch->limits);
	if (scratch->limits.max_depth > DOC_DEPTH_CEILING)
		scratch->limits.max_depth = DOC_DEPTH_CEILING;
	cJSON *sdl_errors = NULL;
	int rc = sdl_parse(scratch, text, len, sdl, &sdl_errors);
	if (rc == -2)
		goto nomem;
	if (rc == -1) {
		cJSON_Delete(*errors);
		*errors = sdl_errors;
		*status = GQLWS_DOC_SYNTAX;
		gqlws_doc_free(scratch);
		return NULL;
	}
	size_t count = 0;
	for (const sdl_def *d = sdl->defs; d; d = d->next)
		count += d->kind != SDL_DEF_EXECUTABLE;
	doc_skip_range *skips = calloc(count + 1, sizeof *skips);
	if (!skips)
		goto nomem;
	size_t n = 0;
	for (const sdl_def *d = sdl->defs; d; d = d->next)
		if (d->kind != SDL_DEF_EXECUTABLE)
			skips[n++] = (doc_skip_range){d->pos, d->next ? d->next->pos : (doc_pos){0, 0}};
	doc_parse_options options = {.descriptions = true, .skips = skips, .skip_count = count};
	cJSON_Delete(*errors);
	*errors = NULL;
	gqlws_doc *doc = doc_parse_for_rules(text, len, limits, &options, errors, status);
	free(skips);
	doc_type_system_def **tail = doc ? &doc->type_system_defs : NULL;
	for (const sdl_def *d = sdl->defs; tail && d; d = d->next) {
		if (d->kind == SDL_DEF_EXECUTABLE)
			continue;
		doc_type_system_def *def = doc_arena_alloc(&doc->arena, sizeof *def);
		const char *name = d->kind == SDL_DEF_SCHEMA || !d->name
					   ? NULL
					   : doc_arena_strndup(&doc->arena, d->name, strlen(d->name));
		if (!def || (d->kind != SDL_DEF_SCHEMA && d->name && !name)) {
			gqlws_doc_free(doc);
			goto nomem;
		}
		def->name = name;
		def->pos = d->pos;
		*tail = def;
		tail = &def->next;
	}
	/* the rules visit the definitions: the SDL tree lives until they end */
	*sdl_owner = scratch;
	return doc;
nomem:
	gqlws_doc_free(scratch);
	cJSON_Delete(*errors);
	*errors = NULL;
	*status = GQLWS_DOC_NOMEM;
	return NULL;
}

gqlws_doc *gqlws_schema_parse_document(const gqlws_schema *schema, const char *text, size_t len,
				       const gqlws_doc_limits *limits, cJSON **errors,
				       gqlws_doc_status *status)
{
	gqlws_doc *sdl_owner = NULL;
	sdl_document sdl = {0};
	gqlws_doc *doc = doc_parse_for_rules(text, len, limits, NULL, errors, status);
	if (!doc && *status == GQLWS_DOC_SYNTAX && !is_limit_error(*errors))
		doc = parse_with_type_system(text, len, limits, errors, status, &sdl_owner, &sdl);
	if (!doc) {
		gqlws_doc_free(sdl_owner);
		return NULL;
	}
	vctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.schema = schema;
	ctx.doc = doc;
	ctx.sdl = sdl_owner ? &sdl : NULL;
	ctx.fragment_work = FRAGMENT_WORK_BUDGET;
	ctx.text_len = len;
	/* the validation's scratch lives only until it returns: one chunk
	 * that fits a typical document's (TypeInfo stacks, caches, rule
	 * states, the overlap rule's field maps: 8 to 16 KiB for 300 bytes of
	 * text besides the stacks) */
	doc_arena_init_sized(&ctx.arena, typeinfo_bytes(len) + VCTX_ARENA_BASE +
						 16 * (len < VCTX_ARENA_BASE ? len : VCTX_ARENA_BASE));
	validate(&ctx);
	doc_arena_release(&ctx.arena);
	gqlws_doc_free(sdl_owner);
	if (ctx.nomem) {
		cJSON_Delete(ctx.errors);
		*errors = NULL;
		*status = GQLWS_DOC_NOMEM;
		gqlws_doc_free(doc);
		return NULL;
	}
	if (ctx.errors) {
		*errors = ctx.errors;
		*status = GQLWS_DOC_INVALID;
		gqlws_doc_free(doc);
		return NULL;
	}
	*status = GQLWS_DOC_OK;
	return doc;
}


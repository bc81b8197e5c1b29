/*
 * plugin_mailbox.c - results posted from other threads. The lock is held
 * only to link or unlink posts; delivery runs unlocked, so a worker is never
 * blocked behind the session engine. lws_cancel_service() is the one lws call
 * that is safe off the service thread.
 */
#include "plugin_mailbox.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct mailbox_post {
	struct mailbox_post *next;
	lws_gqlws_ticket ticket; /* where it goes */
	mailbox_kind kind;
	size_t len;
	char data[]; /* len bytes plus a NUL */
} mailbox_post;

struct lws_gqlws_mailbox {
	pthread_mutex_t lock;
	struct lws_context *context;
	mailbox_post *head; /* oldest first */
	mailbox_post *tail;
};

lws_gqlws_mailbox *mailbox_new(struct lws_context *context)
{
	lws_gqlws_mailbox *mb = calloc(1, sizeof(*mb));

	if (!mb)
		return NULL;
	if (pthread_mutex_init(&mb->lock, NULL)) {
		free(mb);
		return NULL;
	}
	mb->context = context;
	return mb;
}

static void free_posts(mailbox_post *p)
{
	while (p) {
		mailbox_post *next = p->next;

		free(p);
		p = next;
	}
}

void mailbox_destroy(lws_gqlws_mailbox *mb)
{
	if (!mb)
		return;
	free_posts(mb->head);
	pthread_mutex_destroy(&mb->lock);
	free(mb);
}

static int post(const lws_gqlws_ticket *t, mailbox_kind kind, const char *data, size_t len)
{
	lws_gqlws_mailbox *mb;
	mailbox_post *p;

	if (!t || !t->mailbox)
		return GQLWS_ERR_INVALID;
	mb = t->mailbox;
	if (len > SIZE_MAX - sizeof(*p) - 1)
		return GQLWS_ERR_NOMEM;
	p = malloc(sizeof(*p) + len + 1);
	if (!p)
		return GQLWS_ERR_NOMEM;
	p->next = NULL;
	p->ticket = *t;
	p->kind = kind;
	p->len = len;
	if (len)
		memcpy(p->data, data, len);
	p->data[len] = '\0';

	pthread_mutex_lock(&mb->lock);
	if (mb->tail)
		mb->tail->next = p;
	else
		mb->head = p;
	mb->tail = p;
	pthread_mutex_unlock(&mb->lock);

	lws_cancel_service(mb->context);
	return GQLWS_OK;
}

int lws_gqlws_post_next(const lws_gqlws_ticket *t, const char *json, size_t len)
{
	if (!json)
		return GQLWS_ERR_INVALID;
	return post(t, MAILBOX_NEXT, json, len);
}

int lws_gqlws_post_complete(const lws_gqlws_ticket *t)
{
	return post(t, MAILBOX_COMPLETE, NULL, 0);
}

int lws_gqlws_post_fail(const lws_gqlws_ticket *t, const char *message)
{
	if (!message)
		message = "Internal error";
	return post(t, MAILBOX_FAIL, message, strlen(message));
}

void mailbox_drain(lws_gqlws_mailbox *mb, mailbox_deliver_fn deliver, void *arg)
{
	mailbox_post *batch;

	pthread_mutex_lock(&mb->lock);
	batch = mb->head;
	mb->head = mb->tail = NULL;
	pthread_mutex_unlock(&mb->lock);

	for (mailbox_post *p = batch; p; p = p->next)
		deliver(arg, &p->ticket, p->kind, p->data, p->len);
	free_posts(batch);
}

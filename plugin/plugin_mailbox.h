/*
 * plugin_mailbox.h - the thread-safe queue behind lws_gqlws_post_*():
 * worker threads append results under a mutex and wake the lws service loop;
 * the service thread takes everything at EVENT_WAIT_CANCELLED and delivers it.
 */
#ifndef GQLWS_PLUGIN_MAILBOX_H
#define GQLWS_PLUGIN_MAILBOX_H

#include "lws_gqlws.h"

typedef enum mailbox_kind {
	MAILBOX_NEXT = 1,     /* data = result JSON text */
	MAILBOX_COMPLETE = 2, /* no data */
	MAILBOX_FAIL = 3,     /* data = message, NUL-terminated */
} mailbox_kind;

/* Called once per post on the service thread, in posting order. data is
 * borrowed for the call. */
typedef void (*mailbox_deliver_fn)(void *arg, const lws_gqlws_ticket *ticket, mailbox_kind kind,
				   const char *data, size_t len);

/* A mailbox that wakes `context` on every post. NULL on allocation failure. */
lws_gqlws_mailbox *mailbox_new(struct lws_context *context);

/* Frees the mailbox and every post still in it. No thread may post any more. */
void mailbox_destroy(lws_gqlws_mailbox *mb);

/* Takes every post queued so far and hands each to deliver. Service thread. */
void mailbox_drain(lws_gqlws_mailbox *mb, mailbox_deliver_fn deliver, void *arg);

#endif /* GQLWS_PLUGIN_MAILBOX_H */

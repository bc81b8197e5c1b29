# Topics: a schema bound to topics by directives, and the fan-out of events.
# One line per file; both halves of the hub (hub_internal.h) add theirs.
set(GQLWS_HUB_SOURCES
  hub/hub.c
  hub/hub_bind.c
  hub/hub_template.c
  hub/hub_op.c
  hub/hub_topic_name.c
  hub/hub_event.c
  hub/hub_table.c
  hub/hub_topics.c
  hub/hub_retain.c
  hub/hub_publish.c
)

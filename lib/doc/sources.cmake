# GraphQL documents: lexer, parser, validation, plans and projection.
set(GQLWS_DOC_SOURCES
  doc/arena.c
  doc/errors.c
  doc/lexer.c
  doc/parser.c
  doc/validate.c
  doc/document.c
  doc/value.c
  doc/coerce.c
  doc/collect.c
  doc/plan.c
  doc/buf.c
  doc/clip.c
  doc/project.c
  doc/check.c
  doc/literal.c
)

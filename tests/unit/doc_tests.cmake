# GraphQL document tests (lib/doc): one executable per area.
gqlws_add_check_test(doc_grammar doc_grammar.c)
gqlws_add_check_test(doc_errors doc_errors.c)
gqlws_add_check_test(doc_plan doc_plan.c)
gqlws_add_check_test(doc_project doc_project.c)
gqlws_add_check_test(doc_check doc_check.c)
gqlws_add_check_test(doc_depth doc_depth.c)
gqlws_add_check_test(doc_request doc_request.c)

/*
 * rules_table.c - graphql-js 16.15's specifiedRules, in its order: the
 * order errors about one node come out in.
 */
#include "validate_internal.h"

extern const validation_rule rule_executable_definitions, rule_unique_operation_names,
	rule_lone_anonymous_operation, rule_single_field_subscriptions, rule_known_type_names,
	rule_fragments_on_composite_types, rule_variables_are_input_types, rule_scalar_leafs,
	rule_fields_on_correct_type, rule_unique_fragment_names, rule_known_fragment_names,
	rule_no_unused_fragments, rule_possible_fragment_spreads, rule_no_fragment_cycles,
	rule_unique_variable_names, rule_no_undefined_variables, rule_no_unused_variables,
	rule_known_directives, rule_unique_directives_per_location, rule_known_argument_names,
	rule_unique_argument_names, rule_unique_input_field_names, rule_max_introspection_depth;
/* Written by the V2 part of issue 10 in its own files. */
extern const validation_rule rule_values_of_correct_type, rule_provided_required_arguments,
	rule_variables_in_allowed_position, rule_overlapping_fields_can_be_merged;

const validation_rule *const validation_rules[] = {
	&rule_executable_definitions,
	&rule_unique_operation_names,
	&rule_lone_anonymous_operation,
	&rule_single_field_subscriptions,
	&rule_known_type_names,
	&rule_fragments_on_composite_types,
	&rule_variables_are_input_types,
	&rule_scalar_leafs,
	&rule_fields_on_correct_type,
	&rule_unique_fragment_names,
	&rule_known_fragment_names,
	&rule_no_unused_fragments,
	&rule_possible_fragment_spreads,
	&rule_no_fragment_cycles,
	&rule_unique_variable_names,
	&rule_no_undefined_variables,
	&rule_no_unused_variables,
	&rule_known_directives,
	&rule_unique_directives_per_location,
	&rule_known_argument_names,
	&rule_unique_argument_names,
	&rule_values_of_correct_type,
	&rule_provided_required_arguments,
	&rule_variables_in_allowed_position,
	&rule_overlapping_fields_can_be_merged,
	&rule_unique_input_field_names,
	&rule_max_introspection_depth,
	NULL,
};

/* The walker's per-kind lists have room for this many (a bit each). */
_Static_assert(sizeof validation_rules / sizeof validation_rules[0] - 1 <= VALIDATION_RULE_MAX,
	       "validation_rules fit the walker's lists");

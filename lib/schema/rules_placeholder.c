/*
 * rules_placeholder.c - empty stand-ins for the four rules the V2 part of
 * issue 10 writes (ValuesOfCorrectType, ProvidedRequiredArguments,
 * VariablesInAllowedPosition, OverlappingFieldsCanBeMerged), so that the
 * rule table links before V2's branch is merged. V2 deletes this file.
 */
#include "validate_internal.h"

const validation_rule rule_values_of_correct_type = {"ValuesOfCorrectType", 0, NULL, NULL};
const validation_rule rule_provided_required_arguments = {"ProvidedRequiredArguments", 0, NULL, NULL};
const validation_rule rule_variables_in_allowed_position = {"VariablesInAllowedPosition", 0, NULL, NULL};
const validation_rule rule_overlapping_fields_can_be_merged = {"OverlappingFieldsCanBeMerged", 0, NULL, NULL};

/*
 * lib/version.c - run-time version and default limits.
 */
#include "internal.h"

unsigned ng_version(void) { return NG_VERSION_HEX; }

const char *ng_version_string(void) { return NG_VERSION_STRING; }

void ng_limits_default(ng_limits *l) {
  l->max_depth = NG_DEFAULT_MAX_DEPTH;
  l->max_stack = NG_DEFAULT_MAX_STACK;
  l->max_input = 0;
  l->max_string = 0;
  l->max_memory = 0;
  l->max_entity_expansion = NG_DEFAULT_MAX_ENTITY_EXPANSION;
  l->user_stack = 0;
}

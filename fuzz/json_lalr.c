/*
 * fuzz/json_lalr.c - the lalr engine alone.
 *
 * Oracles (ng_fuzz_engine in fuzz.c): no crash, hang or sanitizer
 * report; the result contract (document xor error, error position and
 * line/column consistent); the event API gives the same result and a
 * well-formed event stream matching the DOM; nothing leaked, every free
 * and realloc names the right size; inputs past the default max_depth are
 * parsed again with max_depth=0, so deep paths run as well.
 */
#include "fuzz_json.h"

NG_FUZZ_ENGINE(json, lalr, NG_JSON_LALR)

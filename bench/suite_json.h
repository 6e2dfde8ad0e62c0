/*
 * bench/suite_json.h - what the JSON suite lends the other JSON suites.
 */
#ifndef NG_BENCH_SUITE_JSON_H
#define NG_BENCH_SUITE_JSON_H

#include <stddef.h>

/*
 * A mixed JSON document of about `target` bytes (objects, strings with
 * escapes and UTF-8, integers, doubles, small nested arrays): what the
 * suites parse when the bench-data files are absent. Returns a malloc'd
 * buffer with its length in *len, or NULL when out of memory.
 */
char *ng_bench_json_mixed(size_t target, size_t *len);

#endif /* NG_BENCH_SUITE_JSON_H */

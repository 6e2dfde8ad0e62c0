/*
 * bench/suite_xml.h - what the XML suite lends the other suites.
 */
#ifndef NG_BENCH_SUITE_XML_H
#define NG_BENCH_SUITE_XML_H

#include <stddef.h>

/*
 * A mixed XML document of about `target` bytes (elements with attributes,
 * text with references, comments and CDATA): what the suites parse when
 * the bench-data files are absent. Returns a malloc'd buffer with its
 * length in *len, or NULL when out of memory.
 */
char *ng_bench_xml_mixed(size_t target, size_t *len);

#endif /* NG_BENCH_SUITE_XML_H */

/*
 * fuzz/xml_iterative.c - the iterative XML engine alone.
 *
 * Oracles (ng_fuzz_engine in fuzz.c, XML's hooks in fuzz_xml.c): no
 * crash, hang or sanitizer report; the result contract (document xor
 * error, error offset, line and column recomputed from the input); the
 * event API gives the same result and a well-formed stream counting what
 * the DOM holds; delivered text within the entity expansion limit;
 * nothing leaked; inputs past the default max_depth parsed again with
 * max_depth=0.
 */
#include "fuzz_xml.h"

NG_FUZZ_ENGINE(xml, iterative, NG_XML_ITERATIVE)

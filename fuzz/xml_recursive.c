/*
 * fuzz/xml_recursive.c - the recursive XML engine alone: the oracles of
 * fuzz/xml_iterative.c (ng_fuzz_engine in fuzz.c, XML's hooks in
 * fuzz_xml.c).
 */
#include "fuzz_xml.h"

NG_FUZZ_ENGINE(xml, recursive, NG_XML_RECURSIVE)

/*
 * fuzz/xml_recursive.c - the recursive XML engine alone: the oracles of
 * fuzz/xml_iterative.c (ng_fuzz_xml_engine in fuzz_xml.c).
 */
#include "fuzz_xml.h"

NG_FUZZ_XML_ENGINE(recursive, NG_XML_RECURSIVE)

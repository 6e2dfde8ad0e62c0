/*
 * nestguard.h - umbrella header: include this one.
 *
 * nestguard is a C11 parser-safety toolkit: a growable-stack task runtime
 * (nestguard/stack.h) and parsers whose every operation survives any nesting
 * depth (nestguard/json.h, nestguard/xml.h). See docs/architecture.md.
 *
 * It includes every public header in include/nestguard/, so a program
 * needs no other nestguard include; tests/test_docs.c checks that each one
 * is listed here.
 */
#ifndef NESTGUARD_H
#define NESTGUARD_H

#include "nestguard/version.h"
#include "nestguard/error.h"
#include "nestguard/alloc.h"
#include "nestguard/arena.h"
#include "nestguard/limits.h"
#include "nestguard/stack.h"
#include "nestguard/json.h"
#include "nestguard/xml.h"

#endif /* NESTGUARD_H */

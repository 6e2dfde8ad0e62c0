/*
 * tools/gen_nesting.c - the nesting generator, compiled into the CLI.
 *
 * fuzz/gen/gen_nesting.c is the one generator: the fuzz tool
 * (fuzz/fuzz.mk, fuzz/oss-fuzz/build.sh) builds it with its main(), the
 * tests include it, and this unit builds it without main() for
 * `nestguard gen` (tools/cli_gen.c). Every .c in tools/ joins the CLI, so
 * this file is how the CLI gets it without a second copy or a Makefile
 * rule of its own.
 */
#define NG_GEN_NO_MAIN
#include "../fuzz/gen/gen_nesting.c"

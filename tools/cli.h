/*
 * tools/cli.h - what the CLI's subcommand files share.
 */
#ifndef NG_TOOLS_CLI_H
#define NG_TOOLS_CLI_H

#include <stddef.h>

#include "nestguard.h"

/* Exit codes of the nestguard command. */
enum { NG_CLI_OK = 0, NG_CLI_REJECTED = 1, NG_CLI_USAGE = 2 };

typedef struct ng_cli_cmd {
  const char *name;                  /* subcommand word */
  const char *help;                  /* one line for usage */
  int (*run)(int argc, char **argv); /* argv[0] is the subcommand */
} ng_cli_cmd;

/*
 * Subcommands defined in the other tools/ source files, added to the table in
 * nestguard.c. Each entry ends with a comma.
 */
#define NG_CLI_EXTRA_COMMANDS                                                  \
  {"check", "validate a document: check [--format=json] [OPTIONS] FILE|-",     \
   ng_cli_check},                                                              \
      {"parse",                                                                \
       "parse and pretty-print: parse [--format=json] [OPTIONS] FILE|-",       \
       ng_cli_parse},

/* tools/cli_json.c: `check` and `parse` (JSON; --format picks the parser). */
int ng_cli_check(int argc, char **argv);
int ng_cli_parse(int argc, char **argv);

/*
 * Reads a whole file ("-" is stdin) into a malloc'd buffer. Returns 0, or
 * prints "nestguard: PATH: reason" and returns NG_CLI_USAGE.
 */
int ng_cli_read_file(const char *path, char **data, size_t *len);

/* Prints "FILE:LINE:COL: error: TEXT" for a rejected input. */
void ng_cli_report(const char *path, const ng_error *err);

#endif /* NG_TOOLS_CLI_H */

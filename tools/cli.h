/*
 * tools/cli.h - what the CLI's subcommand files share.
 */
#ifndef NG_TOOLS_CLI_H
#define NG_TOOLS_CLI_H

#include <stddef.h>

#include "nestguard.h"

/* Exit codes of the nestguard command. */
enum { NG_CLI_OK = 0, NG_CLI_REJECTED = 1, NG_CLI_USAGE = 2 };

/*
 * Default input cap (--max-input; --max-input=0 lifts it). The CLI holds
 * the whole input in memory, so without a cap `nestguard check /dev/zero`
 * or a runaway pipe would grow until the OOM killer ends it. 1 GiB is far
 * above any document one validates from a shell, yet bounds that case to
 * about 1 GiB of memory; it matches the default stack ceiling.
 */
#define NG_CLI_DEFAULT_MAX_INPUT ((size_t)1 << 30)

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
       ng_cli_parse},                                                          \
      {"gen",                                                                  \
       "adversarial nesting: gen [--shape=S] [--depth=N] [-o FILE|stdout]",    \
       ng_cli_gen},

/*
 * 1 if an argument after the subcommand (argv[0]) is --help or -h: the
 * subcommand then prints its usage on stdout and exits NG_CLI_OK, whatever
 * else is on the line. Defined in nestguard.c.
 */
int ng_cli_wants_help(int argc, char **argv);

/* The value of "--name=value" if arg is that option, else NULL. Defined in
 * nestguard.c. */
const char *ng_cli_opt_value(const char *arg, const char *name);

/* tools/cli_json.c: `check` and `parse` (JSON; --format picks the parser). */
int ng_cli_check(int argc, char **argv);
int ng_cli_parse(int argc, char **argv);

/* tools/cli_gen.c: `gen`, the adversarial nesting generator (streamed). */
int ng_cli_gen(int argc, char **argv);

/*
 * Reads a whole file ("-" is stdin) into a malloc'd buffer, never more than
 * max + 1 bytes (max 0: no cap). A regular file's size is checked before
 * anything is read; pipes and devices are read in bounded chunks. Returns
 * NG_CLI_OK with *data (free it) and *len; NG_CLI_REJECTED when the input
 * is longer than max, after printing "PATH:1:1: error: ... (EINPUTLIMIT,
 * byte MAX)"; or NG_CLI_USAGE after "nestguard: PATH: reason" (cannot
 * open, a directory, a read error, out of memory).
 */
int ng_cli_read_file(const char *path, size_t max, char **data, size_t *len);

/* Prints "FILE:LINE:COL: error: TEXT" for a rejected input. */
void ng_cli_report(const char *path, const ng_error *err);

#endif /* NG_TOOLS_CLI_H */

/*
 * tools/nestguard.c - the nestguard command-line tool.
 *
 * Exit codes (fixed): 0 ok / input accepted; 1 input rejected, with
 * "FILE:LINE:COL: error: TEXT" on stderr; 2 usage or I/O error.
 * Subcommands are a table: each parser area adds its entry in cli.h.
 * Every subcommand takes --help (or -h): its usage on stdout, exit 0.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const ng_cli_cmd commands[] = {
    {"help", "show this help", cmd_help},
    {"version", "print the library version", cmd_version},
    NG_CLI_EXTRA_COMMANDS{NULL, NULL, NULL},
};

static void usage(FILE *out) {
  const ng_cli_cmd *c;
  fprintf(out, "usage: nestguard COMMAND [OPTIONS] [FILE|-]\n\n"
               "commands:\n");
  for (c = commands; c->name != NULL; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->help);
  fprintf(out, "\nglobal options: --help, --version; "
               "COMMAND --help shows a command's usage\n"
               "exit status: 0 ok, 1 input rejected, 2 usage or I/O error\n");
}

int ng_cli_wants_help(int argc, char **argv) {
  int i;
  for (i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return 1;
  return 0;
}

const char *ng_cli_opt_value(const char *arg, const char *name) {
  size_t n = strlen(name);
  if (strncmp(arg, name, n) == 0 && arg[n] == '=')
    return arg + n + 1;
  return NULL;
}

static int cmd_help(int argc, char **argv) {
  (void)argc;
  (void)argv;
  usage(stdout);
  return NG_CLI_OK;
}

static int cmd_version(int argc, char **argv) {
  if (ng_cli_wants_help(argc, argv)) {
    printf("usage: nestguard version\n  print the library version\n");
    return NG_CLI_OK;
  }
  printf("nestguard %s\n", ng_version_string());
  return NG_CLI_OK;
}

int main(int argc, char **argv) {
  const ng_cli_cmd *c;

  if (argc < 2) {
    usage(stderr);
    return NG_CLI_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
    return cmd_help(argc - 1, argv + 1);
  if (strcmp(argv[1], "--version") == 0)
    return cmd_version(argc - 1, argv + 1);
  for (c = commands; c->name != NULL; c++)
    if (strcmp(argv[1], c->name) == 0)
      return c->run(argc - 1, argv + 1);
  fprintf(stderr, "nestguard: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return NG_CLI_USAGE;
}

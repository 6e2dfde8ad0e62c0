/*
 * tools/cli_check.c - `nestguard check` and `nestguard parse`, whatever
 * the format.
 *
 *   nestguard check [--format=json|xml] [--max-depth=N] [--max-stack=BYTES]
 *                   [--max-input=BYTES] [--max-string=BYTES]
 *                   [--max-memory=BYTES] [FORMAT OPTIONS] FILE|-
 *   nestguard parse [the same] [--compact] FILE|-
 *   nestguard check|parse --help|-h
 *
 * This file reads the options every format takes, finds the format, opens
 * the input and hands both to the format (tools/cli_json.c,
 * tools/cli_xml.c), which reads its own options and then the input in
 * chunks through its stream API. The format is --format, else the file
 * name's ending (each format's suffix list), else the first bytes: '<'
 * after an optional byte order mark and white space, in UTF-8 or in UTF-16
 * of either byte order, is XML; anything else is JSON. A format's option
 * is checked before the input is read: against the format when it is
 * known by then, else against every format, and again once the bytes have
 * decided.
 * Exit status: 0 accepted, 1 rejected ("FILE:LINE:COL: error: ..." on
 * stderr), 2 usage or I/O; --help prints the usage on stdout and exits 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* Every format, in --help order; the first is the fallback of inference. */
static const ng_cli_format *const formats[] = {&ng_cli_json, &ng_cli_xml};

#define NFORMATS (sizeof formats / sizeof formats[0])

static void usage(FILE *out, const char *cmd) {
  size_t i, k;

  fprintf(out,
          "usage: nestguard %s [--format=json|xml] [OPTIONS] FILE|-\n"
          "  --max-depth=N  --max-stack=BYTES  --max-input=BYTES\n"
          "  --max-string=BYTES  --max-memory=BYTES%s\n",
          cmd, strcmp(cmd, "parse") == 0 ? "  [--compact]" : "");
  for (i = 0; i < NFORMATS; i++)
    formats[i]->usage(out);
  fprintf(out, "without --format, the file name's ending decides:\n");
  for (i = 0; i < NFORMATS; i++) {
    fprintf(out, "  %s:", formats[i]->name);
    for (k = 0; formats[i]->suffixes[k] != NULL; k++)
      fprintf(out, " %s", formats[i]->suffixes[k]);
    fprintf(out, "\n");
  }
  fprintf(out,
          "  else the first bytes: '<' after a BOM or white space (UTF-8 or\n"
          "  UTF-16) is %s, anything else %s\n"
          "defaults: --max-input=1g (reading stops there), "
          "--max-depth=10000;\n"
          "sizes take a k, m or g suffix; 0 means unlimited\n",
          ng_cli_xml.name, formats[0]->name);
}

static int usage_error(const char *cmd, const char *what, const char *arg) {
  fprintf(stderr, "nestguard %s: %s%s%s\n", cmd, what, arg ? ": " : "",
          arg ? arg : "");
  usage(stderr, cmd);
  return NG_CLI_USAGE;
}

/* The format named v, or NULL. */
static const ng_cli_format *format_named(const char *v) {
  size_t i;

  for (i = 0; i < NFORMATS; i++)
    if (strcmp(v, formats[i]->name) == 0)
      return formats[i];
  return NULL;
}

/* The limit field a shared --max-* option sets, or NULL. */
static size_t *limit_of(ng_limits *lim, const char *a, const char **v) {
  if ((*v = ng_cli_opt_value(a, "--max-depth")) != NULL)
    return &lim->max_depth;
  if ((*v = ng_cli_opt_value(a, "--max-stack")) != NULL)
    return &lim->max_stack;
  if ((*v = ng_cli_opt_value(a, "--max-input")) != NULL)
    return &lim->max_input;
  if ((*v = ng_cli_opt_value(a, "--max-string")) != NULL)
    return &lim->max_string;
  if ((*v = ng_cli_opt_value(a, "--max-memory")) != NULL)
    return &lim->max_memory;
  return NULL;
}

/*
 * One argument into *a (or *fmt for --format); a format's own option is
 * moved to the front of argv, into a->rest. Returns 0 or NG_CLI_USAGE
 * (message printed).
 */
static int read_arg(ng_cli_args *a, const ng_cli_format **fmt, char **argv,
                    int i) {
  const char *arg = argv[i], *v;
  size_t *lim;

  if (strcmp(arg, "-") == 0 || arg[0] != '-') {
    if (a->path != NULL)
      return usage_error(a->cmd, "more than one input", arg);
    a->path = arg;
  } else if ((v = ng_cli_opt_value(arg, "--format")) != NULL) {
    if ((*fmt = format_named(v)) == NULL)
      return usage_error(a->cmd, "unsupported format", v);
  } else if ((lim = limit_of(&a->lim, arg, &v)) != NULL) {
    if (ng_cli_parse_size(v, lim) != 0)
      return usage_error(a->cmd, "invalid size", arg);
  } else if (a->is_parse && strcmp(arg, "--compact") == 0) {
    a->compact = 1;
  } else {
    a->rest[a->nrest++] = argv[i];
  }
  return 0;
}

/* What fmt (NULL: any format) says of a format option: NULL if one takes
 * it, else the most telling complaint (a bad value over "unknown"). */
static const char *judge_option(const ng_cli_format *fmt, const char *arg) {
  const char *why = "unknown option", *w;
  size_t f;

  for (f = 0; f < NFORMATS; f++) {
    if (fmt != NULL && fmt != formats[f])
      continue;
    if ((w = formats[f]->option(arg)) == NULL)
      return NULL;
    if (strcmp(w, "unknown option") != 0)
      why = w;
  }
  return why;
}

/* Checks the format options against fmt, or against every format when
 * fmt is NULL. Returns 0 or NG_CLI_USAGE (message printed). */
static int check_rest(const ng_cli_args *a, const ng_cli_format *fmt) {
  const char *why;
  int i;

  for (i = 0; i < a->nrest; i++) {
    if ((why = judge_option(fmt, a->rest[i])) == NULL)
      continue;
    fprintf(stderr, "nestguard %s: %s%s%s: %s\n", a->cmd, why,
            fmt ? " for " : "", fmt ? fmt->name : "", a->rest[i]);
    usage(stderr, a->cmd);
    return NG_CLI_USAGE;
  }
  return 0;
}

/* The format whose suffix ends path, or NULL ("-" has none). */
static const ng_cli_format *format_of_name(const char *path) {
  size_t n = strlen(path), f, k;

  for (f = 0; f < NFORMATS; f++)
    for (k = 0; formats[f]->suffixes[k] != NULL; k++) {
      const char *s = formats[f]->suffixes[k];
      size_t m = strlen(s);
      if (n > m && strcasecmp(path + n - m, s) == 0)
        return formats[f];
    }
  return NULL;
}

/*
 * Whether the document starts with '<' once a byte order mark and white
 * space are skipped, reading 16-bit units when a UTF-16 BOM or a zero
 * byte among the first two says so (XML 1.0 Appendix F's patterns).
 */
static int starts_with_lt(const unsigned char *p, size_t len) {
  size_t i = 0, unit = 1, lo = 0;

  if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
    i = 3;
  } else if (len >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) ||
                          (p[0] == 0xFF && p[1] == 0xFE))) {
    i = 2;
    unit = 2;
    lo = p[0] == 0xFF ? 0 : 1; /* FF FE: little-endian */
  } else if (len >= 2 && (p[0] == 0) != (p[1] == 0)) {
    unit = 2;
    lo = p[0] == 0 ? 1 : 0; /* 00 3C: big-endian */
  }
  for (; i + unit <= len; i += unit) {
    unsigned c = p[i + lo];
    if (unit == 2 && p[i + 1 - lo] != 0)
      return 0;
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      return c == '<';
  }
  return 0;
}

/* Reads argv into *a and *fmt (NULL: not given). rest points into argv.
 * Returns 0, or NG_CLI_USAGE (message printed), or -1 for --help. */
static int read_args(int argc, char **argv, int is_parse, ng_cli_args *a,
                     const ng_cli_format **fmt) {
  int i, rc;

  memset(a, 0, sizeof *a);
  a->cmd = argv[0];
  a->is_parse = is_parse;
  a->rest = argv + 1;
  ng_limits_default(&a->lim);
  a->lim.max_input = NG_CLI_DEFAULT_MAX_INPUT;
  *fmt = NULL;
  /* --help wins wherever it stands, even next to a bad option. */
  if (ng_cli_wants_help(argc, argv))
    return -1;
  for (i = 1; i < argc; i++)
    if ((rc = read_arg(a, fmt, argv, i)) != 0)
      return rc;
  if (a->path == NULL)
    return usage_error(a->cmd, "no input file", NULL);
  if (*fmt == NULL)
    *fmt = format_of_name(a->path);
  return check_rest(a, *fmt);
}

/* check or parse: arguments, --help, the format, the input, its work. */
static int run(int argc, char **argv, int is_parse) {
  const ng_cli_format *fmt;
  ng_cli_args a;
  ng_cli_input in;
  int rc;

  rc = read_args(argc, argv, is_parse, &a, &fmt);
  if (rc == -1) {
    usage(stdout, argv[0]);
    return fflush(stdout) == 0 ? NG_CLI_OK : NG_CLI_USAGE;
  }
  if (rc != 0)
    return rc;
  if ((rc = ng_cli_input_open(a.path, a.lim.max_input, &in)) != NG_CLI_OK)
    return rc;
  if (fmt == NULL) {
    fmt = starts_with_lt((const unsigned char *)in.p, in.len) ? &ng_cli_xml
                                                               : formats[0];
    if ((rc = check_rest(&a, fmt)) != 0) {
      ng_cli_input_close(&in);
      return rc;
    }
  }
  return fmt->stream(&a, &in);
}

int ng_cli_check(int argc, char **argv) { return run(argc, argv, 0); }

int ng_cli_parse(int argc, char **argv) { return run(argc, argv, 1); }

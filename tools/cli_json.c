/*
 * tools/cli_json.c - `nestguard check` and `nestguard parse` for JSON.
 *
 *   nestguard check [--format=json] [--engine=E] [--max-depth=N]
 *                   [--max-stack=BYTES] [--max-input=BYTES]
 *                   [--max-string=BYTES] [--max-memory=BYTES]
 *                   [--dupkeys=keep|reject|last] [--bigint-reject]
 *                   [--allow-lone-surrogates] FILE|-
 *   nestguard parse [same options] [--compact] FILE|-
 *   nestguard check|parse --help|-h
 *
 * check validates (through the event API, so no document is built unless
 * the duplicate-key policy needs one); parse builds the document and writes
 * it back, pretty-printed unless --compact. Exit status: 0 accepted,
 * 1 rejected ("FILE:LINE:COL: error: ..." on stderr), 2 usage or I/O.
 * --help prints the usage on stdout and exits 0. Sizes accept a k, m or g
 * suffix (powers of 1024); 0 means unlimited. --max-input defaults to
 * NG_CLI_DEFAULT_MAX_INPUT (1 GiB), and no more than that is ever read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nestguard/json.h"

typedef struct cli_opts {
  ng_json_options opt; /* parser options */
  const char *path;    /* FILE or "-" */
  int compact;         /* parse: one line */
  int help;            /* --help or -h: print the usage, nothing else */
} cli_opts;

static void usage(FILE *out, const char *cmd) {
  fprintf(out,
          "usage: nestguard %s [--format=json] [--engine=iterative|recursive|"
          "trampoline|lalr]\n"
          "         [--max-depth=N] [--max-stack=BYTES] [--max-input=BYTES]\n"
          "         [--max-string=BYTES] [--max-memory=BYTES]\n"
          "         [--dupkeys=keep|reject|last] [--bigint-reject]\n"
          "         [--allow-lone-surrogates]%s FILE|-\n"
          "defaults: --max-input=1g (reading stops there), "
          "--max-depth=10000;\n"
          "sizes take a k, m or g suffix; 0 means unlimited\n",
          cmd, strcmp(cmd, "parse") == 0 ? " [--compact]" : "");
}

static int usage_error(const char *cmd, const char *what, const char *arg) {
  fprintf(stderr, "nestguard %s: %s%s%s\n", cmd, what, arg ? ": " : "",
          arg ? arg : "");
  usage(stderr, cmd);
  return NG_CLI_USAGE;
}

/* Parses a size: decimal digits with an optional k/m/g suffix. */
static int parse_size(const char *s, size_t *out) {
  unsigned long long v;
  char *end;
  unsigned shift = 0;

  if (*s < '0' || *s > '9')
    return -1;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (errno != 0)
    return -1;
  if (*end == 'k' || *end == 'K')
    shift = 10;
  else if (*end == 'm' || *end == 'M')
    shift = 20;
  else if (*end == 'g' || *end == 'G')
    shift = 30;
  if (shift != 0)
    end++;
  if (*end != '\0' || v > (SIZE_MAX >> shift))
    return -1;
  *out = (size_t)v << shift;
  return 0;
}

/* The value of "--name=value" if arg is that option, else NULL. */
static const char *opt_value(const char *arg, const char *name) {
  size_t n = strlen(name);
  if (strncmp(arg, name, n) == 0 && arg[n] == '=')
    return arg + n + 1;
  return NULL;
}

static int parse_size_opt(const char *cmd, const char *arg, const char *v,
                          size_t *out) {
  if (parse_size(v, out) != 0)
    return usage_error(cmd, "invalid size", arg);
  return 0;
}

/* Reads argv into *c. Returns 0 or NG_CLI_USAGE (message printed). */
static int parse_args(int argc, char **argv, int is_parse, cli_opts *c) {
  const char *cmd = argv[0], *v;
  int i, rc;

  memset(c, 0, sizeof *c);
  ng_json_options_default(&c->opt);
  c->opt.limits.max_input = NG_CLI_DEFAULT_MAX_INPUT;
  /* --help wins wherever it stands, even next to a bad option. */
  if (ng_cli_wants_help(argc, argv)) {
    c->help = 1;
    return 0;
  }
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    size_t *lim = NULL;
    if (strcmp(a, "-") == 0 || a[0] != '-') {
      if (c->path != NULL)
        return usage_error(cmd, "more than one input", a);
      c->path = a;
      continue;
    }
    if ((v = opt_value(a, "--format")) != NULL) {
      if (strcmp(v, "json") != 0)
        return usage_error(cmd, "unsupported format", v);
    } else if ((v = opt_value(a, "--engine")) != NULL) {
      if (ng_json_engine_from_name(v, &c->opt.engine) != NG_OK)
        return usage_error(cmd, "unknown engine", v);
    } else if ((v = opt_value(a, "--dupkeys")) != NULL) {
      if (strcmp(v, "keep") == 0)
        c->opt.dupkeys = NG_JSON_DUP_KEEP;
      else if (strcmp(v, "reject") == 0)
        c->opt.dupkeys = NG_JSON_DUP_REJECT;
      else if (strcmp(v, "last") == 0)
        c->opt.dupkeys = NG_JSON_DUP_LAST;
      else
        return usage_error(cmd, "unknown duplicate-key policy", v);
    } else if (strcmp(a, "--bigint-reject") == 0) {
      c->opt.flags |= NG_JSON_BIGINT_REJECT;
    } else if (strcmp(a, "--allow-lone-surrogates") == 0) {
      c->opt.flags |= NG_JSON_ALLOW_LONE_SURROGATES;
    } else if (is_parse && strcmp(a, "--compact") == 0) {
      c->compact = 1;
    } else {
      if ((v = opt_value(a, "--max-depth")) != NULL)
        lim = &c->opt.limits.max_depth;
      else if ((v = opt_value(a, "--max-stack")) != NULL)
        lim = &c->opt.limits.max_stack;
      else if ((v = opt_value(a, "--max-input")) != NULL)
        lim = &c->opt.limits.max_input;
      else if ((v = opt_value(a, "--max-string")) != NULL)
        lim = &c->opt.limits.max_string;
      else if ((v = opt_value(a, "--max-memory")) != NULL)
        lim = &c->opt.limits.max_memory;
      else
        return usage_error(cmd, "unknown option", a);
      if ((rc = parse_size_opt(cmd, a, v, lim)) != 0)
        return rc;
    }
  }
  if (c->path == NULL)
    return usage_error(cmd, "no input file", NULL);
  return 0;
}

/* --help: the usage on stdout, exit 0. */
static int print_help(const char *cmd) {
  usage(stdout, cmd);
  return fflush(stdout) == 0 ? NG_CLI_OK : NG_CLI_USAGE;
}

/* Reports a parse failure: 1 for a rejected input, 2 for a resource or
 * usage problem that says nothing about the input. */
static int fail_status(const cli_opts *c, const ng_error *err) {
  if (err->code == NG_EINVAL) {
    fprintf(stderr, "nestguard: %s: %s\n", c->path,
            err->msg[0] ? err->msg : ng_strerror(err->code));
    return NG_CLI_USAGE;
  }
  ng_cli_report(c->path, err);
  return NG_CLI_REJECTED;
}

/* check: validates data[0..len) and frees it. Returns the exit status. */
static int check_data(const cli_opts *c, char *data, size_t len) {
  ng_error err;
  int rc;

  /* Only the DOM can see duplicate keys; otherwise validate by events. */
  if (c->opt.dupkeys == NG_JSON_DUP_KEEP) {
    rc = ng_json_parse_events(data, len, &c->opt, NULL, &err);
  } else {
    ng_json_doc *doc;
    rc = ng_json_parse(data, len, &c->opt, &doc, &err);
    ng_json_doc_free(doc);
  }
  free(data);
  return rc == NG_OK ? NG_CLI_OK : fail_status(c, &err);
}

static int write_stdout(void *ud, const char *data, size_t len) {
  (void)ud;
  return fwrite(data, 1, len, stdout) == len ? 0 : 1;
}

/* parse: parses data[0..len), frees it (before writing, to keep the peak
 * low) and writes the document to stdout. Returns the exit status. */
static int parse_data(const cli_opts *c, char *data, size_t len) {
  ng_error err;
  ng_json_doc *doc;
  int rc;

  rc = ng_json_parse(data, len, &c->opt, &doc, &err);
  free(data);
  if (rc != NG_OK)
    return fail_status(c, &err);
  rc = ng_json_write_cb(ng_json_doc_root(doc),
                        c->compact ? 0 : NG_JSON_WRITE_PRETTY, write_stdout,
                        NULL);
  ng_json_doc_free(doc);
  if (rc == NG_OK && (fputc('\n', stdout) == EOF || fflush(stdout) != 0))
    rc = NG_EIO;
  if (rc != NG_OK) {
    fprintf(stderr, "nestguard: writing output: %s\n", ng_strerror(rc));
    return NG_CLI_USAGE;
  }
  return NG_CLI_OK;
}

/* check or parse: arguments, --help, the input (never more of it than
 * --max-input + 1 bytes), then the command's work. */
static int run(int argc, char **argv, int is_parse) {
  cli_opts c;
  char *data;
  size_t len;
  int rc;

  if ((rc = parse_args(argc, argv, is_parse, &c)) != 0)
    return rc;
  if (c.help)
    return print_help(argv[0]);
  rc = ng_cli_read_file(c.path, c.opt.limits.max_input, &data, &len);
  if (rc != NG_CLI_OK)
    return rc;
  return is_parse ? parse_data(&c, data, len) : check_data(&c, data, len);
}

int ng_cli_check(int argc, char **argv) { return run(argc, argv, 0); }

int ng_cli_parse(int argc, char **argv) { return run(argc, argv, 1); }

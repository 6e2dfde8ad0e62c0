/*
 * tools/cli.h - what the CLI's subcommand files share.
 */
#ifndef NG_TOOLS_CLI_H
#define NG_TOOLS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "nestguard.h"

/* Exit codes of the nestguard command. */
enum { NG_CLI_OK = 0, NG_CLI_REJECTED = 1, NG_CLI_USAGE = 2 };

/*
 * Default input cap (--max-input; --max-input=0 lifts it). The CLI holds
 * one chunk of its input, but `parse` builds a document, so without a cap
 * `nestguard parse /dev/zero`-like input or a runaway pipe could grow it
 * until the OOM killer ends it, and `check` would never end. 1 GiB is far
 * above any document one validates from a shell; it matches the default
 * stack ceiling.
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
  {"check", "validate a document: check [--format=json|xml] [OPTIONS] FILE|-", \
   ng_cli_check},                                                              \
      {"parse",                                                                \
       "parse and pretty-print: parse [--format=json|xml] [OPTIONS] FILE|-",   \
       ng_cli_parse},                                                          \
      {"gen",                                                                  \
       "adversarial nesting: gen [--shape=S] [--depth=N] [--format=json|xml] " \
       "[-o FILE|stdout]",                                                     \
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

/* tools/cli_check.c: `check` and `parse`, for every format in
 * ng_cli_formats: the shared options, the format, the input, then the
 * format's own work. */
int ng_cli_check(int argc, char **argv);
int ng_cli_parse(int argc, char **argv);

/*
 * What `check` and `parse` read from argv before the format is known: the
 * options every format takes. The format's own options are left in
 * rest[0..nrest), in order, for it to read.
 */
typedef struct ng_cli_args {
  const char *cmd;  /* "check" or "parse" */
  const char *path; /* FILE or "-" */
  ng_limits lim;    /* --max-depth, -stack, -input, -string, -memory over
                       ng_limits_default(), max_input the CLI's default */
  int is_parse;     /* parse: write the document back */
  int compact;      /* parse --compact: no added white space */
  char **rest;      /* the format's own options */
  int nrest;        /* how many */
} ng_cli_args;

/* Bytes the CLI reads at a time: what a streaming format holds of its
 * input, whatever the input's size. */
#define NG_CLI_CHUNK ((size_t)1 << 16)

/* An input read in chunks: p[0..len) is the chunk in hand. */
typedef struct ng_cli_input {
  const char *path; /* FILE or "-" (stdin) */
  int fd;           /* -1 once closed */
  size_t max;       /* --max-input (0: no cap) */
  char *p;          /* the chunk in hand, NG_CLI_CHUNK bytes allocated */
  size_t len;       /* bytes in it; 0 with eof set: the input has ended */
  int eof;          /* the end was read */
} ng_cli_input;

/*
 * Opens path ("-" is stdin) and reads its first chunk, which decides the
 * format when nothing else did. A regular file longer than max (0: no
 * cap) is refused from its size before anything is read. Returns
 * NG_CLI_OK; NG_CLI_REJECTED after "PATH:1:1: error: ... (EINPUTLIMIT,
 * byte MAX)"; or NG_CLI_USAGE after "nestguard: PATH: reason" (cannot
 * open, a directory, a read error, out of memory). On failure the input
 * is closed.
 */
int ng_cli_input_open(const char *path, size_t max, ng_cli_input *in);

/* Replaces the chunk in hand with the next one (len 0 at the end).
 * Returns NG_CLI_OK, or NG_CLI_USAGE after the message (input closed). */
int ng_cli_input_next(ng_cli_input *in);

/* A format's feed: ng_json_stream_feed or ng_xml_stream_feed on stream. */
typedef int (*ng_cli_feed_fn)(void *stream, const char *data, size_t len,
                              ng_error *err);

/*
 * Feeds the whole input to stream, the chunk in hand first, at most chunk
 * bytes a feed, reading the next chunk as each is used up. Returns NG_OK
 * at the end of the input, the stream's error, or -1 after a read error
 * (message printed, input closed).
 */
int ng_cli_feed(ng_cli_input *in, size_t chunk, ng_cli_feed_fn feed,
                void *stream, ng_error *err);

/* Closes the input and frees its chunk; a second call is a no-op. */
void ng_cli_input_close(ng_cli_input *in);

/*
 * A format `check` and `parse` handle. option() reads one of the format's
 * own options (an argument that starts with "--") into nothing, to check
 * it, and returns NULL if the format takes it, else what is wrong
 * ("unknown option", "unknown engine"). stream() reads a->rest the same
 * way, then checks or parses the input (its first chunk in hand) as
 * a->is_parse says, through the format's stream API a chunk at a time;
 * it closes the input and returns the exit status. usage() prints the
 * format's options for --help, engine names included.
 */
typedef struct ng_cli_format {
  const char *name;            /* --format value: "json", "xml" */
  const char *const *suffixes; /* file name endings, NULL-terminated,
                                  matched without regard to case */
  const char *(*option)(const char *arg);
  void (*usage)(FILE *out);
  int (*stream)(const ng_cli_args *a, ng_cli_input *in);
} ng_cli_format;

/* The formats, each defined in its tools/cli_FORMAT.c. */
extern const ng_cli_format ng_cli_json;
extern const ng_cli_format ng_cli_xml;

/*
 * Prints "  --engine=a|b|c (default b)" from an engine-name function
 * (name(i) for i from 0 until it returns NULL; dflt the default's i), so
 * --help lists the engines the library has without an edit here.
 */
void ng_cli_usage_engines(FILE *out, const char *(*name)(unsigned i),
                          unsigned dflt);

/* Parses a size: decimal digits with an optional k, m or g suffix (powers
 * of 1024). Returns 0 and *out, or -1. */
int ng_cli_parse_size(const char *s, size_t *out);

/*
 * The exit status of a failed parse: NG_CLI_REJECTED after the
 * "FILE:LINE:COL: error:" report for a rejected input, or NG_CLI_USAGE
 * after "nestguard: FILE: reason" for NG_EINVAL, which says nothing about
 * the input.
 */
int ng_cli_fail(const char *path, const ng_error *err);

/* A writer sink to stdout (ud unused): 0, or 1 on a short write. */
int ng_cli_write_stdout(void *ud, const char *data, size_t len);

/* Ends `parse` output: rc (a writer's result) and then a newline and a
 * flush; on failure a message on stderr. Returns the exit status. */
int ng_cli_end_output(int rc);

/* tools/cli_gen.c: `gen`, the adversarial nesting generator (streamed). */
int ng_cli_gen(int argc, char **argv);

/* Prints "FILE:LINE:COL: error: TEXT" for a rejected input. */
void ng_cli_report(const char *path, const ng_error *err);

#endif /* NG_TOOLS_CLI_H */

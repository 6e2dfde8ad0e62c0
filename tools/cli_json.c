/*
 * tools/cli_json.c - JSON for `nestguard check` and `nestguard parse`.
 *
 *   nestguard check|parse [--format=json] [shared options]
 *                   [--engine=E] [--dupkeys=keep|reject|last]
 *                   [--bigint-reject] [--allow-lone-surrogates]
 *                   [--seq] [--chunk=BYTES] FILE|-
 *
 * tools/cli_check.c reads the shared options and opens the input; this
 * file reads JSON's own options and feeds the input to a stream
 * (ng_json_stream_*) one read at a time (NG_CLI_CHUNK bytes), in feeds
 * of at most --chunk bytes: check validates through events, holding a
 * chunk and the parser's state whatever the input's size (a DOM only when
 * the duplicate-key policy needs one), and parse builds the document and
 * writes it back, pretty-printed unless --compact. With --seq the input is
 * a sequence of documents; parse writes each as it ends, one a line with
 * --compact. Errors are reported at their position in the whole input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nestguard/json.h"

/* What JSON's own options set: the parser's options and the reading. */
typedef struct json_args {
  ng_json_options o; /* the parser's options */
  int seq;           /* --seq: a sequence of documents */
  size_t chunk;      /* --chunk: bytes a feed takes at most */
} json_args;

/* JSON's own option arg into *j. Returns NULL or what is wrong. */
static const char *set_option(json_args *j, const char *arg) {
  ng_json_options *o = &j->o;
  const char *v;

  if ((v = ng_cli_opt_value(arg, "--engine")) != NULL) {
    if (ng_json_engine_from_name(v, &o->engine) != NG_OK)
      return "unknown engine";
  } else if ((v = ng_cli_opt_value(arg, "--dupkeys")) != NULL) {
    if (strcmp(v, "keep") == 0)
      o->dupkeys = NG_JSON_DUP_KEEP;
    else if (strcmp(v, "reject") == 0)
      o->dupkeys = NG_JSON_DUP_REJECT;
    else if (strcmp(v, "last") == 0)
      o->dupkeys = NG_JSON_DUP_LAST;
    else
      return "unknown duplicate-key policy";
  } else if ((v = ng_cli_opt_value(arg, "--chunk")) != NULL) {
    if (ng_cli_parse_size(v, &j->chunk) != 0 || j->chunk == 0)
      return "invalid chunk size";
  } else if (strcmp(arg, "--seq") == 0) {
    j->seq = 1;
  } else if (strcmp(arg, "--bigint-reject") == 0) {
    o->flags |= NG_JSON_BIGINT_REJECT;
  } else if (strcmp(arg, "--allow-lone-surrogates") == 0) {
    o->flags |= NG_JSON_ALLOW_LONE_SURROGATES;
  } else {
    return "unknown option";
  }
  return NULL;
}

/* The defaults of JSON's own options. */
static void args_default(json_args *j) {
  ng_json_options_default(&j->o);
  j->seq = 0;
  j->chunk = NG_CLI_CHUNK;
}

static const char *option(const char *arg) {
  json_args j;

  args_default(&j);
  return set_option(&j, arg);
}

/* JSON's options of a: the shared limits, then JSON's own options
 * (checked by tools/cli_check.c before the input was opened). */
static void options_of(const ng_cli_args *a, json_args *j) {
  int i;

  args_default(j);
  j->o.limits = a->lim;
  for (i = 0; i < a->nrest; i++)
    (void)set_option(j, a->rest[i]);
}

/* Writes a document to stdout as parse writes it. Returns the writer's
 * result. */
static int write_doc(const ng_cli_args *a, const ng_json_doc *doc) {
  return ng_json_write_cb(ng_json_doc_root(doc),
                          a->compact ? 0 : NG_JSON_WRITE_PRETTY,
                          ng_cli_write_stdout, NULL);
}

/* A stream's context for on_document. */
typedef struct json_run {
  const ng_cli_args *a;
  int out_rc; /* the first writer failure, else NG_OK */
} json_run;

/* parse --seq: writes each document as it ends, then frees it. */
static int on_document(void *ud, ng_json_doc *doc, size_t index) {
  json_run *r = ud;

  (void)index;
  r->out_rc = write_doc(r->a, doc);
  if (r->out_rc == NG_OK && fputc('\n', stdout) == EOF)
    r->out_rc = NG_EIO;
  ng_json_doc_free(doc);
  return r->out_rc != NG_OK;
}

/* ng_json_stream_feed as ng_cli_feed calls it. */
static int feed(void *s, const char *data, size_t len, ng_error *err) {
  return ng_json_stream_feed(s, data, len, err);
}

/* The stream's configuration: check validates by events unless the
 * duplicate-key policy needs a DOM; parse --seq writes documents as they
 * end. */
static void config_of(const ng_cli_args *a, const json_args *j, json_run *r,
                      ng_json_stream_config *cfg) {
  static const ng_json_events no_events;

  memset(cfg, 0, sizeof *cfg);
  cfg->opt = &j->o;
  if (!a->is_parse && j->o.dupkeys == NG_JSON_DUP_KEEP)
    cfg->events = &no_events;
  if (j->seq)
    cfg->flags = NG_JSON_STREAM_SEQ;
  if (j->seq && a->is_parse) {
    cfg->on_document = on_document;
    cfg->ud = r;
  }
}

/* The exit status once the input is read: a --seq document that could
 * not be written, the stream's error, or parse's single document written.
 * Frees doc. */
static int conclude(const ng_cli_args *a, const json_run *r, int rc,
                    const ng_error *err, ng_json_doc *doc) {
  int out;

  if (r->out_rc != NG_OK)
    return ng_cli_end_output(r->out_rc);
  if (rc != NG_OK)
    return ng_cli_fail(a->path, err);
  if (doc == NULL) /* check, or parse --seq: written already */
    return fflush(stdout) == 0 ? NG_CLI_OK : ng_cli_end_output(NG_EIO);
  out = write_doc(a, doc);
  ng_json_doc_free(doc);
  return ng_cli_end_output(out);
}

/* check and parse, reading the input in chunks through a stream: check
 * holds one chunk and the parser's state, parse the document too. */
static int stream(const ng_cli_args *a, ng_cli_input *in) {
  json_args j;
  json_run r = {a, NG_OK};
  ng_json_stream_config cfg;
  ng_json_stream *s;
  ng_json_doc *doc = NULL;
  ng_error err;
  int rc;

  options_of(a, &j);
  config_of(a, &j, &r, &cfg);
  if ((rc = ng_json_stream_new(&cfg, &s)) != NG_OK) {
    ng_cli_input_close(in);
    fprintf(stderr, "nestguard: %s: %s\n", a->path, ng_strerror(rc));
    return NG_CLI_USAGE;
  }
  rc = ng_cli_feed(in, j.chunk, feed, s, &err);
  ng_cli_input_close(in);
  if (rc == NG_OK)
    rc = ng_json_stream_finish(s, a->is_parse ? &doc : NULL, &err);
  ng_json_stream_free(s);
  return rc == -1 ? NG_CLI_USAGE : conclude(a, &r, rc, &err, doc);
}

static const char *engine(unsigned i) {
  return i < NG_JSON_ENGINE_COUNT ? ng_json_engine_name((ng_json_engine)i)
                                  : NULL;
}

static void usage(FILE *out) {
  ng_json_options o;

  ng_json_options_default(&o);
  fprintf(out, "json options:\n");
  ng_cli_usage_engines(out, engine, (unsigned)o.engine);
  fprintf(out,
          "  --dupkeys=keep|reject|last  --bigint-reject  "
          "--allow-lone-surrogates\n"
          "  --seq (a sequence of documents: NDJSON, concatenated JSON)\n"
          "  --chunk=BYTES (bytes a feed takes, default %zu)\n",
          NG_CLI_CHUNK);
}

static const char *const suffixes[] = {".json", NULL};

const ng_cli_format ng_cli_json = {"json", suffixes, option, usage, stream};

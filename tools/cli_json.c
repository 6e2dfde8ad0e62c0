/*
 * tools/cli_json.c - JSON for `nestguard check` and `nestguard parse`.
 *
 *   nestguard check|parse [--format=json] [shared options]
 *                   [--engine=E] [--dupkeys=keep|reject|last]
 *                   [--bigint-reject] [--allow-lone-surrogates] FILE|-
 *
 * tools/cli_check.c reads the shared options and the input; this file
 * reads JSON's own options, then check validates (through the event API,
 * so no document is built unless the duplicate-key policy needs one) and
 * parse builds the document and writes it back, pretty-printed unless
 * --compact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nestguard/json.h"

/* JSON's own option arg into *o. Returns NULL or what is wrong. */
static const char *set_option(ng_json_options *o, const char *arg) {
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
  } else if (strcmp(arg, "--bigint-reject") == 0) {
    o->flags |= NG_JSON_BIGINT_REJECT;
  } else if (strcmp(arg, "--allow-lone-surrogates") == 0) {
    o->flags |= NG_JSON_ALLOW_LONE_SURROGATES;
  } else {
    return "unknown option";
  }
  return NULL;
}

static const char *option(const char *arg) {
  ng_json_options o;

  ng_json_options_default(&o);
  return set_option(&o, arg);
}

/* The parser options of a: the shared limits, then JSON's own options
 * (checked by tools/cli_check.c before the input was read). */
static void options_of(const ng_cli_args *a, ng_json_options *o) {
  int i;

  ng_json_options_default(o);
  o->limits = a->lim;
  for (i = 0; i < a->nrest; i++)
    (void)set_option(o, a->rest[i]);
}

/* check: validates data[0..len) and frees it. Returns the exit status. */
static int check_data(const ng_cli_args *a, const ng_json_options *o,
                      char *data, size_t len) {
  ng_error err;
  int rc;

  /* Only the DOM can see duplicate keys; otherwise validate by events. */
  if (o->dupkeys == NG_JSON_DUP_KEEP) {
    rc = ng_json_parse_events(data, len, o, NULL, &err);
  } else {
    ng_json_doc *doc;
    rc = ng_json_parse(data, len, o, &doc, &err);
    ng_json_doc_free(doc);
  }
  free(data);
  return rc == NG_OK ? NG_CLI_OK : ng_cli_fail(a->path, &err);
}

/* parse: parses data[0..len), frees it (before writing, to keep the peak
 * low) and writes the document to stdout. Returns the exit status. */
static int parse_data(const ng_cli_args *a, const ng_json_options *o,
                      char *data, size_t len) {
  ng_error err;
  ng_json_doc *doc;
  int rc;

  rc = ng_json_parse(data, len, o, &doc, &err);
  free(data);
  if (rc != NG_OK)
    return ng_cli_fail(a->path, &err);
  rc = ng_json_write_cb(ng_json_doc_root(doc),
                        a->compact ? 0 : NG_JSON_WRITE_PRETTY,
                        ng_cli_write_stdout, NULL);
  ng_json_doc_free(doc);
  return ng_cli_end_output(rc);
}

static int run(const ng_cli_args *a, char *data, size_t len) {
  ng_json_options o;

  options_of(a, &o);
  return a->is_parse ? parse_data(a, &o, data, len)
                     : check_data(a, &o, data, len);
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
  fprintf(out, "  --dupkeys=keep|reject|last  --bigint-reject  "
               "--allow-lone-surrogates\n");
}

static const char *const suffixes[] = {".json", NULL};

const ng_cli_format ng_cli_json = {"json", suffixes, option, run, usage};

/*
 * tools/cli_xml.c - XML for `nestguard check` and `nestguard parse`.
 *
 *   nestguard check|parse [--format=xml] [shared options] [--engine=E]
 *                   [--ns] [--max-entity-expansion=BYTES] [--keep-cdata]
 *                   FILE|-
 *
 * tools/cli_check.c reads the shared options and opens the input; this
 * file reads XML's own options and feeds the input to a stream
 * (ng_xml_stream_*) one read at a time (NG_CLI_CHUNK bytes), in whatever
 * encoding it is: check validates well-formedness (and with --ns,
 * namespace well-formedness) through events, building no document and
 * holding a chunk and the parser's state whatever the input's size, and
 * parse builds the document and writes it back in UTF-8
 * with ng_xml_write_cb, whatever the input's encoding: pretty-printed
 * (white space added only between elements that had no text between
 * them) unless --compact, which writes text that parses back to an equal
 * document. External entities and the external
 * subset are never loaded; entity expansion is bounded by
 * --max-entity-expansion (default 1 MiB; 0 leaves only the library's
 * amplification ratio, which cannot be switched off).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nestguard/xml.h"

/* XML's own option arg into *o. Returns NULL or what is wrong. */
static const char *set_option(ng_xml_options *o, const char *arg) {
  const char *v;

  if ((v = ng_cli_opt_value(arg, "--engine")) != NULL) {
    if (ng_xml_engine_from_name(v, &o->engine) != NG_OK)
      return "unknown engine";
  } else if ((v = ng_cli_opt_value(arg, "--max-entity-expansion")) != NULL) {
    if (ng_cli_parse_size(v, &o->limits.max_entity_expansion) != 0)
      return "invalid size";
  } else if (strcmp(arg, "--keep-cdata") == 0) {
    o->flags |= NG_XML_KEEP_CDATA;
  } else if (strcmp(arg, "--ns") == 0) {
    o->flags |= NG_XML_NAMESPACES;
  } else {
    return "unknown option";
  }
  return NULL;
}

static const char *option(const char *arg) {
  ng_xml_options o;

  ng_xml_options_default(&o);
  return set_option(&o, arg);
}

/* The parser options of a: the shared limits, then XML's own options
 * (checked by tools/cli_check.c before the input was read). */
static void options_of(const ng_cli_args *a, ng_xml_options *o) {
  int i;

  ng_xml_options_default(o);
  o->limits = a->lim;
  for (i = 0; i < a->nrest; i++)
    (void)set_option(o, a->rest[i]);
}

/* ng_xml_stream_feed as ng_cli_feed calls it. */
static int feed(void *s, const char *data, size_t len, ng_error *err) {
  return ng_xml_stream_feed(s, data, len, err);
}

/* parse: writes doc to stdout and frees it. Returns the exit status. */
static int write_doc(const ng_cli_args *a, ng_xml_doc *doc) {
  int rc = ng_xml_write_cb(ng_xml_doc_node(doc),
                           a->compact ? 0 : NG_XML_WRITE_PRETTY,
                           ng_cli_write_stdout, NULL);

  ng_xml_doc_free(doc);
  return ng_cli_end_output(rc);
}

/* check and parse, reading the input in chunks through a stream: check
 * holds one chunk and the parser's state, parse the document too. */
static int stream(const ng_cli_args *a, ng_cli_input *in) {
  static const ng_xml_events no_events;
  ng_xml_stream_config cfg;
  ng_xml_options o;
  ng_xml_stream *s;
  ng_xml_doc *doc = NULL;
  ng_error err;
  int rc;

  options_of(a, &o);
  memset(&cfg, 0, sizeof cfg);
  cfg.opt = &o;
  cfg.events = a->is_parse ? NULL : &no_events;
  if ((rc = ng_xml_stream_new(&cfg, &s)) != NG_OK) {
    ng_cli_input_close(in);
    fprintf(stderr, "nestguard: %s: %s\n", a->path, ng_strerror(rc));
    return NG_CLI_USAGE;
  }
  rc = ng_cli_feed(in, NG_CLI_CHUNK, feed, s, &err);
  ng_cli_input_close(in);
  if (rc == NG_OK)
    rc = ng_xml_stream_finish(s, a->is_parse ? &doc : NULL, &err);
  ng_xml_stream_free(s);
  if (rc != NG_OK)
    return rc == -1 ? NG_CLI_USAGE : ng_cli_fail(a->path, &err);
  return doc != NULL ? write_doc(a, doc) : NG_CLI_OK;
}

static const char *engine(unsigned i) {
  return i < NG_XML_ENGINE_COUNT ? ng_xml_engine_name((ng_xml_engine)i) : NULL;
}

static void usage(FILE *out) {
  ng_xml_options o;

  ng_xml_options_default(&o);
  fprintf(out, "xml options:\n");
  ng_cli_usage_engines(out, engine, (unsigned)o.engine);
  fprintf(out,
          "  --ns (namespace well-formedness)  --keep-cdata\n"
          "  --max-entity-expansion=BYTES (default %zu; 0: the ratio only)\n",
          o.limits.max_entity_expansion);
}

/* File name endings taken as XML: XML itself and the XML vocabularies
 * met most often on their own. */
static const char *const suffixes[] = {
    ".xml",  ".svg", ".xsd", ".xsl",  ".xslt",  ".xhtml", ".rss",
    ".atom", ".kml", ".gpx", ".wsdl", ".plist", NULL};

const ng_cli_format ng_cli_xml = {"xml", suffixes, option, usage, stream};

/*
 * tools/cli_xml.c - XML for `nestguard check` and `nestguard parse`.
 *
 *   nestguard check|parse [--format=xml] [shared options] [--engine=E]
 *                   [--ns] [--max-entity-expansion=BYTES] [--keep-cdata]
 *                   FILE|-
 *
 * tools/cli_check.c reads the shared options and the input; this file
 * reads XML's own options, then check validates well-formedness (and with
 * --ns, namespace well-formedness) through the event API, building no
 * document, and parse builds the document and writes it back in UTF-8
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

/* check: validates data[0..len) and frees it. Returns the exit status. */
static int check_data(const ng_cli_args *a, const ng_xml_options *o, char *data,
                      size_t len) {
  ng_error err;
  int rc;

  rc = ng_xml_parse_events(data, len, o, NULL, &err);
  free(data);
  return rc == NG_OK ? NG_CLI_OK : ng_cli_fail(a->path, &err);
}

/* parse: parses data[0..len), frees it (before writing, to keep the peak
 * low) and writes the document to stdout. Returns the exit status. */
static int parse_data(const ng_cli_args *a, const ng_xml_options *o, char *data,
                      size_t len) {
  ng_error err;
  ng_xml_doc *doc;
  int rc;

  rc = ng_xml_parse(data, len, o, &doc, &err);
  free(data);
  if (rc != NG_OK)
    return ng_cli_fail(a->path, &err);
  rc = ng_xml_write_cb(ng_xml_doc_node(doc),
                       a->compact ? 0 : NG_XML_WRITE_PRETTY,
                       ng_cli_write_stdout, NULL);
  ng_xml_doc_free(doc);
  return ng_cli_end_output(rc);
}

static int run(const ng_cli_args *a, char *data, size_t len) {
  ng_xml_options o;

  options_of(a, &o);
  return a->is_parse ? parse_data(a, &o, data, len)
                     : check_data(a, &o, data, len);
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

const ng_cli_format ng_cli_xml = {"xml", suffixes, option, run, usage, NULL};

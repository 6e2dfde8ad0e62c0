/*
 * bench/peers/xml_c_peers.c - libxml2 (DOM and SAX) and expat behind
 * ng_peer.
 *
 * libxml2-dom: xmlReadMemory into an xmlDoc, then xmlFreeDoc, options
 * XML_PARSE_NONET only (no XML_PARSE_NOENT, so references are not
 * substituted into the tree; no XML_PARSE_HUGE, so libxml2's default depth
 * cap of 256 elements applies and the deep cases show it), errors silenced.
 * libxml2-sax: the same parser with libxml2's SAX2 defaults for the
 * document and its DTD (so that declared entities are known and checked
 * as libxml2 does) and no-op callbacks for elements, text, comments, PIs
 * and references: no tree is built. expat: XML_Parse in one call with
 * no-op element and text handlers; expat never loads external entities
 * unless a handler asks it to.
 */
#include <limits.h>
#include <stdio.h>

#include <expat.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "xml_peers.h"

static void lx_silent(void *ud, xmlErrorPtr err) {
  (void)ud;
  (void)err;
}

/* Once per process: libxml2's globals, and no error printing. */
static void lx_init(void) {
  static int done;
  if (!done) {
    xmlInitParser();
    xmlSetStructuredErrorFunc(NULL, lx_silent);
    done = 1;
  }
}

static int peer_libxml2_dom(const char *data, size_t len) {
  xmlDocPtr doc;

  if (len > INT_MAX)
    return 1;
  lx_init();
  doc =
      xmlReadMemory(data, (int)len, NULL, NULL,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    return 1;
  xmlFreeDoc(doc);
  return 0;
}

static void sx_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
                     int ndef, const xmlChar **attrs) {
  (void)ctx, (void)localname, (void)prefix, (void)uri, (void)nns, (void)ns;
  (void)nattr, (void)ndef, (void)attrs;
}

static void sx_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri) {
  (void)ctx, (void)localname, (void)prefix, (void)uri;
}

static void sx_chars(void *ctx, const xmlChar *s, int len) {
  (void)ctx, (void)s, (void)len;
}

static void sx_pi(void *ctx, const xmlChar *target, const xmlChar *data) {
  (void)ctx, (void)target, (void)data;
}

static void sx_name(void *ctx, const xmlChar *name) { (void)ctx, (void)name; }

static int peer_libxml2_sax(const char *data, size_t len) {
  xmlSAXHandler h;
  xmlSAXHandlerPtr saved;
  xmlParserCtxtPtr ctxt;
  int ok;

  if (len > INT_MAX)
    return 1;
  lx_init();
  xmlSAXVersion(&h, 2);
  h.startElementNs = sx_start;
  h.endElementNs = sx_end;
  h.startElement = NULL;
  h.endElement = NULL;
  h.characters = sx_chars;
  h.ignorableWhitespace = sx_chars;
  h.cdataBlock = sx_chars;
  h.comment = sx_name;
  h.processingInstruction = sx_pi;
  h.reference = sx_name;
  h.serror = lx_silent;
  h.error = NULL;
  h.warning = NULL;
  ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
  if (ctxt == NULL)
    return 1;
  saved = ctxt->sax;
  ctxt->sax = &h;
  ctxt->userData = ctxt;
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
  xmlParseDocument(ctxt);
  ok = ctxt->wellFormed;
  ctxt->sax = saved;
  if (ctxt->myDoc != NULL) /* the DTD tables SAX2 kept */
    xmlFreeDoc(ctxt->myDoc);
  ctxt->myDoc = NULL;
  xmlFreeParserCtxt(ctxt);
  return ok ? 0 : 1;
}

static void XMLCALL ex_start(void *ud, const XML_Char *name,
                             const XML_Char **atts) {
  (void)ud, (void)name, (void)atts;
}

static void XMLCALL ex_end(void *ud, const XML_Char *name) {
  (void)ud, (void)name;
}

static void XMLCALL ex_chars(void *ud, const XML_Char *s, int len) {
  (void)ud, (void)s, (void)len;
}

static int peer_expat(const char *data, size_t len) {
  XML_Parser p;
  int ok;

  if (len > INT_MAX)
    return 1;
  p = XML_ParserCreate(NULL);
  if (p == NULL)
    return 1;
  XML_SetElementHandler(p, ex_start, ex_end);
  XML_SetCharacterDataHandler(p, ex_chars);
  ok = XML_Parse(p, data, (int)len, 1) == XML_STATUS_OK;
  XML_ParserFree(p);
  return ok ? 0 : 1;
}

static const char *libxml2_version(void) { return LIBXML_DOTTED_VERSION; }

static const char *expat_version(void) {
  static char buf[32];
  if (buf[0] == '\0') {
    XML_Expat_Version v = XML_ExpatVersionInfo();
    snprintf(buf, sizeof buf, "%d.%d.%d", v.major, v.minor, v.micro);
  }
  return buf;
}

const ng_peer ng_xml_peers[] = {
    {"libxml2-dom", peer_libxml2_dom, libxml2_version},
    {"libxml2-sax", peer_libxml2_sax, libxml2_version},
    {"expat", peer_expat, expat_version},
    {"pugixml", ng__peer_pugixml, ng__peer_pugixml_version},
    {NULL, NULL, NULL},
};

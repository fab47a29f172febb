#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <string.h>
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so encoding.h would include the system's ICU headers.
 * In a clean build they clash with the ICU copy Foundation ships (_FoundationICU: the same
 * enum UErrorCode with other members) and the module does not compile. We only ever hold
 * pointers to the structs with ICU fields, never their layout, so leave ICU out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/SAX2.h>

/* xmlFree is a C global function pointer that Swift 6 strict concurrency rejects; wrap it. */
static inline void clibxml2_free(void *ptr) { xmlFree(ptr); }

/* --- Helpers for ImpactImport's XML reader (Swift 6 mode cannot touch some C globals/macros). --- */

/* Zero a SAX handler and mark it as SAX2 (XML_SAX2_MAGIC does not import into Swift as the right type). */
static inline void clibxml2_sax2_init(xmlSAXHandler *sax) {
    memset(sax, 0, sizeof(*sax));
    sax->initialized = XML_SAX2_MAGIC;
}

/* The structured error callback takes `xmlErrorPtr` in libxml2 < 2.12 and `const xmlError *` after;
   Swift code passes the const form and this cast makes it fit either header. */
typedef void (*clibxml2_structured_error_fn)(void *userData, const xmlError *error);
static inline void clibxml2_sax_set_structured_error(xmlSAXHandler *sax, clibxml2_structured_error_fn fn) {
    sax->serror = (xmlStructuredErrorFunc)fn;
}

/* An external entity loader that refuses every URL (no file, no network). */
static inline xmlParserInputPtr clibxml2_refusing_entity_loader(const char *URL, const char *ID,
                                                                 xmlParserCtxtPtr ctxt) {
    (void)URL; (void)ID; (void)ctxt;
    return NULL;
}

/* Initialises libxml2 and installs the refusing loader process-wide. Idempotent. */
static inline void clibxml2_init_refusing_external_entities(void) {
    xmlInitParser();
    xmlSetExternalEntityLoader(clibxml2_refusing_entity_loader);
}

/* Asks the currently installed loader for `url`; non-NULL means it would load it (test hook). */
static inline int clibxml2_external_entity_loader_loads(const char *url, xmlParserCtxtPtr ctxt) {
    xmlParserInputPtr input = xmlGetExternalEntityLoader()(url, NULL, ctxt);
    if (input == NULL) return 0;
    xmlFreeInputStream(input);
    return 1;
}
#endif

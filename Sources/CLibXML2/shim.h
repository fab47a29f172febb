#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/SAX2.h>

/* xmlFree is a C global function pointer that Swift 6 strict concurrency rejects; wrap it. */
static inline void clibxml2_free(void *ptr) { xmlFree(ptr); }
#endif

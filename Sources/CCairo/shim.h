#ifndef MCPO_CCAIRO_SHIM_H
#define MCPO_CCAIRO_SHIM_H
/* Debian's libcairo2-dev: image (PNG) and PDF surfaces, text through fontconfig. */
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#endif

#ifndef MCPO_COPENBLAS_SHIM_H
#define MCPO_COPENBLAS_SHIM_H
#include <cblas.h>
/* Declared by OpenBLAS's cblas.h as well; repeated so the prototype is visible to Swift. */
void openblas_set_num_threads(int num_threads);
#endif

#include "kernels.h"
#include <math.h>

__attribute__((target_clones("avx512f", "avx2", "default")))
void mcpo_adam_step(float *restrict theta, const float *restrict g, float *restrict m, float *restrict v, long n,
                    float beta1, float beta2, float step_size, float inv_sqrt_c2, float eps) {
    for (long i = 0; i < n; i++) {
        float gi = g[i];
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        theta[i] -= step_size * mi / (sqrtf(vi) * inv_sqrt_c2 + eps);
    }
}

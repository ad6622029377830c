#include "kernels.h"
#include <stdint.h>
#include <string.h>

/* Wider vector units where the CPU has them; -ffp-contract=off keeps every clone bit-identical. */
#define MCPO_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

/* tanh without libm, branch-free so that it vectorises:
 *  |x| < 0.4: odd Taylor series to x^13 (next term < 2e-9);
 *  otherwise: 1 - 2 / (exp(2|x|) + 1), with exp(2|x|) = 2^n * exp(f ln 2), n = round(2|x|/ln 2),
 *  |f| <= 1/2, exp by its Taylor series to degree 7 (relative error < 1e-8).
 * |x| is clamped to 9, where tanh(9) rounds to 1 in float. */
static inline float tanh_one(float x) {
    float ax = x < 0.0f ? -x : x;
    ax = ax > 9.0f ? 9.0f : ax;

    float x2 = ax * ax;
    float series = ax * (1.0f + x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f + x2 * (-17.0f / 315.0f
                   + x2 * (62.0f / 2835.0f + x2 * (-1382.0f / 155925.0f + x2 * (21844.0f / 6081075.0f)))))));

    float t = ax * 2.8853900817779268f;          /* 2|x| / ln 2 */
    float n = (t + 12582912.0f) - 12582912.0f;   /* round to nearest (1.5 * 2^23 trick) */
    float r = (t - n) * 0.69314718055994531f;
    float e = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6.0f + r * (1.0f / 24.0f
              + r * (1.0f / 120.0f + r * (1.0f / 720.0f + r * (1.0f / 5040.0f)))))));
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    e *= scale;
    float large = 1.0f - 2.0f / (e + 1.0f);

    float y = ax < 0.4f ? series : large;
    return x < 0.0f ? -y : y;
}

/* In-place variants take a single pointer, so the compiler needs no overlap check (with
 * y == x an overlap check would send every call down the scalar loop). */
MCPO_CLONES
void mcpo_tanh_inplace(float *x, long n) {
    for (long i = 0; i < n; i++) x[i] = tanh_one(x[i]);
}

MCPO_CLONES
void mcpo_tanh_backward_inplace(const float *y, float *d, long n) {
    for (long i = 0; i < n; i++) d[i] *= 1.0f - y[i] * y[i];
}

MCPO_CLONES
static void tanh_copy(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = tanh_one(x[i]);
}

MCPO_CLONES
static void tanh_backward_copy(const float *y, const float *restrict dy, float *restrict dx, long n) {
    for (long i = 0; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

void mcpo_tanh(const float *x, float *y, long n) {
    if (x == y) mcpo_tanh_inplace(y, n);
    else tanh_copy(x, y, n);
}

void mcpo_tanh_backward(const float *y, const float *dy, float *dx, long n) {
    if (dx == dy) mcpo_tanh_backward_inplace(y, dx, n);
    else tanh_backward_copy(y, dy, dx, n);
}

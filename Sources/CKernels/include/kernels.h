#ifndef MCPO_KERNELS_H
#define MCPO_KERNELS_H
/* Element-wise kernels written so the C compiler vectorises them (no libm calls inside). */

/* y[i] = tanh(x[i]) for i < n; x and y may alias. Absolute error below 3e-7. */
void mcpo_tanh(const float *x, float *y, long n);

/* Backward through tanh: dx[i] = dy[i] * (1 - y[i]^2), where y = tanh(x); dx may alias dy. */
void mcpo_tanh_backward(const float *y, const float *dy, float *dx, long n);

#endif

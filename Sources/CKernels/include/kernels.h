#ifndef MCPO_KERNELS_H
#define MCPO_KERNELS_H
/* Element-wise kernels written so the C compiler vectorises them (no libm calls inside). */

/* y[i] = tanh(x[i]) for i < n; x and y may alias. Absolute error below 4e-7 (rational minimax fit, see tanh.c). */
void mcpo_tanh(const float *x, float *y, long n);

/* x[i] = tanh(x[i]). */
void mcpo_tanh_inplace(float *x, long n);

/* d[i] *= 1 - y[i]^2 (backward through tanh in place). */
void mcpo_tanh_backward_inplace(const float *y, float *d, long n);

/* Backward through tanh: dx[i] = dy[i] * (1 - y[i]^2), where y = tanh(x); dx may alias dy. */
void mcpo_tanh_backward(const float *y, const float *dy, float *dx, long n);

/* One Adam step with bias correction folded into step_size = lr / (1 − β1^t) and
 * inv_sqrt_c2 = 1 / sqrt(1 − β2^t): θ −= step_size · m / (sqrt(v) · inv_sqrt_c2 + ε). */
void mcpo_adam_step(float *theta, const float *g, float *m, float *v, long n,
                    float beta1, float beta2, float step_size, float inv_sqrt_c2, float eps);

#endif

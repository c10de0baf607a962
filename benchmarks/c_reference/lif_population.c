/* Plain C reference for lifkit's noisy LIF population update.
 *
 * usage: lif_population N VARIANT [SEED]
 *   VARIANT  counter  lifkit's counter-based generator (port of lifkit/engine/_kernels/rng.py)
 *            xoshiro  xoshiro256+ with the Marsaglia polar method (sequential, one stream)
 * Prints one JSON object: neuron-updates per second, total spikes, mean rate.
 *
 * Model (x = v - v_rest, mV; t, dt in ms): tau dx/dt = -x + mu + sigma sqrt(tau) xi, integrated
 * exactly per step (x' = mu + (x - mu) E + s z, E = exp(-h/tau), s = sigma sqrt((1 - E^2)/2)),
 * threshold theta = v_th - v_rest, reset to x = 0, refractory t_ref; a refractory period ending
 * mid-step starts the segment at ref_end. Spikes between grid points are caught by the Brownian
 * bridge crossing probability exp(-2 (theta - x)(theta - x') / s^2).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_STEPS 10000 /* 1 s at dt = 0.1 ms */
static const double DT = 0.1, TAU = 10.0, THETA = 15.0, X_RESET = 0.0, T_REF = 2.0;
static const double MU = 12.0, SIGMA = 4.0; /* Siegert rate 21.7 Hz */

/* ---- counter-based generator: identical bits to rng.py ---- */
#define MIX13_C1 0xBF58476D1CE4E5B9ULL
#define MIX13_C2 0x94D049BB133111EBULL
#define FMIX_C1 0xFF51AFD7ED558CCDULL
#define FMIX_C2 0xC4CEB9FE1A85EC53ULL
#define GOLDEN 0x9E3779B97F4A7C15ULL
#define G_NEURON 0xD1B54A32D192ED03ULL
#define ZIG_R 3.6541528853610088
#define ZIG_V 0.00492867323399

static int64_t zig_k[256];
static double zig_w[256], zig_f[256];

static void zig_tables(void) {
    const double scale = 4503599627370496.0; /* 2^52 */
    double dn = ZIG_R, tn = ZIG_R, q = ZIG_V / exp(-0.5 * dn * dn);
    zig_k[0] = (int64_t)(dn / q * scale);
    zig_k[1] = 0;
    zig_w[0] = q / scale;
    zig_w[255] = dn / scale;
    zig_f[0] = 1.0;
    zig_f[255] = exp(-0.5 * dn * dn);
    for (int i = 254; i > 0; i--) {
        dn = sqrt(-2.0 * log(ZIG_V / dn + exp(-0.5 * dn * dn)));
        zig_k[i + 1] = (int64_t)(dn / tn * scale);
        tn = dn;
        zig_f[i] = exp(-0.5 * dn * dn);
        zig_w[i] = dn / scale;
    }
}

static inline uint64_t mix13(uint64_t x) {
    x = (x ^ (x >> 30)) * MIX13_C1;
    x = (x ^ (x >> 27)) * MIX13_C2;
    return x ^ (x >> 31);
}

static inline uint64_t fmix64(uint64_t x) {
    x = (x ^ (x >> 33)) * FMIX_C1;
    x = (x ^ (x >> 33)) * FMIX_C2;
    return x ^ (x >> 33);
}

static inline uint64_t ctr_hash(uint64_t key, uint64_t neuron, uint64_t step, uint64_t stream) {
    uint64_t a = mix13(key ^ ((step + (stream << 40)) * GOLDEN));
    uint64_t b = fmix64(key ^ (neuron * G_NEURON));
    return mix13(a ^ b);
}

static inline double to_unit(uint64_t h) { return ((double)(h >> 12) + 0.5) * 0x1p-52; }

static inline double ctr_uniform(uint64_t key, uint64_t neuron, uint64_t step, uint64_t stream) {
    return to_unit(ctr_hash(key, neuron, step, stream));
}

static __attribute__((noinline)) double ctr_normal_slow(uint64_t h) {
    uint64_t s = h;
    double x, xx, yy;
    for (;;) {
        unsigned idx = (unsigned)(h & 255);
        int64_t rabs = (int64_t)(h >> 12);
        x = (double)rabs * zig_w[idx];
        if (rabs < zig_k[idx]) break;
        if (idx == 0) {
            do {
                s += GOLDEN;
                xx = -log(to_unit(mix13(s))) / ZIG_R;
                s += GOLDEN;
                yy = -log(to_unit(mix13(s)));
            } while (!(yy + yy > xx * xx));
            x = ZIG_R + xx;
            break;
        }
        s += GOLDEN;
        double u = to_unit(mix13(s));
        if (zig_f[idx] + u * (zig_f[idx - 1] - zig_f[idx]) < exp(-0.5 * x * x)) break;
        s += GOLDEN;
        h = mix13(s);
    }
    return (h & 256) ? -x : x;
}

static inline double ctr_normal(uint64_t key, uint64_t neuron, uint64_t step, uint64_t stream) {
    uint64_t h = ctr_hash(key, neuron, step, stream);
    unsigned idx = (unsigned)(h & 255);
    int64_t rabs = (int64_t)(h >> 12);
    if (rabs < zig_k[idx]) {
        double x = (double)rabs * zig_w[idx];
        return (h & 256) ? -x : x;
    }
    return ctr_normal_slow(h);
}

/* ---- xoshiro256+ (Blackman & Vigna) with the polar method ---- */
typedef struct {
    uint64_t s[4];
    double spare;
    int has_spare;
} xoshiro;

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xo_next(xoshiro *g) {
    uint64_t *s = g->s, result = s[0] + s[3], t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static inline double xo_uniform(xoshiro *g) { return (double)(xo_next(g) >> 11) * 0x1p-53; }

static inline double xo_normal(xoshiro *g) {
    if (g->has_spare) {
        g->has_spare = 0;
        return g->spare;
    }
    double u, v, r2;
    do {
        u = 2.0 * xo_uniform(g) - 1.0;
        v = 2.0 * xo_uniform(g) - 1.0;
        r2 = u * u + v * v;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    g->spare = v * f;
    g->has_spare = 1;
    return u * f;
}

/* ---- the population loop, one copy per generator ---- */
typedef struct {
    double *x, *ref_end, *tau, *E, *s, *sigma, *mu, *theta, *x_reset, *t_ref;
} population;

#define LIF_LOOP(NAME, GEN_ARG, NORMAL, UNIFORM)                                              \
    static long NAME(population p, long n, GEN_ARG) {                                        \
        long spikes = 0;                                                                      \
        for (long k = 0; k < N_STEPS; k++) {                                                  \
            double t0 = (double)k * DT, t1 = (double)(k + 1) * DT;                            \
            for (long i = 0; i < n; i++) {                                                    \
                double ref_end = p.ref_end[i];                                                \
                if (ref_end >= t1) continue;                                                  \
                double start = t0, E = p.E[i], s = p.s[i];                                    \
                if (ref_end > t0) {                                                           \
                    start = ref_end;                                                          \
                    E = exp(-(t1 - start) / p.tau[i]);                                        \
                    s = p.sigma[i] * sqrt((1.0 - E * E) / 2.0);                               \
                }                                                                             \
                double x = p.x[i], a = p.mu[i], theta = p.theta[i];                           \
                double xn = a + (x - a) * E + s * (NORMAL);                                   \
                double t_spike;                                                               \
                if (xn >= theta) {                                                            \
                    t_spike = start + (t1 - start) * (theta - x) / (xn - x);                  \
                } else if (theta - xn < 4.0 * s &&                                            \
                           (UNIFORM) < exp(-2.0 * (theta - x) * (theta - xn) / (s * s))) {    \
                    t_spike = start + 0.5 * (t1 - start);                                     \
                } else {                                                                      \
                    p.x[i] = xn;                                                              \
                    continue;                                                                 \
                }                                                                             \
                spikes++;                                                                     \
                p.x[i] = p.x_reset[i];                                                        \
                p.ref_end[i] = t_spike + p.t_ref[i];                                          \
            }                                                                                 \
        }                                                                                     \
        return spikes;                                                                        \
    }

LIF_LOOP(run_counter, uint64_t key, ctr_normal(key, i, k, 0), ctr_uniform(key, i, k, 1))
LIF_LOOP(run_xoshiro, xoshiro *g, xo_normal(g), xo_uniform(g))

static double *filled(long n, double value) {
    double *a = malloc(n * sizeof(double));
    for (long i = 0; i < n; i++) a[i] = value;
    return a;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s N counter|xoshiro [SEED]\n", argv[0]);
        return 2;
    }
    long n = atol(argv[1]);
    const char *variant = argv[2];
    uint64_t seed = argc == 4 ? strtoull(argv[3], NULL, 10) : 1;
    if (n <= 0 || (strcmp(variant, "counter") && strcmp(variant, "xoshiro"))) {
        fprintf(stderr, "N must be positive and VARIANT counter or xoshiro\n");
        return 2;
    }
    double E = exp(-DT / TAU);
    population p = {filled(n, 0.0),   filled(n, -1.0),  filled(n, TAU),
                    filled(n, E),     filled(n, SIGMA * sqrt((1.0 - E * E) / 2.0)),
                    filled(n, SIGMA), filled(n, MU),    filled(n, THETA),
                    filled(n, X_RESET), filled(n, T_REF)};
    zig_tables();
    struct timespec a, b;
    long spikes;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (!strcmp(variant, "counter")) {
        spikes = run_counter(p, n, mix13(GOLDEN ^ seed)); /* = rng.seed_key(seed) */
    } else {
        xoshiro g = {{0}, 0.0, 0};
        uint64_t z = seed;
        for (int j = 0; j < 4; j++) g.s[j] = mix13(z += GOLDEN); /* SplitMix64 seeding */
        spikes = run_xoshiro(p, n, &g);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double seconds = (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec);
    double duration = N_STEPS * DT / 1000.0;
    printf("{\"variant\": \"%s\", \"n_neurons\": %ld, \"n_steps\": %d, \"seconds\": %.6f, "
           "\"updates_per_s\": %.6e, \"spikes\": %ld, \"mean_rate_hz\": %.4f}\n",
           variant, n, N_STEPS, seconds, (double)n * N_STEPS / seconds, spikes,
           (double)spikes / ((double)n * duration));
    return 0;
}

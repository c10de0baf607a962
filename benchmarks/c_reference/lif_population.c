/* Plain C reference for lifkit's noisy LIF population update.
 *
 * usage: lif_population N VARIANT [SEED [N_STEPS [ORDER]]]
 *   VARIANT  counter  lifkit's counter-based generator (port of lifkit/engine/_kernels/rng.py)
 *            xoshiro  xoshiro256+ with the Marsaglia polar method (sequential, one stream)
 *   N_STEPS  steps of DT = 0.1 ms (default 10000: 1 s)
 *   ORDER    neuron  each neuron over all steps, then the next (default; state in registers)
 *            step    all neurons for step 0, then step 1, ... (the textbook loop)
 * Prints one JSON object: neuron-updates per second (wall and CPU time), total spikes, mean
 * rate, an order-independent checksum of the spikes (sum over spikes of
 * mix13(bits(t) ^ i G_NEURON)) and the peak RSS (VmHWM).
 *
 * The update is exactly lifkit's ``run_neurons`` (lifkit/engine/_kernels/lif.py) for a
 * white-noise drive of constant mean, operation by operation: on x = v - v_rest, a segment
 * [s, dt] of a step advances by x' = a + b (h - tau) + (x - a + b tau) E (constant drive:
 * b = (a - a) / dt = 0 once per neuron, kept literally), E = exp(-h/tau), plus sd z with
 * sd = sigma sqrt((1 - E^2)/2) (per-neuron constants when s = 0); a spike is certain when
 * x' >= theta (time by linear interpolation) and otherwise happens with the Brownian-bridge
 * probability exp(-2 gap0 gap1 / sd^2), tested only when gap0 gap1 <= 20 sd^2 (time
 * gap0/(gap0 + gap1) of the segment); after a spike v is held at v_reset for t_ref, and a
 * refractory period ending mid-step starts a new segment there, with
 * s = max(r_end - t0, s + s_cross). Normals of segment j use stream 2j, the bridge uniform
 * stream 2j + 1. With the counter generator, lifkit and this program give bit-identical spike
 * times for the same seed (checked by benchmarks/population_throughput.py).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const double DT = 0.1; /* ms */
/* The population: tau_m 10 ms, v_rest = v_reset = -65 mV, v_th -50 mV, t_ref 2 ms,
 * white noise sigma 4 mV on a mean drive of 12 mV (Siegert rate ~ 21 Hz). */
static const double TAU = 10.0, V_REST = -65.0, V_RESET = -65.0, V_TH = -50.0, T_REF = 2.0;
static const double MU = 12.0, SIGMA = 4.0;

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

static inline double xo_uniform(xoshiro *g) { return ((double)(xo_next(g) >> 11) + 0.5) * 0x1p-53; }

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

/* ---- the LIF update (lifkit's LIFParams, Drive.offset and state; no traces) ---- */
typedef struct {
    double *tau, *v_rest, *v_reset, *v_th, *t_ref, *decay, *sigma, *noise_sd, *offset;
    double *x, *ref_end;
} population;

typedef struct {
    long spikes;
    uint64_t checksum;
} tally;

static inline void record_spike(tally *out, long i, double t_spike) {
    uint64_t bits;
    memcpy(&bits, &t_spike, sizeof bits);
    out->spikes++;
    out->checksum += mix13(bits ^ ((uint64_t)i * G_NEURON));
}

/* noisy_crossing of lif.py: the crossing time within a segment of length h, or -1. */
#define NOISY_CROSSING(RESULT, x0, x_end, h, sd, theta, UNIFORM)                              \
    do {                                                                                      \
        if ((x_end) >= (theta)) {                                                             \
            RESULT = (h) * ((theta) - (x0)) / ((x_end) - (x0));                               \
        } else {                                                                              \
            double gap0 = (theta) - (x0), gap1 = (theta) - (x_end);                           \
            if ((sd) <= 0.0 || gap0 * gap1 > 20.0 * (sd) * (sd)) {                            \
                RESULT = -1.0;                                                                \
            } else if ((UNIFORM) < exp(-2.0 * gap0 * gap1 / ((sd) * (sd)))) {                 \
                RESULT = (h) * gap0 / (gap0 + gap1);                                          \
            } else {                                                                          \
                RESULT = -1.0;                                                                \
            }                                                                                 \
        }                                                                                     \
    } while (0)

/* run_neuron of lif.py for neuron i over steps [k0, k1), drive constant (wave-free). */
#define LIF_NEURON(NAME, GEN_ARG, NORMAL, UNIFORM)                                            \
    static void NAME(population p, long i, long k0, long k1, GEN_ARG, tally *out) {          \
        const double dt = DT, tau = p.tau[i];                                                 \
        const double theta = p.v_th[i] - p.v_rest[i], x_reset = p.v_reset[i] - p.v_rest[i];   \
        const double sigma = p.sigma[i], offset = p.offset[i];                                \
        const double a = offset, b = (offset - offset) / dt; /* constant drive */            \
        double x = p.x[i], r_end = p.ref_end[i];                                              \
        for (long k = k0; k < k1; k++) {                                                      \
            double t0 = (double)k * dt;                                                       \
            double s = 0.0;                                                                   \
            if (r_end > t0) {                                                                 \
                x = x_reset;                                                                  \
                if (r_end >= t0 + dt) continue;                                               \
                s = r_end - t0;                                                               \
            }                                                                                 \
            long segment = 0;                                                                 \
            for (;;) {                                                                        \
                double h = dt - s;                                                            \
                double a_s = a + b * s;                                                       \
                double decay = s == 0.0 ? p.decay[i] : exp(-h / tau);                         \
                double x_end = a_s + b * (h - tau) + (x - a_s + b * tau) * decay;             \
                double s_cross;                                                               \
                if (sigma > 0.0) {                                                            \
                    double sd = s == 0.0 ? p.noise_sd[i]                                      \
                                         : sigma * sqrt(0.5 * (1.0 - decay * decay));         \
                    x_end += sd * (NORMAL);                                                   \
                    NOISY_CROSSING(s_cross, x, x_end, h, sd, theta, UNIFORM);                 \
                } else if (x_end < theta || a <= theta) { /* b = 0 closed form */             \
                    s_cross = -1.0;                                                           \
                } else {                                                                      \
                    s_cross = fmin(h, tau * log((a - x) / (a - theta)));                      \
                }                                                                             \
                if (s_cross < 0.0) {                                                          \
                    x = x_end;                                                                \
                    break;                                                                    \
                }                                                                             \
                double t_spike = t0 + s + s_cross;                                            \
                record_spike(out, i, t_spike);                                                \
                x = x_reset;                                                                  \
                r_end = t_spike + p.t_ref[i];                                                 \
                if (r_end >= t0 + dt) break;                                                  \
                double s_next = s + s_cross, s_ref = r_end - t0;                              \
                s = s_next > s_ref ? s_next : s_ref;                                          \
                segment++;                                                                    \
            }                                                                                 \
        }                                                                                     \
        p.x[i] = x;                                                                           \
        p.ref_end[i] = r_end;                                                                 \
    }

LIF_NEURON(neuron_counter, uint64_t key, ctr_normal(key, i, k, 2 * segment),
           ctr_uniform(key, i, k, 2 * segment + 1))
LIF_NEURON(neuron_xoshiro, xoshiro *g, xo_normal(g), xo_uniform(g))

static double *filled(long n, double value) {
    double *a = malloc(n * sizeof(double));
    if (!a) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (long i = 0; i < n; i++) a[i] = value;
    return a;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 6) {
        fprintf(stderr, "usage: %s N counter|xoshiro [SEED [N_STEPS [neuron|step]]]\n", argv[0]);
        return 2;
    }
    long n = atol(argv[1]);
    const char *variant = argv[2];
    uint64_t seed = argc >= 4 ? strtoull(argv[3], NULL, 10) : 1;
    long n_steps = argc >= 5 ? atol(argv[4]) : 10000;
    const char *order = argc >= 6 ? argv[5] : "neuron";
    int counter = !strcmp(variant, "counter"), step_major = !strcmp(order, "step");
    if (n <= 0 || n_steps <= 0 || (!counter && strcmp(variant, "xoshiro")) ||
        (!step_major && strcmp(order, "neuron"))) {
        fprintf(stderr, "N and N_STEPS must be positive, VARIANT counter|xoshiro, "
                        "ORDER neuron|step\n");
        return 2;
    }
    double decay = exp(-DT / TAU); /* as lifkit's plan: exp(-dt / tau_m) */
    population p = {filled(n, TAU),     filled(n, V_REST),  filled(n, V_RESET),
                    filled(n, V_TH),    filled(n, T_REF),   filled(n, decay),
                    filled(n, SIGMA),   filled(n, SIGMA * sqrt(0.5 * (1.0 - decay * decay))),
                    filled(n, MU),      filled(n, V_REST - V_REST), filled(n, -INFINITY)};
    zig_tables();
    uint64_t key = mix13(GOLDEN ^ seed); /* = rng.seed_key(seed) */
    xoshiro g = {{0}, 0.0, 0};
    uint64_t z = seed;
    for (int j = 0; j < 4; j++) g.s[j] = mix13(z += GOLDEN); /* SplitMix64 seeding */
    tally out = {0, 0};
    struct timespec t_start, t_stop, c_start, c_stop;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c_start);
    clock_gettime(CLOCK_MONOTONIC, &t_start);
    if (step_major) {
        for (long k = 0; k < n_steps; k++)
            for (long i = 0; i < n; i++) {
                if (counter) neuron_counter(p, i, k, k + 1, key, &out);
                else neuron_xoshiro(p, i, k, k + 1, &g, &out);
            }
    } else {
        for (long i = 0; i < n; i++) {
            if (counter) neuron_counter(p, i, 0, n_steps, key, &out);
            else neuron_xoshiro(p, i, 0, n_steps, &g, &out);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t_stop);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c_stop);
    double seconds = (double)(t_stop.tv_sec - t_start.tv_sec) +
                     1e-9 * (double)(t_stop.tv_nsec - t_start.tv_nsec);
    double cpu_seconds = (double)(c_stop.tv_sec - c_start.tv_sec) +
                         1e-9 * (double)(c_stop.tv_nsec - c_start.tv_nsec);
    double duration_s = (double)n_steps * DT / 1000.0;
    long peak_kb = -1; /* VmHWM: ru_maxrss would include the forking parent's pages */
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    while (status && fgets(line, sizeof line, status))
        if (!strncmp(line, "VmHWM:", 6)) peak_kb = atol(line + 6);
    if (status) fclose(status);
    printf("{\"variant\": \"%s\", \"order\": \"%s\", \"n_neurons\": %ld, \"n_steps\": %ld, "
           "\"seed\": %llu, \"seconds\": %.6f, \"cpu_seconds\": %.6f, \"updates_per_s\": %.6e, "
           "\"updates_per_cpu_s\": %.6e, \"spikes\": %ld, "
           "\"mean_rate_hz\": %.4f, \"checksum\": \"%016llx\", \"peak_rss_kb\": %ld}\n",
           variant, order, n, n_steps, (unsigned long long)seed, seconds, cpu_seconds,
           (double)n * (double)n_steps / seconds, (double)n * (double)n_steps / cpu_seconds,
           out.spikes,
           (double)out.spikes / ((double)n * duration_s), (unsigned long long)out.checksum,
           peak_kb);
    return 0;
}

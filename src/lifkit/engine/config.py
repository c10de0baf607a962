"""The engine's tunables, in one place."""

#: Runs with fewer neuron-steps than this execute the kernel source un-jitted, so that a
#: small run never pays for importing numba or compiling (pure Python: ~2 µs per update).
JIT_MIN_UPDATES = 100_000

#: Neuron-steps per kernel call: between calls Python reports progress and checks buffers.
CHUNK_UPDATES = 20_000_000

#: Neurons per block; blocks are the unit of parallel work and own a spike buffer each.
BLOCK_NEURONS = 256

#: Spike rate (Hz) the first spike buffers are sized for; they double when exceeded.
EXPECTED_RATE_HZ = 100.0

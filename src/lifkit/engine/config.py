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

#: Synaptic events a window of a synaptic run holds at most (expected count; the window
#: is shortened to fit, never below one step).
WINDOW_EVENTS = 1_000_000

#: Grid points per population run of a sweep in one process (bounds memory; Ctrl-C keeps
#: the finished runs).
SWEEP_CHUNK_NEURONS = 16_384

#: Chunks per worker a distributed sweep aims for, so that workers finish together.
SWEEP_CHUNKS_PER_WORKER = 4

#: Spikes per block of a run recorded in memory: 2**22, 32 MiB per array, the size above
#: which the C allocator maps memory of its own, so a block copied into the result and
#: freed goes back to the system at once (the spikes are held about once, not twice).
SPIKE_BLOCK = 2**22

#: Bytes per chunk file of a streamed recording (lk.simulate(..., out=path)): 2**20 spikes
#: of each of neuron and time, or as many trace samples as fit.
STORE_CHUNK_BYTES = 8 * 2**20

#: Seconds between two commits of a streamed recording's metadata: a run killed at any
#: moment keeps what was committed (at most about this much wall time is lost).
STORE_COMMIT_SECONDS = 1.0

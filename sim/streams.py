"""Random streams: one root seed, one child per replication, one sub-stream per purpose.

Replication *i* of a run with root entropy ``E`` draws for purpose *p* from::

    SeedSequence(E, spawn_key=(i, PURPOSES[p]))

which is exactly ``SeedSequence(E).spawn(...)[i].spawn(...)[PURPOSES[p]]``.  A replication's
numbers therefore depend only on (E, i, p): not on how replications are split among workers,
not on the order they finish in, and not on what other purposes consumed.  Two scenarios run
with the same seed share every stream (common random numbers).

Discipline for model code: give each stochastic event a fixed slot in its purpose's stream
(e.g. ``decisions`` uniform #2 is the 6 Sept 1941 conference), so that a change after date D
cannot shift the draws of anything before D.  :meth:`Streams.block` hands out such fixed blocks.

Deriving a generator through NumPy costs tens of microseconds (a ``SeedSequence``, its pool
mixing, a ``PCG64``), a sizeable share of a replication.  :class:`StreamSource` gives the
engine's loop the very same generators for a chunk of consecutive replications: it runs
``SeedSequence``'s hash for the whole chunk at once on arrays and re-seeds one recycled
generator per purpose (``PCG64``'s own seeding, in integers), bit for bit as NumPy would.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Stable purpose -> integer mapping.  Append only: renumbering would change every result.
PURPOSES: dict[str, int] = {
    "parameters": 0,
    "combat": 1,
    "logistics": 2,
    "decisions": 3,
    "diplomacy": 4,
    "weather": 5,
    "shipping": 6,
    "intelligence": 7,
    "economy": 8,
    "china": 9,
}


def root_entropy(seed: int | None) -> int:
    """The root entropy for a user seed (fresh OS entropy when ``seed`` is None)."""
    return int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]


class Streams:
    """Lazily created, independent generators for one replication (from ``source`` when the
    engine's loop passes one: see :class:`StreamSource`)."""

    __slots__ = ("entropy", "replication", "_gens", "_blocks", "_source")

    def __init__(self, entropy: int, replication: int,
                 source: "StreamSource | None" = None) -> None:
        self.entropy = int(entropy)
        self.replication = int(replication)
        self._gens: dict[str, np.random.Generator] = {}
        self._blocks: dict[str, np.ndarray] = {}
        self._source = source

    def __getitem__(self, purpose: str) -> np.random.Generator:
        gen = self._gens.get(purpose)
        if gen is None:
            if self._source is not None:
                gen = self._gens[purpose] = self._source.generator(self.replication, purpose)
            else:
                key = (self.replication, PURPOSES[purpose])
                seq = np.random.SeedSequence(self.entropy, spawn_key=key)
                gen = self._gens[purpose] = np.random.Generator(np.random.PCG64(seq))
        return gen

    def block(self, purpose: str, size: int) -> np.ndarray:
        """The first ``size`` uniforms of a purpose's stream, drawn once and cached.

        Use one block per purpose and fixed indices into it; asking again with the same
        ``size`` returns the same array.
        """
        blk = self._blocks.get(purpose)
        if blk is None or len(blk) < size:
            if blk is not None:
                raise ValueError(f"block for {purpose!r} already drawn with size {len(blk)}")
            blk = self._blocks[purpose] = self[purpose].random(size)
        return blk


# --------------------------------------------------------------------------------------------
# The same generators, derived for a chunk at once
# --------------------------------------------------------------------------------------------

_M32 = 0xFFFF_FFFF
_M128 = (1 << 128) - 1
# SeedSequence's constants (numpy/random/bit_generator.pyx) and PCG64's default multiplier
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R, _POOL = 0xCA01F9DD, 0x4973F715, 4
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645


def _words(x: int) -> list[int]:
    """An integer as SeedSequence reads it: 32-bit words, least significant first."""
    out = [x & _M32]
    x >>= 32
    while x:
        out.append(x & _M32)
        x >>= 32
    return out


@lru_cache(maxsize=64)
def _root_pool(entropy: int) -> tuple[tuple[int, ...], int]:
    """SeedSequence's pool after mixing the root entropy's words, and its hash constant: the
    part of every replication's derivation that does not depend on its spawn key."""
    run = _words(entropy)
    run += [0] * (_POOL - len(run))  # padded to the pool size when a spawn key follows
    h = _INIT_A

    def hashmix(v: int) -> int:
        nonlocal h
        v ^= h
        h = (h * _MULT_A) & _M32
        v = (v * h) & _M32
        return v ^ (v >> 16)

    pool = [hashmix(w) for w in run[:_POOL]]
    mixing = [(s, d) for s in range(_POOL) for d in range(_POOL) if s != d]
    for s, d in mixing:
        r = (_MIX_L * pool[d] - _MIX_R * hashmix(pool[s])) & _M32
        pool[d] = r ^ (r >> 16)
    for w in run[_POOL:]:
        for d in range(_POOL):
            r = (_MIX_L * pool[d] - _MIX_R * hashmix(w)) & _M32
            pool[d] = r ^ (r >> 16)
    return tuple(pool), h


def seed_states(entropy: int, replications: np.ndarray, purpose: int) -> list[tuple[int, int]]:
    """PCG64's (state, increment) for ``SeedSequence(entropy, spawn_key=(i, purpose))`` of
    every ``i`` in ``replications`` (each below 2**32): NumPy's derivation, run on arrays."""
    pool0, h = _root_pool(int(entropy))
    n = len(replications)
    pool = [np.full(n, w, dtype=np.uint64) for w in pool0]
    for word in (replications.astype(np.uint64), np.full(n, purpose, dtype=np.uint64)):
        for d in range(_POOL):  # mix the spawn key's words into the pool
            v = word ^ np.uint64(h)
            h = (h * _MULT_A) & _M32
            v = (v * np.uint64(h)) & np.uint64(_M32)
            v ^= v >> np.uint64(16)
            r = (np.uint64(_MIX_L) * pool[d] - np.uint64(_MIX_R) * v) & np.uint64(_M32)
            pool[d] = r ^ (r >> np.uint64(16))
    hb = _INIT_B
    state = []
    for j in range(8):  # generate_state(4, uint64): eight 32-bit words
        v = pool[j % _POOL] ^ np.uint64(hb)
        hb = (hb * _MULT_B) & _M32
        v = (v * np.uint64(hb)) & np.uint64(_M32)
        state.append((v ^ (v >> np.uint64(16))).tolist())
    out = []
    for w in zip(*state):
        seed = (w[1] << 96) | (w[0] << 64) | (w[3] << 32) | w[2]
        inc = (((w[5] << 96) | (w[4] << 64) | (w[7] << 32) | w[6]) << 1 | 1) & _M128
        # pcg_setseq_128_srandom_r: state = 0, step, add the seed, step
        out.append((((inc + seed) * _PCG_MULT + inc) & _M128, inc))
    return out


class StreamSource:
    """The generators of replications ``start <= i < stop`` of one root entropy, bit for bit
    those :class:`Streams` derives alone, at a fraction of the cost.

    One generator per purpose is recycled: the generator a replication gets is re-seeded
    for the next one, so a source serves one replication at a time, in a loop (the engine's
    chunks), and nothing may keep a replication's generators past it.
    """

    def __init__(self, entropy: int, start: int, stop: int) -> None:
        self.entropy = int(entropy)
        self.start = int(start)
        self.stop = int(stop)
        self._states: dict[str, list[tuple[int, int]]] = {}
        self._bits: dict[str, np.random.PCG64] = {}
        self._gens: dict[str, np.random.Generator] = {}

    def streams(self, replication: int) -> Streams:
        """Replication ``replication``'s streams (drawing from this source)."""
        return Streams(self.entropy, replication, self)

    def generator(self, replication: int, purpose: str) -> np.random.Generator:
        states = self._states.get(purpose)
        if states is None:
            if self.stop > 2**32:  # spawn keys of several words: NumPy's own derivation
                seq = np.random.SeedSequence(self.entropy, spawn_key=(replication,
                                                                      PURPOSES[purpose]))
                return np.random.Generator(np.random.PCG64(seq))
            reps = np.arange(self.start, self.stop, dtype=np.uint64)
            states = self._states[purpose] = seed_states(self.entropy, reps, PURPOSES[purpose])
            self._bits[purpose] = bits = np.random.PCG64(0)
            self._gens[purpose] = np.random.Generator(bits)
        state, inc = states[replication - self.start]
        self._bits[purpose].state = {"bit_generator": "PCG64", "has_uint32": 0, "uinteger": 0,
                                     "state": {"state": state, "inc": inc}}
        return self._gens[purpose]

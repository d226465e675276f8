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
"""

from __future__ import annotations

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
    """Lazily created, independent generators for one replication."""

    __slots__ = ("entropy", "replication", "_gens", "_blocks")

    def __init__(self, entropy: int, replication: int) -> None:
        self.entropy = int(entropy)
        self.replication = int(replication)
        self._gens: dict[str, np.random.Generator] = {}
        self._blocks: dict[str, np.ndarray] = {}

    def __getitem__(self, purpose: str) -> np.random.Generator:
        gen = self._gens.get(purpose)
        if gen is None:
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

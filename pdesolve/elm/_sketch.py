"""Row sketching of tall least-squares systems by sparse sign embeddings.

A sketch S (d × m, d ≪ m) with ‖S y‖ ≈ ‖y‖ for every y in the column space of [A | b]
(a subspace embedding with distortion ε) turns min ‖A x − b‖ into the much shorter
min ‖S A x − S b‖, whose solution x̃ satisfies ‖A x̃ − b‖ ≤ (1 + ε)/(1 − ε) · min ‖A x − b‖
(sketch-and-solve). For collocation systems the attainable residual is set by the
discretisation and rounding, and typical inflation is √(1 + n/(d − n)), not the worst case.

The embedding is a sparse sign matrix in the block form of OSNAP: the d rows are split into
`nonzeros` bands and every input row is added, with a random sign and weight 1/√nonzeros, to one
uniformly chosen row of each band. Applying it costs nonzeros · m · n flops, against the 2 m n²
of a Householder QR of the full system.

Rows are sketched separately for every support (set of column blocks present), so the
block structure of the coupled system is kept; the block-diagonal S is an embedding for the
whole system when each of its blocks is one for its rows.
"""

import time

import numpy as np
import scipy.sparse as sp

DEFAULT_NONZEROS = 4


def sketch_rows(blocks, *, factor: float, nonzeros: int, rng: np.random.Generator):
    """Sketch the row blocks of each support down to ⌈factor · columns⌉ rows.

    Args:
        blocks: iterable of (support, block), block of shape (rows, columns) with the
            right-hand side as last column (as yielded by the assembly).
        factor: sketch rows per column of the support (≥ 1; with 2 the typical residual
            inflation is √2 in the worst, full-rank case).
        nonzeros: nonzero entries per input row (bands of the embedding).
        rng: source of the random hash and signs.

    Returns:
        (blocks, rows_out, seconds): the list of (support, block) to factorise, each support's
        rows either unchanged (when it has no more rows than its sketch would) or one
        sketched block; the total row count of that list; the time spent sketching.
    """
    pending: dict[tuple, list] = {}
    sketches: dict[tuple, np.ndarray] = {}
    rows_in: dict[tuple, int] = {}
    seconds = 0.0
    for sup, block in blocks:
        t0 = time.perf_counter()
        size = _sketch_size(block.shape[1], factor, nonzeros)
        rows_in[sup] = rows_in.get(sup, 0) + block.shape[0]
        if sup in sketches:
            sketches[sup] += _apply(block, size, nonzeros, rng)
        else:
            pending.setdefault(sup, []).append(block)
            if rows_in[sup] > size:
                sketches[sup] = sum(_apply(b, size, nonzeros, rng) for b in pending.pop(sup))
        seconds += time.perf_counter() - t0
    out = [(sup, np.asfortranarray(s)) for sup, s in sketches.items()]
    out += [(sup, b) for sup, held in pending.items() for b in held]
    return out, sum(b.shape[0] for _, b in out), seconds


def _sketch_size(cols: int, factor: float, nonzeros: int) -> int:
    band = -(-int(np.ceil(factor * cols)) // nonzeros)
    return band * nonzeros


def _apply(block: np.ndarray, size: int, nonzeros: int, rng: np.random.Generator) -> np.ndarray:
    """S_block @ block for a fresh sparse sign embedding of the block's rows."""
    rows = block.shape[0]
    band = size // nonzeros
    target = rng.integers(0, band, (rows, nonzeros)) + band * np.arange(nonzeros)
    sign = np.where(rng.random((rows, nonzeros)) < 0.5, -1.0, 1.0) / np.sqrt(nonzeros)
    source = np.repeat(np.arange(rows), nonzeros)
    s = sp.csr_matrix((sign.ravel(), (target.ravel(), source)), shape=(size, rows))
    return s @ block

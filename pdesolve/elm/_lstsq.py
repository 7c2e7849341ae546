"""Rank-revealing least squares in float64 for tall collocation systems given in row blocks.

Solvers (all minimise ‖A x − b‖₂ over the row-scaled system):

* "qr" (default): a tall-skinny QR that streams over the row blocks. Each block B updates the
  triangular factor of [A | b] by the structured Householder step of LAPACK `dtpqrt`,
  QR([R; B]) → R', which costs 2·rows·n² flops and keeps only the (n+1)×(n+1) factor in memory.
  Blocks that touch only some column blocks (the coupled scheme's Δv = f rows involve only v,
  its u = g rows only u) are first reduced in their own, narrower factor (a quarter of the
  flops for half the columns); those factors then enter the full one as ordinary rows. Row
  order does not change a least-squares problem, so this is exact.
  The small factor is then column-scaled (D = 1/‖column‖) and solved rank-revealingly by an
  SVD with relative cutoff `rcond` (minimum-norm among the retained directions) or, with
  finish="pivoted", by column-pivoted QR truncated at |r_kk| < rcond·|r_11|.
* "sketch": the rows of each support are first compressed by a sparse sign embedding to
  `sketch_factor` × its columns (see `_sketch`), then factorised as "qr" (sketch-and-solve:
  the residual grows by at most a small factor, the QR flops fall by m/(factor·n)).
* "gelsd" / "gelsy": the whole matrix in memory, column-scaled, then `scipy.linalg.lstsq`
  (SVD divide-and-conquer / complete orthogonal factorisation).

The matrices of random-feature collocation are numerically rank deficient (condition numbers
around 1e16 and more), so a truncating solver is needed; normal equations lose the accuracy.
"""

import time

import numpy as np
import scipy.linalg as sla
from scipy.linalg import lapack

from ._sketch import DEFAULT_NONZEROS, sketch_rows

SOLVERS = ("qr", "sketch", "gelsd", "gelsy")
FINISHES = ("svd", "pivoted")


def streamed_r(blocks, widths: list[int]) -> np.ndarray:
    """The (n+1)×(n+1) triangular factor of the augmented matrix [A | b] from its row blocks.

    Args:
        blocks: iterable of (support, block): `support` the indices of the column blocks
            (networks) present, `block` of shape (rows, Σ_{k∈support} widths[k] + 1), the
            right-hand side last (Fortran order avoids a copy).
        widths: column count of every column block; n = Σ widths.

    Returns:
        Upper-triangular R_aug with [A | b] = Q R_aug; its last column holds Qᵀb (top n
        entries) and ± the least-squares residual of the full-rank problem (last entry).
    """
    offsets = np.concatenate([[0], np.cumsum(widths)])
    full = tuple(range(len(widths)))
    factors: dict[tuple, np.ndarray] = {}
    for sup, block in blocks:
        n = block.shape[1]
        if sup not in factors:
            factors[sup] = np.zeros((n, n), order="F")
        factors[sup] = _tp_update(factors[sup], block)
    n_cols = int(offsets[-1])
    r = factors.pop(full, None)
    if factors and sorted(k for sup in factors for k in sup) == list(full):
        # The narrow supports partition the columns: their factors form a block-diagonal
        # triangle at no cost, and the full factor enters it as a triangle.
        diag = _block_diagonal(factors, offsets)
        return np.triu(diag if r is None else _tp_update(diag, np.triu(r), triangular=True))
    r = np.zeros((n_cols + 1, n_cols + 1), order="F") if r is None else r
    for sup, part in factors.items():
        embedded = np.zeros((part.shape[0], n_cols + 1), order="F")
        embedded[:, _columns(sup, offsets)] = np.triu(part)
        r = _tp_update(r, embedded)
    return np.triu(r)


def _columns(sup, offsets) -> np.ndarray:
    """Column indices of the augmented system covered by a support (its blocks and b)."""
    n = int(offsets[-1])
    return np.concatenate([np.arange(offsets[k], offsets[k + 1]) for k in sup] + [[n]])


def _block_diagonal(factors: dict, offsets) -> np.ndarray:
    """[A | b]'s triangular factor from the factors of disjoint supports covering all columns.

    Each factor (w+1)×(w+1) holds R_k, Q_kᵀb_k and the residual ρ_k; stacked, the rows
    [R_k | Q_kᵀb_k] are upper triangular and the residual rows combine into √(Σ ρ_k²).
    """
    n = int(offsets[-1])
    r = np.zeros((n + 1, n + 1), order="F")
    residual = 0.0
    for sup, part in factors.items():
        cols = _columns(sup, offsets)
        w = len(cols) - 1
        r[np.ix_(cols[:w], cols)] = np.triu(part)[:w]
        residual = np.hypot(residual, part[w, w])
    r[n, n] = residual
    return r


def _tp_update(r: np.ndarray, block: np.ndarray, triangular: bool = False) -> np.ndarray:
    """R of QR([R; block]) by LAPACK dtpqrt (R upper triangular, overwritten).

    With triangular=True the block is itself square upper triangular, which dtpqrt exploits
    (about a third of the flops of a dense block of the same size).
    """
    nb = max(1, min(64, r.shape[0], block.shape[0]))
    rows = block.shape[0] if triangular else 0
    r, _, _, info = lapack.dtpqrt(rows, nb, r, block, overwrite_a=True, overwrite_b=True)
    if info != 0:
        raise RuntimeError(f"LAPACK dtpqrt failed with info={info}.")
    return r


def column_scales(a: np.ndarray) -> np.ndarray:
    """1/‖column‖₂ for each column (1 for zero columns, never a division by zero)."""
    norms = np.linalg.norm(a, axis=0)
    return np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 1.0)


def solve_triangular_factor(r_aug: np.ndarray, *, finish: str, rcond: float):
    """Rank-revealing solve of min ‖R x − c‖ with R, c from `streamed_r`.

    Returns:
        (x, stats) with stats holding "rank", "condition" (of the column-scaled factor, over
        all its singular values or pivots) and "cutoff".
    """
    n = r_aug.shape[0] - 1
    r, c = r_aug[:n, :n], r_aug[:n, n]
    d = column_scales(r)
    rs = r * d
    if finish == "svd":
        u, s, vt = sla.svd(rs, lapack_driver="gesdd", check_finite=False)
        keep = s > rcond * s[0]
        y = vt[keep].T @ ((u[:, keep].T @ c) / s[keep])
        rank = int(np.sum(keep))
        cond = float(s[0] / s[-1]) if s[-1] > 0 else float("inf")
    else:
        q, rp, perm = sla.qr(rs, pivoting=True, check_finite=False)
        diag = np.abs(np.diag(rp))
        rank = int(np.sum(diag > rcond * diag[0]))
        y = np.zeros(n)
        y[perm[:rank]] = sla.solve_triangular(rp[:rank, :rank], (q.T @ c)[:rank],
                                              check_finite=False)
        cond = float(diag[0] / diag[-1]) if diag[-1] > 0 else float("inf")
    return d * y, {"rank": rank, "condition": cond, "cutoff": rcond}


def solve_dense(a: np.ndarray, rhs: np.ndarray, *, driver: str, rcond: float):
    """Column-scaled `scipy.linalg.lstsq` on the whole matrix; returns (x, stats)."""
    d = column_scales(a)
    y, _, rank, s = sla.lstsq(a * d, rhs, cond=rcond, lapack_driver=driver, check_finite=False)
    stats = {"rank": int(rank), "cutoff": rcond}
    if s is not None and len(s):
        stats["condition"] = float(s[0] / s[-1]) if s[-1] > 0 else float("inf")
    return d * y, stats


def least_squares(blocks, widths: list[int], *, solver: str, finish: str, rcond: float,
                  rng: np.random.Generator | None = None, sketch_factor: float = 2.0,
                  sketch_nonzeros: int = DEFAULT_NONZEROS):
    """Solve the row-blocked system; returns (x, stats).

    Args:
        blocks: iterable of (support, block) as in `streamed_r`.
        widths: column count of every column block (network).
        solver: one of `SOLVERS`.
        finish: "svd" or "pivoted" (for solver="qr" and "sketch").
        rcond: relative cutoff for the numerical rank.
        rng: random source of the sketch (solver="sketch" only; required there).
        sketch_factor: sketch rows per column of each support.
        sketch_nonzeros: nonzeros per input row of the sparse sign embedding.

    Returns:
        x (n,) and stats: "rank", "condition", "cutoff", "time_finish_s" (the small
        rank-revealing step of "qr"/"sketch", 0 for the dense drivers), and for "sketch"
        "sketched_rows" (rows entering the QR), and "time_sketch_s".
    """
    sketch_stats = {}
    if solver == "sketch":
        if rng is None:
            raise ValueError("solver='sketch' needs a random generator `rng`.")
        blocks, rows, seconds = sketch_rows(blocks, factor=sketch_factor,
                                            nonzeros=sketch_nonzeros, rng=rng)
        sketch_stats = {"sketched_rows": rows, "time_sketch_s": seconds}
    if solver in ("qr", "sketch"):
        r_aug = streamed_r(blocks, widths)
        t0 = time.perf_counter()
        x, stats = solve_triangular_factor(r_aug, finish=finish, rcond=rcond)
        stats["time_finish_s"] = time.perf_counter() - t0
        return x, {**stats, **sketch_stats}
    full = dense_matrix(blocks, widths)
    n = sum(widths)
    x, stats = solve_dense(full[:, :n], full[:, n], driver=solver, rcond=rcond)
    stats["time_finish_s"] = 0.0
    return x, stats


def dense_matrix(blocks, widths: list[int]) -> np.ndarray:
    """The whole [A | b] (rows, n + 1) from (support, block) pairs."""
    offsets = np.concatenate([[0], np.cumsum(widths)])
    n = int(offsets[-1])
    parts = []
    for sup, block in blocks:
        full = np.zeros((block.shape[0], n + 1))
        full[:, _columns(sup, offsets)] = block
        parts.append(full)
    return np.concatenate(parts)

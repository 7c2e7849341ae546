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
* "gelsd" / "gelsy": the whole matrix in memory, column-scaled, then `scipy.linalg.lstsq`
  (SVD divide-and-conquer / complete orthogonal factorisation).

The matrices of random-feature collocation are numerically rank deficient (condition numbers
around 1e16 and more), so a truncating solver is needed; normal equations lose the accuracy.
"""

import time

import numpy as np
import scipy.linalg as sla
from scipy.linalg import lapack

SOLVERS = ("qr", "gelsd", "gelsy")
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
    r = factors.pop(full, np.zeros((n_cols + 1, n_cols + 1), order="F"))
    for sup, part in factors.items():
        cols = np.concatenate([np.arange(offsets[k], offsets[k + 1]) for k in sup] + [[n_cols]])
        embedded = np.zeros((part.shape[0], n_cols + 1), order="F")
        embedded[:, cols] = np.triu(part)
        r = _tp_update(r, embedded)
    return np.triu(r)


def _tp_update(r: np.ndarray, block: np.ndarray) -> np.ndarray:
    """R of QR([R; block]) by LAPACK dtpqrt (R upper triangular, overwritten)."""
    nb = max(1, min(64, r.shape[0], block.shape[0]))
    r, _, _, info = lapack.dtpqrt(0, nb, r, block, overwrite_a=True, overwrite_b=True)
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


def least_squares(blocks, widths: list[int], *, solver: str, finish: str, rcond: float):
    """Solve the row-blocked system; returns (x, stats).

    Args:
        blocks: iterable of (support, block) as in `streamed_r`.
        widths: column count of every column block (network).
        solver: one of `SOLVERS`.
        finish: "svd" or "pivoted" (for solver="qr").
        rcond: relative cutoff for the numerical rank.

    Returns:
        x (n,) and stats: "rank", "condition", "cutoff", "time_finish_s" (the small
        rank-revealing step of "qr", 0 for the dense drivers).
    """
    if solver == "qr":
        r_aug = streamed_r(blocks, widths)
        t0 = time.perf_counter()
        x, stats = solve_triangular_factor(r_aug, finish=finish, rcond=rcond)
        stats["time_finish_s"] = time.perf_counter() - t0
        return x, stats
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
        cols = np.concatenate([np.arange(offsets[k], offsets[k + 1]) for k in sup] + [[n]])
        full = np.zeros((block.shape[0], n + 1))
        full[:, cols] = block
        parts.append(full)
    return np.concatenate(parts)

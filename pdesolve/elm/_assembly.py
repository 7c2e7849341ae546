"""Row groups of a collocation least-squares system, assembled in row blocks.

A system is a list of `RowGroup`s; each group is one equation imposed at a set of points,
written as a sum over networks of (coefficient × operator applied to that network's
features). Blocks of at most `block_rows` rows are assembled by one jitted function, row
scaled, and handed to a least-squares solver one at a time, so the full matrix never has to
exist in memory.
"""

import dataclasses
import functools

import jax
import jax.numpy as jnp
import numpy as np

from ._features import Network, apply_operator

ROW_SCALINGS = ("maxabs", "l2", "none")
_PAD = 128


@dataclasses.dataclass(frozen=True)
class RowGroup:
    """One equation at a set of points.

    Attributes:
        name: label used in `sol.info` (e.g. "interior: Δv = f").
        points: (n, d) collocation points.
        normals: (n, d) outward unit normals or None.
        rhs: (n,) right-hand side values.
        terms: one (operator or None, coefficient) per network; None means the network does
            not enter this equation. A sum of operators is a tuple of operators with a tuple
            of coefficients (e.g. (("value", "normal"), (α, 1.0)) for a Robin row).
    """

    name: str
    points: np.ndarray
    normals: np.ndarray | None
    rhs: np.ndarray
    terms: tuple

    @property
    def size(self) -> int:
        return int(self.points.shape[0])


def block_matrix(weights, biases, x, normals, rhs, mask, row_scaling, *, activations, terms):
    """The row-scaled block [A | b] (rows, Σ widths + 1) of one group (JAX-traceable).

    Args:
        weights, biases, activations: per network of the group's support.
        x, normals, rhs: the block's points (rows, d), normals (rows, d) and data (rows,).
        mask: (rows,) True for real rows; padding rows come out zero.
        row_scaling: 0 (1/max|row|), 1 (1/‖row‖₂) or 2 (none), traced.
        terms: the (operator, coefficient) pair of every network of the support.
    """
    cols = [
        sum(c * apply_operator(w, b, act, o, x, normals) for o, c in _pairs(op, coef))
        for w, b, act, (op, coef) in zip(weights, biases, activations, terms, strict=True)
    ]
    a = jnp.concatenate(cols, axis=1) if len(cols) > 1 else cols[0]
    # row_scaling is traced (0: maxabs, 1: l2, 2: none) so residual passes reuse the compile
    norm = jnp.where(row_scaling == 0, jnp.max(jnp.abs(a), axis=1),
                     jnp.where(row_scaling == 1, jnp.linalg.norm(a, axis=1), 1.0))
    scale = jnp.where(mask & (norm > 0), 1.0 / jnp.where(norm > 0, norm, 1.0), 0.0)
    return jnp.concatenate([a, rhs[:, None]], axis=1) * scale[:, None]


@functools.partial(jax.jit, static_argnames=("activations", "terms"))
def _assemble(weights, biases, x, normals, rhs, mask, row_scaling, *, activations, terms):
    # Returned transposed: its NumPy view `.T` is Fortran-ordered, as LAPACK wants it.
    return block_matrix(weights, biases, x, normals, rhs, mask, row_scaling,
                        activations=activations, terms=terms).T


def _pairs(op, coef):
    return zip(op, coef, strict=True) if isinstance(op, tuple) else ((op, coef),)


def support(group: RowGroup) -> tuple[int, ...]:
    """Indices of the networks that enter the group's equation (its nonzero column blocks)."""
    return tuple(k for k, (op, _) in enumerate(group.terms) if op is not None)


def iter_blocks(networks: list[Network], groups: list[RowGroup], *, block_rows: int,
                row_scaling: str, raw: bool = False):
    """Yield (group index, support, block) for all row blocks of all groups.

    A block has shape (rows, n_support + 1) in Fortran order: only the columns of the
    networks in `support` (the others are zero in these rows), then the right-hand side.
    Rows are scaled by 1/max|row| ("maxabs"), 1/‖row‖₂ ("l2") or not at all ("none"); zero
    rows stay zero; padding rows are zero. `raw=True` turns scaling off and drops padding
    (for residuals of the unscaled equations).
    """
    weights = tuple(jnp.asarray(n.weights) for n in networks)
    biases = tuple(jnp.asarray(n.biases) for n in networks)
    activations = tuple(n.activation for n in networks)
    for gi, group in enumerate(groups):
        sup = support(group)
        args = tuple(tuple(v[k] for k in sup) for v in (weights, biases, activations))
        terms = tuple(group.terms[k] for k in sup)
        normals = group.normals if group.normals is not None else np.zeros_like(group.points)
        for start in range(0, group.size, block_rows):
            stop = min(start + block_rows, group.size)
            rows = stop - start
            padded = block_rows if rows == block_rows else -(-rows // _PAD) * _PAD
            sl = slice(start, stop)
            x = _pad(group.points[sl], padded)
            nrm = _pad(normals[sl], padded)
            rhs = _pad(group.rhs[sl], padded)
            mask = np.arange(padded) < rows
            kind = ROW_SCALINGS.index("none" if raw else row_scaling)
            block = _assemble(args[0], args[1], x, nrm, rhs, mask, kind, activations=args[2],
                              terms=terms)
            yield gi, sup, np.asarray(block).T[:rows] if raw else np.asarray(block).T


def _pad(a: np.ndarray, n: int) -> np.ndarray:
    if a.shape[0] == n:
        return a
    pad = np.zeros((n - a.shape[0], *a.shape[1:]), a.dtype)
    return np.concatenate([a, pad])

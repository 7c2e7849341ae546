"""The transfinite (Coons) blend of boundary data on a box and its face factor.

With the 1D projectors P_k f = (1 − s_k) f|_{x_k=lo} + s_k f|_{x_k=hi},
s_k = (x_k − lo_k)/(hi_k − lo_k) (one term when only one face of axis k is Dirichlet), the
Boolean sum B = I − Π_k (I − P_k) over the Dirichlet axes reproduces the data on every Dirichlet
face and reads the data only on the boundary. The factor Π_k 4 s_k (1 − s_k) (or s_k, 1 − s_k for
one Dirichlet face of axis k) vanishes exactly on the Dirichlet faces and is at most 1.
"""

import itertools

import jax
import jax.numpy as jnp
import numpy as np


def dirichlet_axes(conditions, dim: int):
    """[(axis, sides)] per axis with a Dirichlet face; sides ⊆ (0, 1), face 2k + side."""
    axes = []
    for k in range(dim):
        sides = tuple(s for s in (0, 1) if conditions[2 * k + s][0] == "dirichlet")
        if sides:
            axes.append((k, sides))
    return axes


def coons_blend(lo, hi, conditions, axes):
    """B g(x, t) for the box [lo, hi]: the Boolean sum of the face projectors over `axes`.

    Each term is sign × Π (s_k or 1 − s_k) × g(x pinned to faces). The terms are tabulated once
    and those reading the same data function are evaluated in one `vmap`, so the traced graph
    does not grow with the number of terms (26 for a 3D box; one trace per term made the
    derivative graph slow to compile).

    Args:
        lo, hi: corners of shape (d,).
        conditions: `(kind, g)` per face 2k + side, g(x, t) -> scalar.
        axes: `dirichlet_axes(conditions, d)`, non-empty.

    Returns:
        `blend(x, t)` for one point x of shape (d,).
    """
    d = len(lo)
    tables = {}
    for r in range(1, len(axes) + 1):
        for subset in itertools.combinations(axes, r):
            for choice in itertools.product(*(sides for _, sides in subset)):
                code, mask, value = np.full(d, 2), np.zeros(d, bool), np.zeros(d)
                for (k, sides), side in zip(subset, choice, strict=True):
                    if len(sides) == 2:
                        code[k] = side
                    mask[k], value[k] = True, hi[k] if side else lo[k]
                g = conditions[2 * subset[0][0] + choice[0]][1]
                rows = tables.setdefault(id(g), (g, []))[1]
                rows.append((1.0 if r % 2 else -1.0, code, mask, value))
    tables = [(g, *(np.array(column) for column in zip(*rows, strict=True)))
              for g, rows in tables.values()]

    def blend(x, t):
        s = (x - jnp.asarray(lo, x.dtype)) / jnp.asarray(hi - lo, x.dtype)
        total = jnp.zeros((), dtype=x.dtype)
        for g, sign, code, mask, value in tables:
            factors = jnp.where(code == 1, s, jnp.where(code == 0, 1 - s, 1))
            weights = jnp.asarray(sign, x.dtype) * jnp.prod(factors, axis=1)
            points = jnp.where(mask, jnp.asarray(value, x.dtype), x)
            values = jax.vmap(g, in_axes=(0, None))(points, t)
            total = total + jnp.dot(weights, values.astype(x.dtype))
        return total

    return blend


def face_factor(lo, hi, axes):
    """x ↦ Π over `axes` of 4 s_k (1 − s_k) (both faces Dirichlet), s_k or 1 − s_k (one)."""
    lo, hi = np.asarray(lo).tolist(), np.asarray(hi).tolist()

    def factor(x):
        out = jnp.ones((), dtype=x.dtype)
        for k, sides in axes:
            s = (x[k] - lo[k]) / (hi[k] - lo[k])
            if len(sides) == 2:
                out = out * 4 * s * (1 - s)
            else:
                out = out * (s if sides[0] == 0 else 1 - s)
        return out

    return factor

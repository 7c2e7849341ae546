"""`plot_domain`: draw a 2D domain with sample points and outward normals (matplotlib, Agg-safe)."""

import numpy as np

from ._check import check_domain
from ._domain import Domain


def plot_domain(
    domain: Domain,
    *,
    key,
    n_interior: int = 600,
    n_boundary: int = 160,
    normals: int = 40,
    method: str = "random",
    ax=None,
    title: str | None = None,
):
    """Scatter interior and boundary samples of a 2D domain and draw outward normal arrows.

    Uses matplotlib's object API only (no pyplot, never shows a window), so it works with any
    backend, including Agg on a headless machine.

    Args:
        domain: a 2D `Domain`.
        key: JAX PRNG key for the samples.
        n_interior: number of interior points drawn.
        n_boundary: number of boundary points drawn.
        normals: how many of the boundary points get a normal arrow.
        method: sampling method.
        ax: matplotlib Axes to draw into; a new Figure is made when None.
        title: axes title (default: the domain's type name).

    Returns:
        The matplotlib Figure holding the axes.

    Raises:
        TypeError: `domain` is not a geometry Domain.
        ValueError: the domain is not two-dimensional.
    """
    import jax

    check_domain(domain)
    if domain.dim != 2:
        raise ValueError(f"plot_domain draws 2D domains, got a {domain.dim}-D {domain!r}.")
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(4.5, 4.5))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    k_in, k_bd = jax.random.split(key)
    inner = domain.sample_interior(n_interior, key=k_in, method=method)
    pts, nrm = domain.sample_boundary(n_boundary, key=k_bd, method=method)
    cells = getattr(domain, "cells", None)
    if cells is not None:
        ax.triplot(domain.points[:, 0], domain.points[:, 1], cells, lw=0.2, color="0.8")
    ax.scatter(inner[:, 0], inner[:, 1], s=2, color="tab:blue", label="interior")
    ax.scatter(pts[:, 0], pts[:, 1], s=4, color="tab:red", label="boundary")
    lo, hi = domain.bbox
    size = 0.06 * float(np.max(hi - lo))
    arrows = slice(0, n_boundary, max(1, n_boundary // max(normals, 1)))
    ax.quiver(
        pts[arrows, 0], pts[arrows, 1], nrm[arrows, 0], nrm[arrows, 1],
        angles="xy", scale_units="xy", scale=1 / size, width=0.004, color="k",
    )
    pad = 0.1 * (hi - lo)
    ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
    ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
    ax.set_aspect("equal")
    ax.set_title(title if title is not None else type(domain).__name__)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return fig

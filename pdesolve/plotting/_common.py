"""Helpers shared by the plotting modules: pyplot-free figures, argument checks, colour scales."""

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.tri import Triangulation

# what the plots use of a domain: any object with these (e.g. a geometry Domain) is accepted
PLOT_NEEDS = ("dim", "bbox", "contains")


def new_axes(ax=None, *, ncols: int = 1, nrows: int = 1, width: float = 4.6, height: float = 3.8,
             aspect: float | None = None, margin: float = 1.9):
    """A figure and its axes: the given `ax` (and its figure), or a fresh pyplot-free figure.

    A fresh figure is a plain `matplotlib.figure.Figure` (never registered with pyplot), so
    nothing is shown or kept alive behind the caller's back; Jupyter displays it when it is the
    last expression of a cell, and `fig.savefig(path)` writes it. `aspect` (height / width of
    the data, for equal-aspect maps) sets each panel's height so colour bars match the map;
    `margin` is the width (inches) of a panel not used by the map (labels, colour bar).
    """
    if ax is not None:
        if ncols * nrows != 1:
            raise ValueError(f"ax can only be given for a single-panel plot, not {nrows}×{ncols}.")
        return ax.figure, [ax]
    if aspect is not None:
        height = float(np.clip((width - margin) * aspect + 1.0, 1.8, 2.0 * width))
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, list(axes.ravel())


def check_resolution(n, name: str = "n", minimum: int = 2) -> int:
    """A grid resolution: an int ≥ `minimum`."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be an int (grid points per side), got {n!r}.")
    if n < minimum:
        raise ValueError(f"{name} must be at least {minimum} grid points per side, got {n}.")
    return int(n)


def mask_nonfinite(tri, values: np.ndarray):
    """`(tri, values)` with the triangles touching a non-finite value masked (a new
    triangulation, the given one is left alone) and those values replaced by a finite one."""
    bad = ~np.isfinite(values)
    if not bad.any():
        return tri, values
    mask = bad[tri.triangles].any(axis=1)
    if tri.mask is not None:
        mask = mask | tri.mask
    fill = float(np.min(values[~bad])) if (~bad).any() else 0.0
    return Triangulation(tri.x, tri.y, tri.triangles, mask=mask), np.where(bad, fill, values)


def add_colorbar(fig, mappable, ax, label: str):
    """A colour bar for `mappable` next to `ax` with its label."""
    cbar = fig.colorbar(mappable, ax=ax)
    cbar.set_label(label)
    return cbar


def positive_floor(values: np.ndarray) -> np.ndarray:
    """Non-negative values lifted to a positive floor so a log colour scale can show them.

    The floor is the smallest positive value, but at least 1e-10 × the largest (so exact zeros,
    e.g. where boundary data are imposed exactly, do not stretch the scale over 16 decades) and
    ≥ 1e-200 (so matplotlib's colour bar stays finite).
    """
    positive = values[values > 0]
    if positive.size == 0:
        return values
    floor = max(float(np.min(positive)), float(np.max(positive)) * 1e-10, 1e-200)
    return np.where(np.isnan(values), values, np.maximum(values, floor))


def log_norm(values: np.ndarray, vmin=None, vmax=None):
    """`(values, norm)` for a log colour scale of non-negative values (limits default to the
    data's); an all-zero field keeps a linear scale (norm None): a log scale has nothing to show.
    """
    values = positive_floor(values)
    if not np.any(values > 0):
        return values, None
    vmin = float(np.nanmin(values)) if vmin is None else float(vmin)
    vmax = float(np.nanmax(values)) if vmax is None else float(vmax)
    if not 0 < vmin < np.inf or not vmin < vmax < np.inf:
        raise ValueError(f"a log colour scale needs 0 < vmin < vmax, got vmin={vmin}, vmax={vmax}.")
    return values, LogNorm(vmin=vmin, vmax=vmax)


def bbox_aspect(lo, hi) -> float:
    """Height / width of a 2D bounding box (for `new_axes(aspect=...)`)."""
    width, height = float(hi[0] - lo[0]), float(hi[1] - lo[1])
    return height / width if width > 0 else 1.0

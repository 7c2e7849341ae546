"""Time-dependent fields: space–time maps for 1D + t and snapshots at chosen times."""

import numpy as np
from matplotlib.colors import Normalize

from ..fields import evaluate
from ..geometry import check_domain
from ._common import (
    PLOT_NEEDS,
    add_colorbar,
    bbox_aspect,
    check_resolution,
    log_norm,
    mask_nonfinite,
    new_axes,
)
from ._triangulation import domain_triangulation


def plot_spacetime(u, domain, t_span, *, n: int = 160, nt: int = 120, ax=None, label: str = "u",
                   title: str | None = None, cmap: str = "viridis", log: bool = False):
    """Colour map of u(x, t) over the (x, t) rectangle of a 1D problem.

    Args:
        u: vectorised callable u(x, t) -> (m,) with x of shape (m, 1) and t of shape (m,).
        domain: the 1D spatial domain (an `Interval`); its bounding box gives the x range.
        t_span: `(t0, t1)` with t0 < t1.
        n: grid points in x.
        nt: grid points in t.
        ax: axes to draw into; default a new figure.
        label: colour-bar label.
        title: axes title.
        cmap: matplotlib colour map name.
        log: logarithmic colour scale (for errors).

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: `domain` is not 1D, `t_span` is not an increasing pair, or `u` returns the
            wrong shape.
    """
    check_domain(domain, dims=(1,), needs=PLOT_NEEDS, purpose="for this plot")
    n, nt = check_resolution(n), check_resolution(nt, "nt")
    t0, t1 = _check_t_span(t_span)
    lo, hi = (float(np.asarray(b).ravel()[0]) for b in domain.bbox)
    xs, ts = np.linspace(lo, hi, n), np.linspace(t0, t1, nt)
    X, T = np.meshgrid(xs, ts, indexing="xy")
    values = evaluate(u, X.reshape(-1, 1), T.ravel(), name="u", finite=False).reshape(T.shape)
    fig, (ax,) = new_axes(ax)
    norm = None
    if log:
        if np.any(values < 0):
            raise ValueError("log=True needs non-negative values (e.g. an error field).")
        values, norm = log_norm(values)
    mesh = ax.pcolormesh(X, T, np.ma.masked_invalid(values), shading="gouraud", cmap=cmap,
                         norm=norm)
    add_colorbar(fig, mesh, ax, label)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$t$")
    if title:
        ax.set_title(title)
    return fig


def plot_snapshots(u, domain, times, *, exact=None, n: int = 120, label: str = "u",
                   cmap: str = "viridis", title: str | None = None):
    """u(·, t) at a few times: overlaid curves for 1D domains, a row of maps for 2D domains.

    In 1D each time is one curve (the exact solution, when given, dashed in the same colour).
    In 2D each time is one panel, all sharing one colour scale and one labelled colour bar.

    Args:
        u: vectorised callable u(x, t) -> (m,), x of shape (m, d), t of shape (m,).
        domain: the 1D or 2D spatial domain.
        times: the snapshot times (a non-empty sequence of numbers).
        exact: optional vectorised callable exact(x, t) -> (m,), drawn in 1D.
        n: grid points along the longer side.
        label: the quantity's name (y label in 1D, colour-bar label in 2D).
        cmap: colour map for the 2D panels.
        title: figure title; default "snapshots" (1D: with a note on the dashed exact curves).

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: `domain` is not 1D or 2D, or `times` is empty or not finite.
    """
    check_domain(domain, dims=(1, 2), needs=PLOT_NEEDS, purpose="for this plot")
    times = np.atleast_1d(np.asarray(times, dtype=np.float64))
    if times.ndim != 1 or times.size == 0 or not np.all(np.isfinite(times)):
        raise ValueError(f"times must be a non-empty list of finite numbers, got {times!r}.")
    if domain.dim == 1:
        return _snapshots_1d(u, domain, times, exact=exact, n=check_resolution(n), label=label,
                             title=title)
    tri = domain_triangulation(domain, n=n)
    x = np.column_stack([tri.x, tri.y])
    fields = [evaluate(u, x, np.full(x.shape[0], t), name="u", finite=False) for t in times]
    norm = Normalize(vmin=min(np.nanmin(f) for f in fields), vmax=max(np.nanmax(f) for f in fields))
    fig, axes = new_axes(ncols=times.size, width=3.6, aspect=bbox_aspect(x.min(0), x.max(0)),
                         margin=1.4)  # labels; one colour bar for all panels
    for ax, t, values in zip(axes, times, fields, strict=True):
        shown, values = mask_nonfinite(tri, values)
        mappable = ax.tripcolor(shown, values, shading="gouraud", cmap=cmap, norm=norm)
        ax.set_aspect("equal")
        ax.set_title(f"$t = {t:.3g}$")
        ax.set_xlabel("$x_0$")
        ax.set_ylabel("$x_1$")
    add_colorbar(fig, mappable, axes, label)
    if title:
        fig.suptitle(title)
    return fig


def _snapshots_1d(u, domain, times, *, exact, n, label, title):
    lo, hi = (float(np.asarray(b).ravel()[0]) for b in domain.bbox)
    xs = np.linspace(lo, hi, n)
    fig, (ax,) = new_axes()
    for k, t in enumerate(times):
        tt = np.full(n, t)
        colour = f"C{k % 10}"
        values = evaluate(u, xs[:, None], tt, name="u", finite=False)
        ax.plot(xs, values, color=colour, label=f"$t = {t:.3g}$")
        if exact is not None:
            ax.plot(xs, evaluate(exact, xs[:, None], tt, name="exact", finite=False), "--",
                    color=colour,
                    linewidth=1)
    ax.set_xlabel("$x$")
    ax.set_ylabel(label)
    if title is None:
        title = "snapshots"
    ax.set_title(title + (" (dashed: exact)" if exact is not None else ""))
    ax.legend(fontsize="small")
    return fig


def _check_t_span(t_span):
    try:
        t0, t1 = (float(v) for v in t_span)
    except (TypeError, ValueError):
        raise ValueError(f"t_span must be a pair (t0, t1), got {t_span!r}.") from None
    if not (np.isfinite(t0) and np.isfinite(t1)) or t1 <= t0:
        raise ValueError(f"t_span must have finite t0 < t1, got {t_span!r}.")
    return t0, t1

"""Solution and pointwise-error fields on 2D domains, and planar slices of 3D fields."""

import numpy as np
from matplotlib.colors import Normalize

from ..fields import evaluate
from ._common import add_colorbar, bbox_aspect, log_norm, mask_nonfinite, new_axes
from ._triangulation import domain_triangulation, slice_triangulation


def plot_field(u, domain, *, n: int = 120, ax=None, label: str = "u", title: str | None = None,
               cmap: str = "viridis", log: bool = False, vmin: float | None = None,
               vmax: float | None = None, triangulation=None):
    """Colour map of a scalar field u on a 2D domain; holes stay blank.

    Args:
        u: vectorised callable u(x) -> (m,) for x of shape (m, 2), or an array of values at the
            vertices of `triangulation`.
        domain: the 2D geometry domain (see `domain_triangulation`).
        n: grid points along the longer side of the bounding box.
        ax: axes to draw into; default a new figure.
        label: colour-bar label (the quantity and its units).
        title: axes title; default none.
        cmap: matplotlib colour map name.
        log: logarithmic colour scale (for non-negative fields such as errors).
        vmin, vmax: colour-scale limits (default: the data's), e.g. to share one scale
            between panels.
        triangulation: reuse a triangulation from `domain_triangulation` (saves re-sampling).

    Returns:
        The matplotlib Figure.

    Raises:
        TypeError: `u` is neither callable nor an array, or `domain` is not a domain.
        ValueError: `domain` is not 2D or `u` gives values of the wrong shape or non-finite.
    """
    tri = domain_triangulation(domain, n=n) if triangulation is None else triangulation
    x = np.column_stack([tri.x, tri.y])
    values = evaluate(u, x, name="u", finite=False)
    fig, (ax,) = new_axes(ax, aspect=bbox_aspect(x.min(axis=0), x.max(axis=0)))
    _draw(fig, ax, tri, values, label=label, title=title, cmap=cmap, log=log, vmin=vmin,
          vmax=vmax)
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    return fig


def plot_error(u, exact, domain, *, n: int = 120, ax=None, label: str = r"$|u - u_{exact}|$",
               title: str | None = "pointwise error", log: bool = True,
               vmin: float | None = None, vmax: float | None = None, triangulation=None):
    """Colour map of the pointwise error |u − u_exact| on a 2D domain (log scale by default).

    Args:
        u: vectorised callable u(x) -> (m,) (the approximate solution).
        exact: vectorised callable exact(x) -> (m,) (the reference solution).
        domain: the 2D geometry domain.
        n: grid points along the longer side of the bounding box.
        ax: axes to draw into; default a new figure.
        label: colour-bar label.
        title: axes title.
        log: logarithmic colour scale; zeros are lifted to the smallest positive error.
        vmin, vmax: colour-scale limits (default: the data's).
        triangulation: reuse a triangulation from `domain_triangulation`.

    Returns:
        The matplotlib Figure.

    Raises:
        TypeError, ValueError: as for `plot_field`.
    """
    tri = domain_triangulation(domain, n=n) if triangulation is None else triangulation
    x = np.column_stack([tri.x, tri.y])
    error = np.abs(evaluate(u, x, name="u", finite=False)
                   - evaluate(exact, x, name="exact", finite=False))
    return plot_field(error, domain, ax=ax, label=label, title=title, cmap="magma", log=log,
                      vmin=vmin, vmax=vmax, triangulation=tri)


def plot_slice(u, domain, *, axis: int = 2, value: float | None = None, n: int = 120, ax=None,
               label: str = "u", title: str | None = None, cmap: str = "viridis",
               log: bool = False, vmin: float | None = None, vmax: float | None = None):
    """Colour map of a 3D field on the plane x_axis = value (default z = middle of the bbox).

    Points of the plane outside the domain are left blank, so cavities show as holes.

    Args:
        u: vectorised callable u(x) -> (m,) for x of shape (m, 3).
        domain: the 3D geometry domain.
        axis: the coordinate held fixed (2: a z = c slice).
        value: the plane's coordinate; default the middle of the bounding box.
        n: grid points along the longer side of the plane.
        ax: axes to draw into; default a new figure.
        label: colour-bar label.
        title: axes title; default names the plane.
        cmap: matplotlib colour map name.
        log: logarithmic colour scale.
        vmin, vmax: colour-scale limits (default: the data's).

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: `domain` is not 3D, bad `axis`/`value`, or `u` returns the wrong shape.
    """
    tri, lift, value = slice_triangulation(domain, axis=axis, value=value, n=n)
    plane = np.column_stack([tri.x, tri.y])
    values = evaluate(u, lift(plane), name="u", finite=False)
    fig, (ax,) = new_axes(ax, aspect=bbox_aspect(plane.min(axis=0), plane.max(axis=0)))
    title = f"slice $x_{axis} = {value:.3g}$" if title is None else title
    _draw(fig, ax, tri, values, label=label, title=title, cmap=cmap, log=log, vmin=vmin,
          vmax=vmax)
    free = [k for k in range(3) if k != axis]
    ax.set_xlabel(f"$x_{free[0]}$")
    ax.set_ylabel(f"$x_{free[1]}$")
    return fig


def _draw(fig, ax, tri, values, *, label, title, cmap, log, vmin=None, vmax=None):
    tri, values = mask_nonfinite(tri, values)
    if log:
        if np.any(values < 0):
            raise ValueError("log=True needs non-negative values (e.g. an error field).")
        values, norm = log_norm(values, vmin, vmax)
    else:
        norm = Normalize(vmin=vmin, vmax=vmax)
    mappable = ax.tripcolor(tri, values, shading="gouraud", cmap=cmap, norm=norm)
    add_colorbar(fig, mappable, ax, label)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)

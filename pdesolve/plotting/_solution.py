"""One-call picture of a solution object: the field and its pointwise error, whatever the shape."""

import numpy as np

from ..fields import batch_exact, evaluate, solution_parts
from ._common import bbox_aspect, new_axes, positive_floor
from ._fields import plot_error, plot_field, plot_slice
from ._time import plot_spacetime
from ._triangulation import domain_triangulation


def plot_solution(sol, *, domain=None, exact=None, t: float | None = None, n: int = 120,
                  label: str = "u"):
    """The solution and, when an exact solution is known, its pointwise error, side by side.

    The picture depends on the problem: 1D → curves (solution and exact; error on a log axis);
    2D → colour maps on the domain with holes blank; 3D → the slice z = middle of the bounding
    box; 1D + t → space–time maps; 2D/3D + t → the maps above at time `t`.

    Args:
        sol: a solution: callable `sol(x)` (steady) or `sol(x, t)` (time-dependent) returning
            (m,) values, with a `problem` attribute (`domain`, `exact`, and `t_span` for
            time-dependent problems) unless `domain` and `exact` are given.
        domain: the spatial domain; default `sol.problem.domain`.
        exact: a POINTWISE exact solution `exact(x)` / `exact(x, t)` (x of shape (d,)); default
            `sol.problem.exact`; None draws the solution only.
        t: the time for 2D/3D time-dependent problems; default the final time.
        n: grid points along the longer side.
        label: the quantity's name for colour bars.

    Returns:
        The matplotlib Figure.

    Raises:
        TypeError: `sol` is not callable or no domain can be found.
        ValueError: as for the underlying plots.
    """
    if not callable(sol):
        raise TypeError(f"sol must be a callable solution, got {type(sol).__name__}.")
    domain, exact, t_span = solution_parts(sol, domain, exact,
                                           domain_hint="pass domain= explicitly.")
    exact_batch = None if exact is None else batch_exact(exact, t_span is not None)
    panels = 1 if exact is None else 2
    dim = domain.dim

    error_label = rf"$|{label} - {label}_{{exact}}|$"
    if t_span is not None and dim == 1:
        fig, axes = new_axes(ncols=panels)
        plot_spacetime(sol, domain, t_span, n=n, ax=axes[0], label=label, title="solution")
        if exact_batch is not None:
            plot_spacetime(lambda x, tt: np.abs(np.asarray(sol(x, tt)) - exact_batch(x, tt)),
                           domain, t_span, n=n, ax=axes[1], label=error_label,
                           title="pointwise error", log=True, cmap="magma")
        return fig

    if t_span is not None:
        t = float(t_span[1]) if t is None else float(t)
        u = _at_time(sol, t)
        ue = None if exact_batch is None else _at_time(exact_batch, t)
        suffix = f" at $t = {t:.3g}$"
    else:
        u, ue, suffix = sol, exact_batch, ""

    if dim == 1:
        return _plot_1d(u, ue, domain, n=n, label=label, suffix=suffix)
    lo, hi = (np.asarray(b, dtype=np.float64) for b in domain.bbox)
    fig, axes = new_axes(ncols=panels, aspect=bbox_aspect(lo, hi))
    if dim == 2:
        tri = domain_triangulation(domain, n=n)
        plot_field(u, domain, ax=axes[0], label=label, title="solution" + suffix,
                   triangulation=tri)
        if ue is not None:
            plot_error(u, ue, domain, ax=axes[1], title="pointwise error" + suffix,
                       label=error_label, triangulation=tri)
        return fig
    if dim == 3:
        plot_slice(u, domain, n=n, ax=axes[0], label=label)
        if ue is not None:
            plot_slice(lambda x: np.abs(np.asarray(u(x)) - np.asarray(ue(x))), domain, n=n,
                       ax=axes[1], label=error_label, log=True,
                       cmap="magma")
        return fig
    raise ValueError(f"plot_solution draws 1D, 2D and 3D domains, got a {dim}D domain.")


def _at_time(f, t):
    return lambda x: f(x, np.full(np.shape(x)[0], t))


def _plot_1d(u, ue, domain, *, n, label, suffix):
    lo, hi = (float(np.asarray(b).ravel()[0]) for b in domain.bbox)
    xs = np.linspace(lo, hi, max(n, 2))[:, None]
    values = evaluate(u, xs, name="u", finite=False)
    fig, axes = new_axes(ncols=1 if ue is None else 2)
    axes[0].plot(xs[:, 0], values, label="solution")
    if ue is not None:
        ref = evaluate(ue, xs, name="exact", finite=False)
        axes[0].plot(xs[:, 0], ref, "--", label="exact")
        axes[0].legend()
        err = np.abs(values - ref)
        axes[1].semilogy(xs[:, 0], positive_floor(err))
        axes[1].set_xlabel("$x$")
        axes[1].set_ylabel(rf"$|{label} - {label}_{{exact}}|$")
        axes[1].set_title("pointwise error" + suffix)
    axes[0].set_xlabel("$x$")
    axes[0].set_ylabel(label)
    axes[0].set_title("solution" + suffix)
    return fig

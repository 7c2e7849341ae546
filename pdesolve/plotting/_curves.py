"""Line plots: training histories (loss, error) and convergence studies."""

import numpy as np

from ._common import new_axes


def plot_history(curves, *, ax=None, xlabel: str = "step", ylabel: str = "loss",
                 title: str | None = None):
    """Histories on a logarithmic y axis, e.g. training loss or periodic error against step.

    Args:
        curves: one history, or a mapping name -> history. A history is a 1D array of values
            (x = 0, 1, 2, …) or a pair `(steps, values)` of equal-length arrays.
        ax: axes to draw into; default a new figure.
        xlabel: x-axis label.
        ylabel: y-axis label (the quantity).
        title: axes title.

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: a history is empty, has mismatched lengths or no positive finite value.
    """
    named = _named(curves, ylabel)
    fig, (ax,) = new_axes(ax)
    for name, curve in named.items():
        steps, values = _as_xy(curve, name)
        keep = np.isfinite(values) & (values > 0)
        if not keep.any():
            raise ValueError(
                f"history {name!r} has no positive finite value to plot on a log axis."
            )
        sparse = int(keep.sum()) <= 30  # a few evaluations: mark them, a lone point stays visible
        ax.semilogy(steps[keep], values[keep], "o-" if sparse else "-", markersize=4, label=name)
    _finish(ax, xlabel, ylabel, title, legend=len(named) > 1, grid="major")
    return fig


def plot_convergence(sizes, errors, *, ax=None, xlabel: str = "M",
                     ylabel: str = r"relative $L^2$ error", scale: str = "loglog",
                     title: str | None = None):
    """Error against a discretisation size (e.g. the number of features M), with markers.

    Args:
        sizes: the sizes, shape (k,).
        errors: the errors, shape (k,), or a mapping name -> errors of shape (k,).
        ax: axes to draw into; default a new figure.
        xlabel: x-axis label.
        ylabel: y-axis label.
        scale: "loglog" (algebraic convergence is a line) or "semilogy" (exponential
            convergence is a line).
        title: axes title.

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: unknown `scale`, or lengths that differ from `sizes`.
    """
    if scale not in ("loglog", "semilogy"):
        raise ValueError(f"scale must be 'loglog' or 'semilogy', got {scale!r}.")
    sizes = np.asarray(sizes, dtype=np.float64).ravel()
    named = _named(errors, ylabel)
    fig, (ax,) = new_axes(ax)
    draw = ax.loglog if scale == "loglog" else ax.semilogy
    for name, err in named.items():
        err = np.asarray(err, dtype=np.float64).ravel()
        if err.shape != sizes.shape:
            raise ValueError(
                f"errors {name!r} has {err.size} values but sizes has {sizes.size}; "
                "give one error per size."
            )
        draw(sizes, err, "o-", label=name)
    _finish(ax, xlabel, ylabel, title, legend=len(named) > 1, grid="both")
    return fig


def _finish(ax, xlabel, ylabel, title, *, legend: bool, grid: str):
    """Axis labels, a light grid (`grid`: "major" or "both"), a legend and an optional title."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which=grid, alpha=0.3)
    if legend:
        ax.legend()
    if title:
        ax.set_title(title)


def _named(curves, default_name):
    if isinstance(curves, dict):
        if not curves:
            raise ValueError("got an empty mapping of curves; give at least one.")
        return curves
    return {default_name: curves}


def _as_xy(curve, name):
    if isinstance(curve, tuple) and len(curve) == 2:
        steps = np.asarray(curve[0], dtype=np.float64).ravel()
        values = np.asarray(curve[1], dtype=np.float64).ravel()
    else:
        values = np.asarray(curve, dtype=np.float64).ravel()
        steps = np.arange(values.size, dtype=np.float64)
    if values.size == 0:
        raise ValueError(f"history {name!r} is empty.")
    if steps.shape != values.shape:
        raise ValueError(
            f"history {name!r} has {steps.size} steps but {values.size} values; they must match."
        )
    return steps, values

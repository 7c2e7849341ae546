"""Checks a PINN training runs before any training: settings, memory, and the problem's data.

Everything here raises `TypeError`/`ValueError` naming the argument and showing the value,
before the first step is compiled.
"""

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from ..geometry import pool_size
from ..parallel import Need, check_memory
from ..validation import as_real, describe
from ._networks import _ACTIVATIONS


def check_widths(widths):
    """None (the default) or a non-empty tuple of positive ints."""
    if widths is None:
        return None
    if isinstance(widths, (str, bytes, dict)) or not hasattr(widths, "__iter__"):
        raise TypeError(
            f"widths must be a sequence of positive ints (layer widths, e.g. (10, 20, 20)), "
            f"got {describe(widths)}."
        )
    items = tuple(widths)
    bad = [w for w in items if isinstance(w, (bool, np.bool_))
           or not isinstance(w, (int, np.integer)) or w <= 0]
    if not items or bad:
        raise ValueError(
            f"widths must be a non-empty sequence of positive ints, got {widths!r}"
            + (f" (bad entry {bad[0]!r})" if bad else "") + "; e.g. widths=(10, 20, 20)."
        )
    return tuple(int(w) for w in items)


def check_scales(scales):
    """None (the default) or a non-empty tuple of finite positive numbers."""
    if scales is None:
        return None
    if isinstance(scales, (str, bytes, dict)) or not hasattr(scales, "__iter__"):
        raise TypeError(
            f"scales must be a sequence of positive numbers (one per Fourier subnet, e.g. "
            f"(1, 2, 4)), got {describe(scales)}."
        )
    items = tuple(scales)
    if not items:
        raise ValueError(f"scales must hold at least one scale, got {scales!r}.")
    try:
        values = [as_real(a, "scales") for a in items]
    except TypeError as err:
        raise TypeError(f"scales must be finite positive numbers, got {scales!r}: {err}") from None
    bad = [a for a, v in zip(items, values, strict=True) if not (math.isfinite(v) and v > 0)]
    if bad:
        raise ValueError(f"scales must be finite positive numbers, got {scales!r} (bad entry "
                         f"{bad[0]!r}).")
    return tuple(items)


def check_activation(activation):
    """None (the variant's default) or a known activation name."""
    if activation is not None and (not isinstance(activation, str)
                                   or activation not in _ACTIVATIONS):
        raise ValueError(
            f"activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}."
        )
    return activation


def check_boundary_weight(weight):
    """None, "staged", a function of the step, or a finite non-negative number."""
    if weight is None or callable(weight) or (isinstance(weight, str) and weight == "staged"):
        return weight
    if isinstance(weight, str):
        raise ValueError(
            f"boundary_weight must be a number, 'staged' or a function of the step, got "
            f"{weight!r}."
        )
    value = as_real(weight, "boundary_weight")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"boundary_weight must be finite and non-negative, got {weight!r}.")
    return value


def check_dtype(dtype):
    """A floating dtype (float32 by default; float64 needs x64 enabled)."""
    try:
        out = jnp.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a floating dtype such as jnp.float32, got "
                        f"{describe(dtype)}.") from None
    if not jnp.issubdtype(out, jnp.floating):
        raise ValueError(f"dtype must be a floating dtype (float32 or float64), got {dtype!r} "
                         f"({out}).")
    if out == jnp.float64 and not jax.config.jax_enable_x64:
        raise ValueError("dtype=float64 needs jax.config.update('jax_enable_x64', True) first.")
    return out


def _layers(net):
    """(number of stacked subnets, widths of the layers whose activations are kept)."""
    if hasattr(net, "scales"):
        return len(net.scales), [2 * net.widths[0], *net.widths[1:]]
    return 1, list(net.widths)


def _parameters(net) -> int:
    k, layers = _layers(net)
    sizes = [net.in_dim, *layers, 1]
    if hasattr(net, "scales"):
        first = net.in_dim * net.widths[0]
        rest = sum(a * b + b for a, b in zip(sizes[1:-1], sizes[2:], strict=True))
        return k * (first + rest)
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def memory_needs(problem, net, *, n_interior, n_boundary, n_initial, soft, dtype, block,
                 devices) -> list:
    """Peak memory of one training step, item by item (lower bounds).

    The residual is differentiated in blocks of `block` interior rows (None: all at once);
    every row of a block keeps, per layer and subnet, its value, spatial gradient and operator
    streams for the backward pass; boundary and initial rows are evaluated whole.
    """
    size = jnp.dtype(dtype).itemsize
    d = problem.dim
    timed = not problem.steady
    in_dim = d + int(timed)
    wanted = any(soft or kind == "neumann" for kind, _ in problem.conditions)
    n_bnd = n_boundary if wanted else 0
    n_ini = n_initial if soft and timed else 0
    k, layers = _layers(net)
    streams = 2 + d
    rows = (min(n_interior, block) if block else n_interior) + n_bnd + n_ini
    activations = 2.0 * size * rows * k * sum(layers) * streams / devices
    batch = 3.0 * size * (n_interior * (in_dim + 2) + n_bnd * (2 * d + 3) + n_ini * (d + 2))
    counts = f"n_interior={n_interior} / n_boundary={n_boundary} / n_initial={n_initial}"
    widths = f"widths={tuple(net.widths)}"
    needs = [
        Need("collocation batch", batch / devices, counts, on_device=True),
        Need(f"activations of {rows} rows through the network", activations,
             f"{widths} (or n_boundary={n_boundary} / n_initial={n_initial})", on_device=True),
        Need(f"parameters, gradients and optimiser state ({_parameters(net)} parameters)",
             6.0 * size * _parameters(net), f"{widths} (or use fewer scales)", on_device=True),
    ]
    if not problem.domain.exact_device_sampling:
        pool = 8.0 * (pool_size(n_interior) * d * 3
                      + (pool_size(n_boundary) * 2 * d * 4 if wanted else 0))
        needs.append(Need("host point pools of a non-box domain", pool,
                          f"n_interior={n_interior} / n_boundary={n_boundary}"))
    return needs


def check_training_memory(problem, net, *, mesh, where, **sizes) -> None:
    """`check_memory` of `memory_needs` on the mesh's devices."""
    check_memory(memory_needs(problem, net, devices=mesh.size, **sizes), where=where,
                 devices=list(mesh.devices.flat))


def _finite(values, name, x, what):
    values = np.asarray(values, dtype=np.float64)
    bad = ~np.isfinite(values.reshape(values.shape[0], -1)).all(axis=1) if values.size else []
    if np.any(bad):
        first = np.asarray(x)[int(np.argmax(bad))].tolist()
        raise ValueError(
            f"{name} gave non-finite values (NaN or inf) at {int(np.sum(bad))} of {len(bad)} "
            f"{what} (first at x={first}); fix {name} there before training."
        )


def check_data(problem, model, batch, segments) -> None:
    """The problem's data (and the hard-constraint G, D) are finite on one training batch.

    Evaluated on the points of the first step by one compiled function (cached per model, so
    repeated trainings of one problem do not recompile it), so NaN data is a ValueError naming
    the function instead of a diverged training.

    Raises:
        ValueError: a data function gave NaN or inf (the message names it and a point).
    """
    values = _data_values(model, segments)(batch)
    for name, (points, what) in _data_names(model, segments, tuple(sorted(batch))).items():
        _finite(values[name], name, batch[points], what)


def _data_names(model, segments, keys) -> dict:
    """name -> (batch key of its points, description) of every data item `_data_values` gives."""
    interior = ("x", "interior points of the first batch")
    names = {"source": interior}
    if callable(model.problem.velocity):
        names["velocity"] = interior
    if model.problem.initial is not None:
        names["initial"] = interior
    if "bx" in keys:
        for s in segments:
            names[f"{s.kind} (boundary part {s.part})"] = (
                "bx", "boundary points of the first batch")
    if "ix" in keys:
        names["initial (initial slice)"] = ("ix", "initial points of the first batch")
    if model.hard:
        names[_G] = interior
        names[_D] = interior
    return names


_G = "the hard constraint's G (built from initial and dirichlet data, or extension=)"
_D = "the hard constraint's D (distance=)"


@functools.lru_cache(maxsize=8)
def _data_values(model, segments):
    problem = model.problem

    def values(batch):
        x = batch["x"]
        t = batch["t"] if "t" in batch else jnp.zeros(x.shape[0], x.dtype)
        out = {"source": jax.vmap(problem.source)(x, t)}
        if callable(problem.velocity):
            out["velocity"] = jax.vmap(problem.velocity)(x, t)
        if problem.initial is not None:
            out["initial"] = jax.vmap(problem.initial)(x)
        if "bx" in batch:
            bx, bn = batch["bx"], batch["bn"]
            bt = batch["bt"] if "bt" in batch else jnp.zeros(bx.shape[0], bx.dtype)
            for s in segments:
                rows = slice(s.start, s.stop)
                args = (bx[rows], bt[rows]) + ((bn[rows],) if s.kind == "neumann" else ())
                part = jax.vmap(s.fn)(*args)
                # padded to the whole boundary batch so the first bad row indexes batch["bx"]
                out[f"{s.kind} (boundary part {s.part})"] = jnp.zeros(
                    bx.shape[0], part.dtype).at[rows].set(part)
        if "ix" in batch:
            out["initial (initial slice)"] = jax.vmap(problem.initial)(batch["ix"])
        if model.hard:
            out[_G] = jax.vmap(model.extension)(x, t)
            out[_D] = jax.vmap(model.distance)(x, t)
        return out

    return jax.jit(values)


def check_reference(ref, x) -> None:
    """The exact solution is finite at the evaluation points."""
    _finite(ref, "exact", x, "evaluation points")

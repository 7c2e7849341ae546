"""Checks shared by the problem classes."""

from collections.abc import Callable

import jax
import jax.numpy as jnp

from ..geometry import Domain
from ..validation import describe


def check_function(fn, name: str, required: bool = True) -> Callable | None:
    """`fn` itself when callable (or None when optional); TypeError otherwise."""
    if fn is None and not required:
        return None
    if not callable(fn):
        raise TypeError(
            f"{name} must be a pointwise function x (shape (d,)) -> scalar, got {describe(fn)}; "
            f"wrap a constant c as `lambda x: c`."
        )
    return fn


def probe_point(domain: Domain):
    """A point of the domain's dimension (the centre of its bounding box) for shape checks."""
    lo, hi = domain.bbox
    return jnp.asarray((lo + hi) / 2)


def check_scalar_output(fn, name: str, args, signature: str, shape=()) -> None:
    """Trace `fn(*args)` abstractly (no evaluation) and require an output of `shape`.

    Args:
        fn: the user function.
        name: its argument name, for the message.
        args: example arguments (arrays; only shapes and dtypes matter).
        signature: how the function is called, e.g. "x (shape (2,))" or "(x, t)".
        shape: the required output shape (a scalar by default).

    Raises:
        TypeError: calling it failed (wrong arity, not JAX-traceable, an exception inside).
        ValueError: it returns another shape.
    """
    try:
        out = jax.eval_shape(fn, *args)
    except Exception as err:
        raise TypeError(
            f"{name} must be a JAX-traceable function {signature}; calling it failed with "
            f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''} "
            "(use jax.numpy, not math/numpy or Python branches on the values, inside it)."
        ) from err
    got = getattr(out, "shape", None)
    if got != tuple(shape):
        what = "a scalar" if shape == () else f"shape {tuple(shape)}"
        raise ValueError(
            f"{name} must return {what} for one point ({signature}), got "
            f"{'shape ' + str(got) if got is not None else describe(out)}; index the point's "
            "coordinates, e.g. x[0]."
        )

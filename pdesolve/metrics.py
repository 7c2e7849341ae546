"""Error measures between a prediction and a reference solution."""

import jax
import jax.numpy as jnp
import numpy as np

from .validation import describe


def _flat(value, name):
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of values, got {describe(value)}.")
    try:
        arr = jnp.ravel(jnp.asarray(value))
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of numbers, got {describe(value)}: "
                        f"{str(err).splitlines()[0]}") from None
    if not (jnp.issubdtype(arr.dtype, jnp.number) or jnp.issubdtype(arr.dtype, jnp.bool_)):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}.")
    if not isinstance(arr, jax.core.Tracer):
        bad = int(np.sum(~np.isfinite(np.asarray(arr))))
        if bad:
            raise ValueError(
                f"{name} holds {bad} non-finite values (NaN or inf) of {arr.size}; the error of "
                "a diverged or broken solution is undefined, fix it first."
            )
    return arr


def _pair(pred, ref):
    """pred and ref as flat arrays of one size (TypeError/ValueError naming the bad one)."""
    p, r = _flat(pred, "pred"), _flat(ref, "ref")
    if p.shape != r.shape:
        raise ValueError(
            f"pred and ref must have the same number of entries, got pred of shape "
            f"{jnp.shape(pred)} and ref of shape {jnp.shape(ref)}."
        )
    return p, r


def relative_l2(pred, ref):
    """‖pred − ref‖₂ / ‖ref‖₂ over all entries (not squared).

    Raises:
        TypeError: pred or ref is not an array of numbers.
        ValueError: sizes differ, non-finite entries, or ref is zero everywhere (the relative
            error is undefined: use `max_error`).
    """
    pred, ref = _pair(pred, ref)
    norm = jnp.linalg.norm(ref)
    if not isinstance(norm, jax.core.Tracer) and float(norm) == 0:
        raise ValueError("ref is zero everywhere, so the relative L2 error is undefined; use "
                         "max_error (absolute) instead.")
    return jnp.linalg.norm(pred - ref) / norm


def max_error(pred, ref):
    """max |pred − ref| over all entries.

    Raises:
        TypeError, ValueError: as `relative_l2` (a zero ref is fine here).
    """
    pred, ref = _pair(pred, ref)
    return jnp.max(jnp.abs(pred - ref))


def rms_error(pred, ref):
    """√(mean (pred − ref)²) over all entries.

    Raises:
        TypeError, ValueError: as `relative_l2` (a zero ref is fine here).
    """
    pred, ref = _pair(pred, ref)
    return jnp.sqrt(jnp.mean(jnp.square(pred - ref)))

"""Solutions and exact fields evaluated at points: the shared step of plotting and file export."""

import inspect
import warnings

import jax
import numpy as np


def evaluate(u, x, t=None, name: str = "u", *, finite: bool = True) -> np.ndarray:
    """Values of a vectorised callable at points: u(x) or u(x, t), checked to have shape (n,).

    Args:
        u: callable taking x of shape (n, d) (and t of shape (n,)) and returning (n,) values,
            or an array of n values already evaluated at x.
        x: points, shape (n, d).
        t: times, shape (n,), or None for a steady field.
        name: the argument name used in error messages.
        finite: raise on NaN/inf values; with False they are kept and a warning names how many
            there are (plots leave them blank, so the picture shows where they are).

    Raises:
        TypeError: `u` is neither callable nor an array.
        ValueError: the values do not have shape (n,), or are not finite and `finite` is True.
    """
    n = x.shape[0]
    if callable(u):
        values = u(x) if t is None else u(x, t)
    elif isinstance(u, (np.ndarray, list, tuple)) or hasattr(u, "__array__"):
        values = u
    else:
        raise TypeError(f"{name} must be a callable u(x{'' if t is None else ', t'}) or an array, "
                        f"got {type(u).__name__}.")
    values = np.asarray(values, dtype=np.float64)
    if values.shape == (n, 1):
        values = values[:, 0]
    if values.shape != (n,):
        raise ValueError(
            f"{name} must return one value per point, shape ({n},), got {values.shape}; "
            "vectorise a pointwise function with jax.vmap."
        )
    bad = ~np.isfinite(values)
    if bad.any():
        message = f"{name} returned {int(bad.sum())} non-finite values (NaN/inf) of {n}"
        if finite:
            raise ValueError(message + ".")
        warnings.warn(message + "; they are left blank in the plot.", RuntimeWarning,
                      stacklevel=3)
    return values


def batch_exact(exact, time_dependent: bool):
    """Vectorise a POINTWISE exact solution: exact(x) or exact(x, t) with x of shape (d,).

    For a steady problem an exact solution stored with the signature (x, t) (as problems that
    share code with time-dependent ones do) is called with t = 0.
    """
    if time_dependent:
        return jax.vmap(exact)
    try:
        params = inspect.signature(exact).parameters.values()
        required = [p for p in params if p.default is p.empty
                    and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        required = []
    if len(required) >= 2:
        return jax.vmap(lambda x: exact(x, 0.0))
    return jax.vmap(exact)


def solution_parts(sol, domain=None, exact=None, *, domain_hint: str):
    """The spatial domain, pointwise exact solution and time span of a solution object.

    `domain` and `exact` default to `sol.problem.domain` / `sol.problem.exact`; the time span is
    `sol.problem.t_span` (None for steady problems).

    Raises:
        TypeError: no domain is given or found (the message ends with `domain_hint`).
    """
    problem = getattr(sol, "problem", None)
    domain = getattr(problem, "domain", None) if domain is None else domain
    if domain is None:
        raise TypeError(f"sol has no problem.domain; {domain_hint}")
    exact = getattr(problem, "exact", None) if exact is None else exact
    return domain, exact, getattr(problem, "t_span", None)

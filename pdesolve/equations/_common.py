"""Checks shared by the elliptic problem classes."""

from collections.abc import Callable

from ..geometry import Domain


def check_domain(domain) -> Domain:
    """`domain` itself, or TypeError when it is not a geometry `Domain`."""
    if not isinstance(domain, Domain):
        raise TypeError(
            f"domain must be a pdesolve.geometry Domain (e.g. geo.Disk((0, 0), 1)), "
            f"got {type(domain).__name__}."
        )
    return domain


def check_function(fn, name: str, required: bool = True) -> Callable | None:
    """`fn` itself when callable (or None when optional); TypeError otherwise."""
    if fn is None and not required:
        return None
    if not callable(fn):
        raise TypeError(
            f"{name} must be a pointwise function x (shape (d,)) -> scalar, got {fn!r}; "
            f"wrap a constant c as `lambda x: c`."
        )
    return fn

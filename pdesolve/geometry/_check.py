"""`check_domain`: the one check that an argument is a geometry `Domain` (of given dimensions)."""

from ..validation import describe
from ._domain import Domain


def check_domain(domain, name: str = "domain", *, dims=None, needs=None, fix: str | None = None,
                 purpose: str = ""):
    """`domain` itself when it is a `Domain` (or has the attributes `needs`) with `dim` in `dims`.

    Args:
        domain: the value to check.
        name: the argument's name in the messages.
        dims: allowed dimensions (e.g. (2,)), or None for any.
        needs: attribute names; when given, any object that has them all is accepted (callers
            that only use e.g. `dim`, `bbox` and `contains` take duck-typed domains), else a
            `pdesolve.geometry.Domain` is required.
        fix: what to do instead, appended to the TypeError (a default suggests the shapes).
        purpose: what the dimensions are needed for, e.g. "for this plot".

    Returns:
        `domain`.

    Raises:
        TypeError: `domain` is not a `Domain` (or lacks one of `needs`).
        ValueError: its dimension is not in `dims`.
    """
    fix = fix or "build one with geo.Interval, geo.Rectangle, geo.Disk, geo.Polygon, …"
    if needs is None and not isinstance(domain, Domain):
        raise TypeError(f"{name} must be a pdesolve.geometry Domain, got {describe(domain)}; "
                        f"{fix}.")
    missing = [attr for attr in needs or () if not hasattr(domain, attr)]
    if missing:
        raise TypeError(
            f"{name} must be a pdesolve.geometry Domain (with {', '.join(needs)}), got "
            f"{describe(domain)} without {missing[0]!r}; {fix}."
        )
    if dims is not None and domain.dim not in dims:
        want = " or ".join(f"{d}D" for d in dims)
        raise ValueError(f"{name} must be {want}{' ' + purpose if purpose else ''}, got a "
                         f"{domain.dim}D domain.")
    return domain

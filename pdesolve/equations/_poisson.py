"""The Poisson problem −Δu = f in Ω, u = g on ∂Ω."""

from ..operators import laplacian
from ._common import check_domain, check_function


class Poisson:
    """−Δu = f in the domain Ω with Dirichlet data u = g on ∂Ω.

    Args:
        domain: a `pdesolve.geometry.Domain`.
        f: source, pointwise x (d,) -> scalar.
        g: boundary values, pointwise x (d,) -> scalar.
        exact: the exact solution when known (pointwise), else None.

    Raises:
        TypeError: `domain` is not a Domain, or `f`/`g`/`exact` is not callable.
    """

    def __init__(self, domain, f, g, *, exact=None):
        self.domain = check_domain(domain)
        self.f = check_function(f, "f")
        self.g = check_function(g, "g")
        self.exact = check_function(exact, "exact", required=False)

    @property
    def dim(self) -> int:
        return self.domain.dim

    @classmethod
    def manufactured(cls, domain, exact):
        """The problem whose solution is `exact`: f = −Δ exact and g = exact (by autodiff).

        Args:
            domain: a `pdesolve.geometry.Domain`.
            exact: pointwise function x (d,) -> scalar, smooth enough for two derivatives.

        Returns:
            A `Poisson` with `problem.exact is exact`.
        """
        exact = check_function(exact, "exact")
        lap = laplacian(exact)
        return cls(domain, lambda x: -lap(x), exact, exact=exact)

    def __repr__(self):
        return f"Poisson(domain={self.domain!r}, exact={'known' if self.exact else 'None'})"

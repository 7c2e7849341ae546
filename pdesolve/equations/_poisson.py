"""The Poisson problem −Δu = f in Ω with Dirichlet, Neumann or Robin data on ∂Ω."""

from ..geometry import check_domain
from ..operators import laplacian, normal_derivative
from ..validation import as_positive_scalar, describe, reject_unknown_options
from ._common import check_function, check_scalar_output, probe_point

BOUNDARY_CONDITIONS = ("dirichlet", "neumann", "robin")


class Poisson:
    """−Δu = f in the domain Ω with one boundary condition on the whole of ∂Ω.

    * bc="dirichlet" (default): u = g(x).
    * bc="neumann": ∂u/∂n = g(x, n) (u is then fixed only up to a constant).
    * bc="robin": α u + ∂u/∂n = g(x, n) with a constant α > 0.

    Args:
        domain: a `pdesolve.geometry.Domain`.
        f: source, pointwise x (d,) -> scalar.
        g: boundary data: x (d,) -> scalar for Dirichlet, (x, n) -> scalar otherwise, with n
            the outward unit normal.
        bc: "dirichlet", "neumann" or "robin".
        alpha: the Robin coefficient α > 0 (bc="robin" only).
        exact: the exact solution when known (pointwise), else None.

    Raises:
        TypeError: `domain` is not a Domain, `f`/`g`/`exact` is not callable or cannot be
            called on one point (traced abstractly, nothing is evaluated), or `alpha` is not
            a number.
        ValueError: unknown `bc`, a function returns a non-scalar, or `alpha` missing, not
            positive, or given without Robin.
    """

    @reject_unknown_options
    def __init__(self, domain, f, g, *, bc="dirichlet", alpha=None, exact=None):
        self.domain = check_domain(domain)
        self.f = check_function(f, "f")
        self.g = check_function(g, "g")
        if not isinstance(bc, str) or bc not in BOUNDARY_CONDITIONS:
            raise ValueError(f"bc must be one of {BOUNDARY_CONDITIONS}, got {bc!r}.")
        if (bc == "robin") != (alpha is not None):
            raise ValueError(
                f"alpha is the Robin coefficient: give it with bc='robin' only (got bc={bc!r}, "
                f"alpha={alpha!r})."
            )
        if alpha is not None:
            try:
                alpha = as_positive_scalar(alpha, "alpha")
            except (TypeError, ValueError):
                raise ValueError(
                    f"alpha must be a positive number (finite, > 0), got {describe(alpha)}; for "
                    "α = 0 use bc='neumann'."
                ) from None
        self.bc, self.alpha = bc, alpha
        self.exact = check_function(exact, "exact", required=False)
        x = probe_point(self.domain)
        d = self.domain.dim
        check_scalar_output(self.f, "f", (x,), f"x of shape ({d},)")
        if bc == "dirichlet":
            check_scalar_output(self.g, "g", (x,), f"x of shape ({d},)")
        else:
            check_scalar_output(self.g, "g", (x, x), f"(x, n) with x, n of shape ({d},)")
        if self.exact is not None:
            check_scalar_output(self.exact, "exact", (x,), f"x of shape ({d},)")

    @property
    def dim(self) -> int:
        return self.domain.dim

    @classmethod
    @reject_unknown_options(where="Poisson.manufactured")
    def manufactured(cls, domain, exact, *, bc="dirichlet", alpha=None):
        """The problem whose solution is `exact`, data by autodiff.

        f = −Δ exact; g = exact (Dirichlet), ∇exact·n (Neumann) or α exact + ∇exact·n (Robin).

        Args:
            domain: a `pdesolve.geometry.Domain`.
            exact: pointwise function x (d,) -> scalar, smooth enough for two derivatives.
            bc: "dirichlet", "neumann" or "robin".
            alpha: the Robin coefficient (bc="robin"; default 1).

        Returns:
            A `Poisson` with `problem.exact is exact`.

        Raises:
            TypeError, ValueError: as the constructor (`exact` is checked first).
        """
        exact = check_function(exact, "exact")
        domain = check_domain(domain)
        check_scalar_output(exact, "exact", (probe_point(domain),),
                            f"x of shape ({domain.dim},)")
        lap = laplacian(exact)
        dudn = normal_derivative(exact)
        if bc == "robin":
            alpha = 1.0 if alpha is None else alpha

            def g(x, n):
                return alpha * exact(x) + dudn(x, n)
        elif bc == "neumann":
            g = dudn
        else:
            g = exact
        return cls(domain, lambda x: -lap(x), g, bc=bc, alpha=alpha, exact=exact)

    def __repr__(self):
        robin = f", alpha={self.alpha}" if self.bc == "robin" else ""
        return (f"Poisson(domain={self.domain!r}, bc={self.bc!r}{robin}, "
                f"exact={'known' if self.exact else 'None'})")

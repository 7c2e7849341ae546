"""The biharmonic problem Δ²u = f with Navier (u, Δu) or clamped (u, ∂u/∂n) boundary data."""

from ..geometry import check_domain
from ..operators import biharmonic, laplacian, normal_derivative
from ..validation import reject_unknown_options
from ._common import check_function, check_scalar_output, probe_point

BOUNDARY_CONDITIONS = ("navier", "clamped")


class Biharmonic:
    """Δ²u = f in Ω, u = g on ∂Ω, and either Δu = h (Navier) or ∂u/∂n = dudn (clamped) on ∂Ω.

    Give exactly one of `h` and `dudn`. Data functions are pointwise; `dudn` takes the point
    and the outward unit normal, `dudn(x, n)`.

    Args:
        domain: a `pdesolve.geometry.Domain`.
        f: source, x (d,) -> scalar.
        g: boundary values of u, x (d,) -> scalar.
        h: boundary values of Δu (Navier / simply supported), x (d,) -> scalar.
        dudn: boundary values of the outward normal derivative (clamped), (x, n) -> scalar.
        exact: the exact solution when known, else None.

    Attributes:
        bc: "navier" or "clamped".

    Raises:
        TypeError: wrong types, a function that cannot be called on one point (traced
            abstractly, nothing is evaluated), or both / neither of `h` and `dudn` given.
        ValueError: a function returns a non-scalar.
    """

    @reject_unknown_options
    def __init__(self, domain, f, g, *, h=None, dudn=None, exact=None):
        self.domain = check_domain(domain)
        self.f = check_function(f, "f")
        self.g = check_function(g, "g")
        if (h is None) == (dudn is None):
            raise TypeError(
                "Biharmonic needs exactly one second boundary condition: h=... (Navier, Δu = h) "
                f"or dudn=... (clamped, ∂u/∂n = dudn); got h={h!r}, dudn={dudn!r}."
            )
        self.h = check_function(h, "h", required=False)
        self.dudn = check_function(dudn, "dudn", required=False)
        self.bc = "navier" if h is not None else "clamped"
        self.exact = check_function(exact, "exact", required=False)
        x = probe_point(self.domain)
        one_point = f"x of shape ({self.domain.dim},)"
        for name, fn in (("f", self.f), ("g", self.g), ("h", self.h), ("exact", self.exact)):
            if fn is not None:
                check_scalar_output(fn, name, (x,), one_point)
        if self.dudn is not None:
            check_scalar_output(self.dudn, "dudn", (x, x),
                                f"(x, n) with x, n of shape ({self.domain.dim},)")

    @property
    def dim(self) -> int:
        return self.domain.dim

    @classmethod
    @reject_unknown_options(where="Biharmonic.manufactured")
    def manufactured(cls, domain, exact, bc: str = "navier"):
        """The problem whose solution is `exact`, all data derived by autodiff.

        f = Δ² exact, g = exact, and h = Δ exact (Navier) or dudn = ∇exact·n (clamped).

        Args:
            domain: a `pdesolve.geometry.Domain`.
            exact: pointwise function x (d,) -> scalar with four derivatives.
            bc: "navier" or "clamped".

        Raises:
            TypeError: `exact` is not a function of one point.
            ValueError: unknown `bc`, or `exact` returns a non-scalar.
        """
        exact = check_function(exact, "exact")
        if not isinstance(bc, str) or bc not in BOUNDARY_CONDITIONS:
            raise ValueError(f"bc must be one of {BOUNDARY_CONDITIONS}, got {bc!r}.")
        domain = check_domain(domain)
        check_scalar_output(exact, "exact", (probe_point(domain),),
                            f"x of shape ({domain.dim},)")
        f = biharmonic(exact)
        if bc == "navier":
            return cls(domain, f, exact, h=laplacian(exact), exact=exact)
        return cls(domain, f, exact, dudn=normal_derivative(exact), exact=exact)

    def __repr__(self):
        return (
            f"Biharmonic(domain={self.domain!r}, bc={self.bc!r}, "
            f"exact={'known' if self.exact else 'None'})"
        )

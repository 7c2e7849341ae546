"""The advection–diffusion problem u_t + a·∇u − Σ_k κ_k ∂²u/∂x_k² = f on Ω × [t0, t1]."""

from collections.abc import Callable, Mapping

import jax
import jax.numpy as jnp
import numpy as np

from .. import operators
from ..geometry import Domain, check_domain
from ..validation import as_float_array, describe, reject_unknown_options
from ._common import check_scalar_output, probe_point

_BC_KINDS = ("dirichlet", "neumann")


def part_names(domain: Domain) -> tuple[str, ...]:
    """The names of the boundary parts of `domain`.

    A `Box` (and `Interval`, `Rectangle`) has one part per face, named "x{k}-" (the face
    x_k = lo_k) and "x{k}+" (x_k = hi_k); aliases: "left"/"right" (x0−/x0+), in 2D also
    "bottom"/"top" (x1−/x1+), in 3D "front"/"back" (x1∓) and "bottom"/"top" (x2∓). A `Polygon`
    has one part per edge, "edge0", "edge1", … (edge i joins `vertices[i]` and `vertices[i + 1]`,
    counter-clockwise). A difference A − B1 − … − Bm has "outer" and "hole1", …, "holem" (alias
    "holes" for all of them); so has a `Mesh` whose boundary has several connected components
    ("hole1", … numbered as in `Mesh.boundary_components`). Any other domain has the single
    part "boundary"; see `Domain.boundary_parts` and `Domain.part_aliases`. The name "boundary"
    always means the whole boundary.
    """
    return tuple(name for name, _ in domain.boundary_parts())


def _part_index(domain: Domain, name, arg: str) -> list[int]:
    names = part_names(domain)
    if name == "boundary":
        return list(range(len(names)))
    if isinstance(name, str):
        if name in names:
            return [names.index(name)]
        if name == "holes" and "outer" in names:
            return list(range(1, len(names)))
        aliases = domain.part_aliases()
        if name in aliases:
            return [aliases[name]]
    known = ", ".join([*names, *domain.part_aliases()])
    raise ValueError(
        f"{arg} names an unknown boundary part {name!r} for {domain!r}; "
        f"known parts: boundary, {known}."
    )


class AdvectionDiffusion:
    """u_t + a·∇u − Σ_k κ_k ∂²u/∂x_k² = f in Ω × [t0, t1], with initial and boundary data.

    Boundary data are given per boundary part (see `part_names`): a function alone applies to
    the whole boundary; a mapping {part name: function} applies each function to its parts.
    Every part needs exactly one condition (Dirichlet u = g or Neumann ∂u/∂n = h, n the outward
    normal). With `t_span=None` the problem is steady (no u_t, no initial data) and every
    function takes the point x alone.

    Args:
        domain: the spatial domain Ω (a `pdesolve.geometry.Domain`, 1 to 3 dimensions).
        t_span: (t0, t1) with t1 > t0, or None for a steady problem.
        diffusivity: κ ≥ 0, a scalar or one value per axis, shape (d,).
        velocity: a, a constant vector of shape (d,) or a function (x, t) -> (d,).
        source: f, a function (x, t) -> scalar (x of shape (d,), scalar t).
        initial: u(x, t0), a function x -> scalar; required when `t_span` is given.
        dirichlet: g, a function (x, t) -> scalar or a mapping of parts to such functions.
        neumann: h, a function (x, t) -> scalar or a mapping of parts to such functions.
        exact: the exact solution (x, t) -> scalar when known (used for errors), else None.

    Raises:
        TypeError: `domain` is not a Domain, a data item is not callable or cannot be called
            on one point (traced abstractly, nothing is evaluated), or diffusivity / velocity
            are not real numbers.
        ValueError: negative or non-finite diffusivity, non-finite velocity, shapes that do
            not match the dimension, a missing initial condition, a part with both or neither
            condition, or an unknown part name.
    """

    @reject_unknown_options
    def __init__(
        self,
        domain,
        t_span,
        diffusivity,
        velocity,
        source,
        initial=None,
        *,
        dirichlet=None,
        neumann=None,
        exact=None,
    ):
        check_domain(domain, fix="for space-time pass the spatial domain and t_span")
        self.domain = domain
        self.dim = d = domain.dim
        self.t_span = _check_t_span(t_span)
        self.steady = self.t_span is None
        self.diffusivity = check_diffusivity(diffusivity, d)
        if callable(velocity):
            self.velocity = self._lift(velocity, "velocity")
        else:
            self.velocity = check_velocity(velocity, d)
        self.source = self._lift(source, "source")
        if self.steady:
            if initial is not None:
                raise ValueError("initial is given but t_span=None (steady); drop one of them.")
            self.initial = None
        else:
            if initial is None:
                raise ValueError(
                    f"initial is required for a time-dependent problem (t_span={self.t_span}); "
                    "pass initial=lambda x: ..., or t_span=None for a steady problem."
                )
            if not callable(initial):
                raise TypeError(
                    f"initial must be a function x -> scalar, got {describe(initial)}."
                )
            self.initial = initial
        self.exact = None if exact is None else self._lift(exact, "exact")
        self._conditions = self._collect(dirichlet, neumann)
        self._check_shapes()

    # -- construction helpers -----------------------------------------------------------------
    def _lift(self, fn, name):
        """Wrap a user function to the internal signature (x, t)."""
        if not callable(fn):
            raise TypeError(f"{name} must be a function, got {describe(fn)}.")
        if self.steady:
            return lambda x, t: fn(x)
        return fn

    def _collect(self, dirichlet, neumann):
        parts = part_names(self.domain)
        conditions: list = [None] * len(parts)
        for kind, data in (("dirichlet", dirichlet), ("neumann", neumann)):
            if data is None:
                continue
            items = data.items() if isinstance(data, Mapping) else [("boundary", data)]
            for name, fn in items:
                if getattr(fn, "_takes_normal", False):
                    lifted = fn
                else:
                    lifted = self._lift(fn, f"{kind}[{name!r}]")
                    if kind == "neumann":
                        lifted = _ignore_normal(lifted)
                for index in _part_index(self.domain, name, kind):
                    if conditions[index] is not None:
                        raise ValueError(
                            f"boundary part {parts[index]!r} has both a {conditions[index][0]} "
                            f"and a {kind} condition; give each part exactly one."
                        )
                    conditions[index] = (kind, lifted)
        missing = [parts[i] for i, c in enumerate(conditions) if c is None]
        if missing:
            given = " (got dirichlet=None, neumann=None)" if (
                dirichlet is None and neumann is None) else ""
            raise ValueError(
                f"boundary parts {missing} have no condition{given}; pass dirichlet= or "
                f"neumann= for them (parts of this domain: {list(parts)})."
            )
        x, t = probe_point(self.domain), jnp.zeros(())
        for index, (kind, fn) in enumerate(conditions):
            name = f"{kind} (boundary part {parts[index]!r})"
            if kind == "neumann":
                check_scalar_output(fn, name, (x, t, x), "(x, t) or (x, t, normal)")
            else:
                check_scalar_output(fn, name, (x, t), "x" if self.steady else "(x, t)")
        return tuple(conditions)

    def _check_shapes(self):
        x = probe_point(self.domain)
        t = jnp.asarray(0.0 if self.steady else self.t_span[0])
        point = f"x of shape ({self.dim},)" if self.steady else f"(x, t), x of shape ({self.dim},)"
        checks = [("source", self.source), *([("exact", self.exact)] if self.exact else [])]
        if self.initial is not None:
            checks.append(("initial", lambda x, t: self.initial(x)))
        for name, fn in checks:
            check_scalar_output(fn, name, (x, t), point)
        if callable(self.velocity):
            check_scalar_output(self.velocity, "velocity", (x, t), point, shape=(self.dim,))

    # -- public ---------------------------------------------------------------------------------
    @property
    def parts(self) -> tuple[str, ...]:
        """Names of the boundary parts (see `part_names`)."""
        return part_names(self.domain)

    def condition(self, part: str):
        """The (kind, function) of one boundary part; Neumann functions take (x, t, normal)."""
        (index,) = _part_index(self.domain, part, "part")[:1]
        return self._conditions[index]

    @property
    def conditions(self) -> tuple:
        """(kind, function) per boundary part, in `parts` order."""
        return self._conditions

    def residual(self, u: Callable) -> Callable:
        """The pointwise PDE residual r(x, t) of a function u(x, t) (t ignored when steady)."""
        return operators.advection_diffusion_residual(
            u, self.velocity, self.diffusivity, self.source
        )

    def __repr__(self):
        return (
            f"AdvectionDiffusion(domain={self.domain!r}, t_span={self.t_span}, "
            f"diffusivity={self.diffusivity.tolist()}, parts="
            f"{ {p: c[0] for p, c in zip(self.parts, self._conditions, strict=True)} })"
        )

    @classmethod
    @reject_unknown_options(where="AdvectionDiffusion.manufactured")
    def manufactured(cls, domain, t_span, diffusivity, velocity, exact, bc="dirichlet"):
        """The problem whose solution is `exact`: f, initial and boundary data by autodiff.

        Args:
            domain: the spatial domain.
            t_span: (t0, t1), or None for a steady problem (then `exact` takes x alone).
            diffusivity: κ, scalar or shape (d,).
            velocity: a, constant (d,) or a function (x, t) -> (d,).
            exact: u(x, t) -> scalar (x of shape (d,), scalar t).
            bc: "dirichlet" or "neumann" for the whole boundary, or a mapping
                {part name: "dirichlet" | "neumann"} (e.g. {"left": "dirichlet",
                "right": "neumann"}).

        Returns:
            An `AdvectionDiffusion` with `exact` set.

        Raises:
            ValueError: unknown `bc` (a kind, a part name, or parts left without one), plus
                everything the constructor checks; checked before `exact` is differentiated.
        """
        check_domain(domain, fix="for space-time pass the spatial domain and t_span")
        steady = _check_t_span(t_span) is None
        d = domain.dim
        diffusivity = check_diffusivity(diffusivity, d)
        if not callable(velocity):
            velocity = check_velocity(velocity, d)
        if not callable(exact):
            raise TypeError(
                f"exact must be a function {'x' if steady else '(x, t)'} -> scalar, got "
                f"{describe(exact)}."
            )
        u = (lambda x, t: exact(x)) if steady else exact
        check_scalar_output(u, "exact", (probe_point(domain), jnp.zeros(())),
                            f"x of shape ({d},)" if steady else f"(x, t), x of shape ({d},)")
        kinds = bc if isinstance(bc, Mapping) else {"boundary": bc}
        covered = set()
        for name, kind in kinds.items():
            if not isinstance(kind, str) or kind not in _BC_KINDS:
                raise ValueError(
                    f"bc must be 'dirichlet', 'neumann' or a mapping of parts to them, got "
                    f"{kind!r} for part {name!r}."
                )
            covered.update(_part_index(domain, name, "bc"))
        missing = [p for i, p in enumerate(part_names(domain)) if i not in covered]
        if missing:
            raise ValueError(
                f"bc={bc!r} leaves the boundary parts {missing} without a condition; give "
                "every part 'dirichlet' or 'neumann' (or use 'boundary' for all of them)."
            )
        zero = lambda x, t: jnp.zeros((), dtype=jnp.result_type(x))
        vel = (lambda x, t: velocity(x)) if steady and callable(velocity) else velocity
        residual = operators.advection_diffusion_residual(u, vel, diffusivity, zero)
        grad = jax.grad(u)

        def dudn(x, t, n):
            return jnp.dot(grad(x, t), n)

        dudn._takes_normal = True
        if steady:
            source, dirichlet_fn = (lambda x: residual(x, jnp.zeros(()))), exact
        else:
            source, dirichlet_fn = residual, exact
        dirichlet = {p: dirichlet_fn for p, k in kinds.items() if k == "dirichlet"}
        neumann = {p: dudn for p, k in kinds.items() if k == "neumann"}
        return cls(
            domain,
            t_span,
            diffusivity,
            velocity,
            source,
            None if steady else (lambda x: exact(x, t_span[0])),
            dirichlet=dirichlet or None,
            neumann=neumann or None,
            exact=exact,
        )


def _ignore_normal(fn):
    return lambda x, t, n: fn(x, t)


def check_diffusivity(diffusivity, d: int) -> np.ndarray:
    """κ as a finite, non-negative array of shape (d,) (a scalar is broadcast)."""
    kappa = as_float_array(diffusivity, "diffusivity", "a real number or one per axis")
    if kappa.ndim == 0:
        kappa = np.full(d, float(kappa))
    if kappa.shape != (d,):
        raise ValueError(
            f"diffusivity must be a scalar or have shape ({d},) for this {d}-D domain, "
            f"got shape {kappa.shape}: {np.asarray(diffusivity).tolist()!r}."
        )
    if np.any(kappa < 0) or not np.all(np.isfinite(kappa)):
        raise ValueError(
            f"diffusivity must be finite and non-negative, got {kappa.tolist()}; "
            "a negative diffusivity makes the problem ill-posed."
        )
    return kappa


def check_velocity(velocity, d: int) -> np.ndarray:
    """A constant velocity as a finite array of shape (d,) (a scalar in 1D)."""
    vel = as_float_array(velocity, "velocity", f"a function (x, t) -> (d,) or a vector of {d} "
                         "real numbers")
    if vel.ndim == 0 and d == 1:
        vel = vel[None]
    if vel.shape != (d,):
        raise ValueError(
            f"velocity must be a function or a vector of shape ({d},) for this {d}-D "
            f"domain, got shape {vel.shape}: {np.asarray(velocity).tolist()!r}."
        )
    if not np.all(np.isfinite(vel)):
        raise ValueError(f"velocity must be finite, got {vel.tolist()}; replace NaN/inf.")
    return vel


def _check_t_span(t_span):
    if t_span is None:
        return None
    if isinstance(t_span, (str, bytes)):
        raise ValueError(f"t_span must be (t0, t1) or None, got {t_span!r}.")
    try:
        t0, t1 = (float(v) for v in t_span)
    except (TypeError, ValueError):
        raise ValueError(f"t_span must be (t0, t1) or None, got {t_span!r}.") from None
    if not (np.isfinite(t0) and np.isfinite(t1)) or t1 <= t0:
        raise ValueError(f"t_span must have finite t0 < t1, got {t_span!r}.")
    return (t0, t1)

"""Corner lifts for Navier biharmonic problems: the r² log r singularities in closed form.

At a corner of angle ω = π/2 or 3π/2 with Navier data, Δv = f, v = h (v = Δu) cannot hold
smoothly unless f(c) equals the sum of h's second derivatives along the two edges, and
Δu = v, u = g unless h(c) equals that sum for g. Where they differ (by δ_v, δ_u; a uniform load
on a simply supported plate has δ_v = q/D), v carries δ_v φ and u carries δ_v ψ + δ_u φ with
(z = x' + i y' in the corner's local coordinates, see `geometry.Corner`)

    φ = y'²/2 + Im(z² log z) / (2ω),             Δφ = 1,
    ψ = y'⁴/24 + Im(|z|² (z² log z/12 − z²/36)) / (2ω),  Δψ = φ,

both zero on the two edges (the log's cut is turned to the exterior bisector). Solving for
ũ = u − L, L = Σ_c (δ_v ψ_c + δ_u φ_c), leaves data f − Δ²L, g − L, h − ΔL whose solution
is smooth at these corners, so the random features converge spectrally again. Other angles
give no logarithm for smooth data (their singular exponents are the homogeneous ones).
"""

import dataclasses
import functools

import jax
import jax.numpy as jnp
import numpy as np

from ..equations import Biharmonic

LOG_ANGLES = (0.5 * np.pi, 1.5 * np.pi)
_ANGLE_TOL = 1e-9
_NEGLIGIBLE = 1e-12  # |δ| below this times the data's size: compatible, no lift
_INSIDE_TOL = 1e-9  # radians: domain points must lie inside the corner's wedge


def _unit_log(z, angle):
    """log z with its branch cut along the exterior bisector of a wedge 0 < arg z < angle."""
    turn = jnp.exp(-0.5j * angle)
    return jnp.log(z * turn) + 0.5j * angle


def _phi(x, y, angle):
    z = x + 1j * y
    return y**2 / 2 + jnp.imag(z**2 * _unit_log(z, angle)) / (2 * angle)


def _psi(x, y, angle):
    z = x + 1j * y
    zz = z**2
    return y**4 / 24 + jnp.imag((x**2 + y**2) * (zz * _unit_log(z, angle) / 12 - zz / 36)) / (
        2 * angle)


@dataclasses.dataclass(frozen=True)
class CornerLift:
    """L(x) = Σ_c (δ_v,c ψ_c + δ_u,c φ_c) over the lifted corners (see the module docstring).

    Attributes:
        vertices, firsts, normals: (k, 2) corner points, first-edge directions and inward
            normals (the local axes).
        angles: (k,) interior angles (π/2 or 3π/2).
        delta_v, delta_u: (k,) the incompatibilities lifted.
    """

    vertices: np.ndarray
    firsts: np.ndarray
    normals: np.ndarray
    angles: np.ndarray
    delta_v: np.ndarray
    delta_u: np.ndarray

    def __len__(self):
        return int(self.angles.shape[0])

    def pointwise(self, x):
        """L at one point x (2,) (JAX-traceable; 0 at the vertices themselves)."""
        return self._sum(x, lambda k, xl, yl, angle: self.delta_v[k] * _psi(xl, yl, angle)
                         + self.delta_u[k] * _phi(xl, yl, angle))

    def laplacian_pointwise(self, x):
        """ΔL = Σ_c (δ_v φ_c + δ_u) at one point, in closed form (Δψ = φ, Δφ = 1)."""
        return self._sum(x, lambda k, xl, yl, angle: self.delta_v[k] * _phi(xl, yl, angle)
                         ) + float(np.sum(self.delta_u))

    @property
    def bilaplacian(self) -> float:
        """Δ²L = Σ_c δ_v,c, a constant (Δ²ψ = 1, Δ²φ = 0)."""
        return float(np.sum(self.delta_v))

    def _sum(self, x, term):
        total = jnp.zeros((), dtype=jnp.result_type(x, jnp.float64))
        for k in range(len(self)):
            p = x - self.vertices[k]
            xl, yl = p @ self.firsts[k], p @ self.normals[k]
            at_vertex = xl**2 + yl**2 == 0
            xl, yl = jnp.where(at_vertex, 1.0, xl), jnp.where(at_vertex, 0.0, yl)
            total = total + jnp.where(at_vertex, 0.0, term(k, xl, yl, float(self.angles[k])))
        return total

    def values(self, op: str, x) -> jax.Array:
        """L ("value"), ΔL ("laplacian") or ∇L ("gradient") at points x (n, 2)."""
        return self._compiled[op](jnp.asarray(x))

    @functools.cached_property
    def _compiled(self) -> dict:
        value = self.pointwise
        return {"value": jax.jit(jax.vmap(value)),
                "laplacian": jax.jit(jax.vmap(self.laplacian_pointwise)),
                "gradient": jax.jit(jax.vmap(jax.grad(value)))}

    def arrays(self) -> dict[str, np.ndarray]:
        """The fields as arrays (for saving)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def corner_lift(problem: Biharmonic, sample) -> tuple[CornerLift | None, list[dict]]:
    """The lift of `problem`'s incompatible Navier corners.

    Args:
        problem: a Navier `Biharmonic` on a 2D domain.
        sample: domain points (n, 2) used to check that the domain lies inside each corner's
            wedge (where the closed forms are single-valued).

    Returns:
        (lift or None when no corner needs one, a report per corner: vertex, angle/π, δ_v,
        δ_u and "lifted" or the reason it was not).
    """
    report, rows = [], []
    sample = np.asarray(sample, dtype=np.float64)
    for corner in problem.domain.corners():
        entry = {"vertex": corner.vertex.tolist(), "angle_over_pi": corner.angle / np.pi}
        report.append(entry)
        if min(abs(corner.angle - a) for a in LOG_ANGLES) > _ANGLE_TOL:
            entry["lift"] = "none: no logarithmic term at this angle"
            continue
        c = jnp.asarray(corner.vertex)
        t1, t2 = jnp.asarray(corner.first), jnp.asarray(corner.second)
        delta_v = _incompatibility(problem.f(c), problem.h, c, t1, t2)
        delta_u = _incompatibility(problem.h(c), problem.g, c, t1, t2)
        entry.update(delta_v=delta_v, delta_u=delta_u)
        if not np.isfinite(delta_v + delta_u):
            entry["lift"] = "none: non-finite data at the corner (the data checks name it)"
            continue
        size = max(1.0, abs(float(problem.f(c))), abs(float(problem.h(c))))
        if max(abs(delta_v), abs(delta_u)) <= _NEGLIGIBLE * size:
            entry["lift"] = "none: compatible data"
            continue
        if not _inside_wedge(sample, corner):
            entry["lift"] = "none: the domain leaves the corner's wedge"
            continue
        entry["lift"] = "lifted"
        rows.append((corner.vertex, corner.first, corner.normal, corner.angle, delta_v,
                     delta_u))
    if not rows:
        return None, report
    columns = [np.array(col, dtype=np.float64) for col in zip(*rows, strict=True)]
    return CornerLift(*columns), report


def _incompatibility(value, data, c, t1, t2) -> float:
    """value − (t1ᵀ ∇²data(c) t1 + t2ᵀ ∇²data(c) t2): the corner's Laplacian mismatch."""
    hessian = jax.hessian(data)(c)
    return float(value - t1 @ hessian @ t1 - t2 @ hessian @ t2)


def _inside_wedge(points, corner) -> bool:
    p = points - corner.vertex
    theta = np.arctan2(p @ corner.normal, p @ corner.first) % (2 * np.pi)
    theta = np.where(theta > 0.5 * corner.angle + np.pi, theta - 2 * np.pi, theta)
    return bool(np.all((theta >= -_INSIDE_TOL) & (theta <= corner.angle + _INSIDE_TOL)))


def lifted_problem(problem: Biharmonic, lift: CornerLift) -> Biharmonic:
    """The Navier problem for ũ = u − L: data f − Δ²L, g − L, h − ΔL."""
    lap, bilap = lift.laplacian_pointwise, lift.bilaplacian
    f, g, h = problem.f, problem.g, problem.h
    return Biharmonic(problem.domain, lambda x: f(x) - bilap, lambda x: g(x) - lift.pointwise(x),
                      h=lambda x: h(x) - lap(x))

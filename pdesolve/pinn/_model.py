"""A PINN model for an advection–diffusion problem: u(params; x, t), residuals and the loss.

Derivatives act on the batch function U(z), z = (x, t) of shape (n, d + 1): since rows are
independent, one forward-mode pass with the constant tangent e_k gives ∂u/∂z_k for every row,
and a forward-over-forward pass gives ∂²u/∂x_k² with ∂u/∂x_k as a by-product. No Hessian and no
reverse mode are used inside the loss (reverse mode only for the parameter gradient).
"""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np


@dataclasses.dataclass(frozen=True)
class Model:
    """u = G + D·N (hard) or u = N (soft) for `problem`, with network `network`.

    Attributes:
        problem: the `AdvectionDiffusion`.
        network: an object with `apply(params, z) -> (n,)`.
        hard: whether the ansatz G + D·N is used.
        extension: pointwise G(x, t) (hard only).
        distance: pointwise D(x, t) (hard only).
        dtype: floating dtype of points and outputs.
    """

    problem: object
    network: object
    hard: bool
    extension: object = None
    distance: object = None
    dtype: object = jnp.float32

    @property
    def timed(self) -> bool:
        return not self.problem.steady

    def join(self, x, t):
        """z = (x, t) (or x for steady problems), shape (n, d + 1) or (n, d)."""
        return jnp.concatenate([x, t[:, None]], axis=1) if self.timed else x

    def split(self, z):
        d = self.problem.dim
        if self.timed:
            return z[:, :d], z[:, d]
        return z, jnp.zeros(z.shape[0], z.dtype)

    def u_of_z(self, params):
        """The batch function U(z) -> (n,)."""

        def u(z):
            out = self.network.apply(params, z)
            if self.hard:
                x, t = self.split(z)
                g = jax.vmap(self.extension)(x, t).astype(self.dtype)
                dist = jax.vmap(self.distance)(x, t).astype(self.dtype)
                out = g + dist * out
            return out

        return u

    def __call__(self, params, x, t=None):
        """u at points x (n, d) and times t (n,) (no t for steady problems)."""
        x = jnp.asarray(x, self.dtype)
        if self.timed:
            t = jnp.broadcast_to(jnp.asarray(t, self.dtype), (x.shape[0],))
        else:
            t = jnp.zeros(x.shape[0], self.dtype)
        return self.u_of_z(params)(self.join(x, t))

    def residual(self, params, x, t):
        """PDE residual u_t + a·∇u − Σ κ_k u_kk − f at a batch of points; shape (n,)."""
        problem, d = self.problem, self.problem.dim
        if t is None:
            t = jnp.zeros(x.shape[0], self.dtype)
        z = self.join(x, t)
        u = self.u_of_z(params)
        kappa = np.asarray(problem.diffusivity)
        if callable(problem.velocity):
            vel = jax.vmap(problem.velocity)(x, t).astype(self.dtype)
        else:
            vel = jnp.broadcast_to(jnp.asarray(problem.velocity, self.dtype), x.shape)
        out = -jax.vmap(problem.source)(x, t).astype(self.dtype)
        for k in range(d):
            e = jnp.zeros_like(z).at[:, k].set(1)
            if kappa[k] == 0:
                du = jax.jvp(u, (z,), (e,))[1]
            else:
                (_, du), (_, d2u) = jax.jvp(lambda y, e=e: jax.jvp(u, (y,), (e,)), (z,), (e,))
                out = out - float(kappa[k]) * d2u
            out = out + vel[:, k] * du
        if self.timed:
            e = jnp.zeros_like(z).at[:, d].set(1)
            out = out + jax.jvp(u, (z,), (e,))[1]
        return out

    def boundary_terms(self, params, batch, segments):
        """Mean squared boundary misfit per segment kind: {"dirichlet": …, "neumann": …}."""
        x, n = batch["bx"], batch["bn"]
        t = batch["bt"] if self.timed else jnp.zeros(x.shape[0], self.dtype)
        z = self.join(x, t)
        u = self.u_of_z(params)
        kinds = {s.kind for s in segments}
        values = u(z) if "dirichlet" in kinds else None
        if "neumann" in kinds:
            tangent = jnp.concatenate([n, jnp.zeros((x.shape[0], z.shape[1] - n.shape[1]), n.dtype)], 1)
            dudn = jax.jvp(u, (z,), (tangent,))[1]
        sums = {"dirichlet": 0.0, "neumann": 0.0}
        counts = {"dirichlet": 0, "neumann": 0}
        for s in segments:
            xs, ts = x[s.start : s.stop], t[s.start : s.stop]
            if s.kind == "dirichlet":
                err = values[s.start : s.stop] - jax.vmap(s.fn)(xs, ts).astype(self.dtype)
            else:
                data = jax.vmap(s.fn)(xs, ts, n[s.start : s.stop]).astype(self.dtype)
                err = dudn[s.start : s.stop] - data
            sums[s.kind] = sums[s.kind] + jnp.sum(err**2)
            counts[s.kind] += s.stop - s.start
        return {k: sums[k] / counts[k] for k in sums if counts[k]}

    def initial_term(self, params, x):
        """Mean squared misfit of u(x, t0) against the initial data."""
        t = jnp.full(x.shape[0], self.problem.t_span[0], self.dtype)
        data = jax.vmap(self.problem.initial)(x).astype(self.dtype)
        return jnp.mean((self(params, x, t) - data) ** 2)


def make_loss(model: Model, segments, weight):
    """loss(params, batch, step) -> (scalar, aux dict) for `model`.

    loss = mean r² + w(step)·(boundary misfits [+ initial misfit when soft]), w from `weight`
    (a function of the step).
    """

    def loss(params, batch, step):
        res = model.residual(params, batch["x"], batch.get("t"))
        pde = jnp.mean(res**2)
        terms = model.boundary_terms(params, batch, segments) if segments else {}
        if not model.hard and model.timed:
            terms["initial"] = model.initial_term(params, batch["ix"])
        penalty = sum(terms.values()) if terms else jnp.zeros((), pde.dtype)
        return pde + weight(step) * penalty, {"pde": pde, **terms}

    return loss

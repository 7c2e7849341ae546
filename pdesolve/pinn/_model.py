"""A PINN model for an advection–diffusion problem: u(params; x, t), residuals and the loss.

Derivatives act on batches z = (x, t) of shape (n, d + 1). The network propagates its value,
spatial gradient and the PDE operator applied to it forward through its layers (`apply_jet`);
G and D are differentiated by forward-mode passes with constant tangents (rows are
independent, so one pass gives ∂/∂z_k for every row). No Hessian and no reverse mode
are used inside the loss (reverse mode only for the parameter gradient).
"""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, PartitionSpec

from ..parallel import padded_length


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

    def taylor(self, params, z, n_second: int):
        """u, its first derivatives along every axis of z, and ∂²u/∂z_i² for i < n_second.

        The network's derivatives come from its forward Taylor propagation; G and D (pointwise,
        parameter-free) are differentiated by forward-mode passes, then combined by the product
        rule: u_i = G_i + D_i N + D N_i, u_ii = G_ii + D_ii N + 2 D_i N_i + D N_ii.

        Returns:
            `(u (n,), du (m, n), d2u (n_second, n))`.
        """
        n_val, n_first, n_sec = self.network.apply_derivatives(params, z, n_second)
        if not self.hard:
            return n_val, n_first, n_sec
        g, g1, g2 = _taylor(self._pointwise(self.extension), z, n_second)
        d, d1, d2 = _taylor(self._pointwise(self.distance), z, n_second)
        u = g + d * n_val
        du = g1 + d1 * n_val + d * n_first
        d2u = g2 + d2 * n_val + 2 * d1[:n_second] * n_first[:n_second] + d * n_sec
        return u, du, d2u

    def _pointwise(self, fn):
        def batch(z):
            x, t = self.split(z)
            return jax.vmap(fn)(x, t).astype(self.dtype)

        return batch

    def residual(self, params, x, t):
        """PDE residual u_t + a·∇u − Σ κ_k u_kk − f at a batch of points; shape (n,).

        The network propagates the whole operator L = ∂_t + a·∇ − Σ κ_k ∂_k² as one stream
        (`apply_jet`, with its spatial gradient); with the hard ansatz the product rule gives
        L(G + D N) = L G + N L D + D L N − 2 Σ_k κ_k ∂_k D ∂_k N.
        """
        problem, d = self.problem, self.problem.dim
        if t is None:
            t = jnp.zeros(x.shape[0], self.dtype)
        z = self.join(x, t)
        kappa = np.asarray(problem.diffusivity, np.float64)
        quadratic = (tuple(-float(k) for k in kappa),)
        if callable(problem.velocity):
            vel = jax.vmap(problem.velocity)(x, t).astype(self.dtype)
            first_order = jnp.concatenate([vel, jnp.ones_like(vel[:, :1])], axis=1)[None]
            vel = vel.T
        else:
            first_order = jnp.asarray(np.r_[problem.velocity, 1.0], self.dtype)[None]
            vel = jnp.asarray(problem.velocity, self.dtype)[:, None]
        if not self.timed:
            first_order = first_order[..., :d]
        n_val, n_grad, n_op = self.network.apply_jet(params, z, d, quadratic, first_order)
        out = n_op[0]
        if self.hard:
            kappa = jnp.asarray(kappa, self.dtype)[:, None]
            operator = lambda first, second: (
                jnp.sum(vel * first[:d], axis=0)
                - jnp.sum(kappa * second, axis=0)
                + (first[d] if self.timed else 0.0)
            )
            _, g1, g2 = _taylor(self._pointwise(self.extension), z, d)
            dist, d1, d2 = _taylor(self._pointwise(self.distance), z, d)
            cross = jnp.sum(kappa * d1[:d] * n_grad, axis=0)
            out = operator(g1, g2) + n_val * operator(d1, d2) + dist * out - 2 * cross
        return out - jax.vmap(problem.source)(x, t).astype(self.dtype)

    def boundary_terms(self, params, batch, segments):
        """Mean squared boundary misfit per segment kind: {"dirichlet": …, "neumann": …}."""
        x, n = batch["bx"], batch["bn"]
        t = batch["bt"] if self.timed else jnp.zeros(x.shape[0], self.dtype)
        z = self.join(x, t)
        kinds = {s.kind for s in segments}
        if "neumann" in kinds:
            values, du, _ = self.taylor(params, z, 0)
            dudn = jnp.sum(du[: self.problem.dim] * n.T, axis=0)
        else:
            values = self.u_of_z(params)(z)
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


def _taylor(fn, z, n_second):
    """Value, first derivatives (every axis) and pure second derivatives (first n_second axes)
    of a row-wise batch function, by forward-mode passes with constant tangents."""
    m = z.shape[1]
    firsts, seconds, value = [], [], None
    for i in range(m):
        e = jnp.zeros_like(z).at[:, i].set(1)
        if i < n_second:
            (value, d1), (_, d2) = jax.jvp(lambda y, e=e: jax.jvp(fn, (y,), (e,)), (z,), (e,))
            seconds.append(d2)
        else:
            value, d1 = jax.jvp(fn, (z,), (e,))
        firsts.append(d1)
    second = jnp.stack(seconds) if seconds else jnp.zeros((0, z.shape[0]), z.dtype)
    return value, jnp.stack(firsts), second


# rows per block of the residual's gradient on CPU, where a block's jet then stays in cache
RESIDUAL_BLOCK = 256


def residual_block() -> int | None:
    """`RESIDUAL_BLOCK` on CPU; None (the whole batch at once) on GPU and TPU, where blocks
    would only serialise small kernels."""
    return RESIDUAL_BLOCK if jax.default_backend() == "cpu" else None


def mean_square(fn, block: int | None = RESIDUAL_BLOCK, mesh: Mesh | None = None):
    """`value(params, *rows) = mean(fn(params, *rows)²)` with a block-wise gradient.

    `fn` maps parameters and row-aligned arrays (leading axis n) to per-row values, row i
    depending only on the rows' entry i. The value is the plain mean; its gradient
    ∇ mean f² = (1/n) Σ_blocks ∇ Σ_{i ∈ block} f_i² is accumulated over blocks of `block`
    rows in a `lax.scan`, so each block's forward and reverse passes stay in cache and the
    peak memory is that of one block. The rows get a zero cotangent (they are data).

    Args:
        fn: `fn(params, *rows) -> (n,)`.
        block: rows per block; None for one block of all rows.
        mesh: optional `jax.sharding.Mesh`: the rows are split over all its devices
            (`jax.shard_map`; n is padded to a multiple of the device count with zero-weight
            copies of the last row), each device runs the blocks of its own rows and one
            `psum` adds the sums and their gradients.

    Returns:
        The function `value(params, *rows) -> scalar`.
    """
    block_sum = jax.value_and_grad(
        lambda p, keep, *rows: jnp.sum(jnp.where(keep, fn(p, *rows) ** 2, 0))
    )

    def sums(params, *rows):
        """Σ f² over the rows where rows[0] (the keep mask) holds, and its gradient."""
        n = rows[0].shape[0]
        full, rest = divmod(n, block or n)
        total, grads = jnp.zeros((), rows[1].dtype), jax.tree_util.tree_map(jnp.zeros_like, params)
        add = lambda a, b: jax.tree_util.tree_map(jnp.add, a, b)
        if full > 1 or (full == 1 and rest):
            blocks = [r[: full * block].reshape(full, block, *r.shape[1:]) for r in rows]
            body = lambda acc, chunk: (add(acc, block_sum(params, *chunk)), None)
            (total, grads), _ = jax.lax.scan(body, (total, grads), blocks)
        else:
            rest = n
        if rest:
            total, grads = add((total, grads), block_sum(params, *(r[n - rest :] for r in rows)))
        return total, grads

    @jax.custom_vjp
    def value(params, rows):
        return jnp.mean(fn(params, *rows) ** 2)

    def value_fwd(params, rows):
        n = rows[0].shape[0]
        if mesh is None:
            total, grads = sums(params, jnp.ones(n, bool), *rows)
        else:
            size = padded_length(n, mesh.size)
            pad = lambda r: jnp.concatenate([r, jnp.broadcast_to(r[-1:], (size - n, *r.shape[1:]))])
            split, whole = PartitionSpec(mesh.axis_names), PartitionSpec()
            local = lambda p, *r: jax.lax.psum(sums(p, *r), mesh.axis_names)
            # check_vma=False: each device's sums are plain local values until psum adds them
            total, grads = jax.shard_map(
                local, mesh=mesh, in_specs=(whole,) + (split,) * (len(rows) + 1),
                out_specs=whole, check_vma=False,
            )(params, jnp.arange(size) < n, *map(pad, rows))
        return total / n, jax.tree_util.tree_map(lambda g: g / n, grads)

    def value_bwd(grads, cotangent):
        return jax.tree_util.tree_map(lambda g: cotangent * g, grads), None

    value.defvjp(value_fwd, value_bwd)
    return lambda params, *rows: value(params, tuple(rows))


def make_loss(model: Model, segments, weight, block="auto", mesh: Mesh | None = None):
    """loss(params, batch, step) -> (scalar, aux dict) for `model`.

    loss = mean r² + w(step)·(boundary misfits [+ initial misfit when soft]), w from `weight`
    (a function of the step). The mean squared residual is differentiated block by block
    (`mean_square`, `block` points at a time, "auto": `residual_block()`, each device taking
    its share of the points when `mesh` is given); the value and gradient are those of the
    plain mean.
    """
    if block == "auto":
        block = residual_block()
    residual = mean_square(lambda p, x, t=None: model.residual(p, x, t), block, mesh)
    pde_term = lambda params, batch: (
        residual(params, batch["x"], batch["t"]) if "t" in batch
        else residual(params, batch["x"])
    )

    def loss(params, batch, step):
        pde = pde_term(params, batch)
        terms = model.boundary_terms(params, batch, segments) if segments else {}
        if not model.hard and model.timed:
            terms["initial"] = model.initial_term(params, batch["ix"])
        penalty = sum(terms.values()) if terms else jnp.zeros((), pde.dtype)
        return pde + weight(step) * penalty, {"pde": pde, **terms}

    return loss

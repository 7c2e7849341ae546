"""Least squares on the device: a tall-skinny QR folded over row blocks in one compiled loop,
sharded over a device mesh, with the rank-revealing finish on the device too.

Every device holds a contiguous share of each row group, split into blocks. A `lax.scan` over
its blocks assembles each block [A_B | b_B] and folds it into the triangular factor of its
support, R ← R-factor of QR([R; [A_B | b_B]]), so only the factor and one block are alive. As on
the host path, rows that touch only some networks (the coupled scheme's Δv = f rows involve only
v, its u = g rows only u) are reduced in their own, narrower factor first. The narrow factors
combine into the device's (n+1)×(n+1) factor of [A | b]; the devices' factors are gathered and
re-factorised (QR of the stacked factors), which is exact because row order does not change a
least-squares problem; communication is devices × (n+1)² numbers, whatever the row count.

The finish works on the column-scaled factor R D (D = 1/‖column‖): an SVD with relative cutoff
`rcond` (finish="svd") or a column-pivoted QR truncated at |r_kk| < rcond·|r_11| ("pivoted"),
both in float64.
"""

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P

from ..parallel import AXIS, padded_length, replicate, shard_leading, to_host
from ._assembly import ROW_SCALINGS, block_matrix, support
from ._lstsq import _columns

_ALIGN = 8


def group_layout(size: int, devices: int, block_rows: int) -> tuple[int, int]:
    """Blocks per device and rows per block for a group of `size` rows over `devices`.

    Each device gets ⌈size/devices⌉ rows (padding, never dropped points, at the end), cut into
    the fewest blocks of at most `block_rows` rows, each rounded up to a multiple of 8.
    """
    per_device = -(-size // devices)
    blocks = max(1, -(-per_device // block_rows))
    rows = padded_length(-(-per_device // blocks), _ALIGN)
    return blocks, rows


def _group_arrays(group, devices: int, block_rows: int):
    """Points, normals, data and mask of one group, padded and shaped (blocks, rows, ...)."""
    blocks, rows = group_layout(group.size, devices, block_rows)
    total = devices * blocks * rows
    pad = total - group.size
    normals = group.normals if group.normals is not None else np.zeros_like(group.points)
    pts = np.concatenate([group.points, np.zeros((pad, group.points.shape[1]))])
    nrm = np.concatenate([normals, np.zeros((pad, normals.shape[1]))])
    rhs = np.concatenate([group.rhs, np.zeros(pad)])
    mask = np.arange(total) < group.size
    shape = (devices * blocks, rows)
    return (pts.reshape(*shape, -1), nrm.reshape(*shape, -1), rhs.reshape(shape),
            mask.reshape(shape))


def _fold(r, block):
    """R of QR([R; block])."""
    return jnp.linalg.qr(jnp.concatenate([r, block]), mode="r")


def _combine_supports(factors: dict, offsets):
    """The (n+1)×(n+1) factor of [A | b] from the factors of each support (see the host path)."""
    n = int(offsets[-1])
    full = tuple(range(len(offsets) - 1))
    r = factors.pop(full, None)
    if factors and sorted(k for sup in factors for k in sup) == list(full):
        diag = jnp.zeros((n + 1, n + 1))
        residual = jnp.zeros(())
        for sup, part in factors.items():
            cols = _columns(sup, offsets)
            w = len(cols) - 1
            diag = diag.at[np.ix_(cols[:w], cols)].set(part[:w])
            residual = jnp.hypot(residual, part[w, w])
        diag = diag.at[n, n].set(residual)
        return diag if r is None else _fold(diag, r)
    r = jnp.zeros((n + 1, n + 1)) if r is None else r
    for sup, part in factors.items():
        embedded = jnp.zeros((part.shape[0], n + 1)).at[:, _columns(sup, offsets)].set(part)
        r = _fold(r, embedded)
    return r


def _local_factor(weights, biases, data, row_scaling, *, structure, activations, widths):
    """This device's factor of [A | b]: every group's blocks folded into its support's factor."""
    offsets = np.concatenate([[0], np.cumsum(widths)])
    factors = {}
    for (sup, terms), (pts, nrm, rhs, mask) in zip(structure, data, strict=True):
        args = tuple(tuple(v[k] for k in sup) for v in (weights, biases))
        acts = tuple(activations[k] for k in sup)
        width = sum(widths[k] for k in sup) + 1
        r0 = factors.get(sup, jnp.zeros((width, width)))

        def body(r, blk, args=args, acts=acts, terms=terms):
            block = block_matrix(*args, *blk, row_scaling, activations=acts, terms=terms)
            return _fold(r, block), None

        factors[sup], _ = jax.lax.scan(body, r0, (pts, nrm, rhs, mask))
    return _combine_supports(factors, offsets)


def _finish(r_aug, rcond, *, finish: str):
    """Rank-revealing solve of min ‖R x − c‖ on the column-scaled factor; (x, rank, cond)."""
    n = r_aug.shape[0] - 1
    r, c = r_aug[:n, :n], r_aug[:n, n]
    norms = jnp.linalg.norm(r, axis=0)
    d = jnp.where(norms > 0, 1.0 / jnp.where(norms > 0, norms, 1.0), 1.0)
    rs = r * d
    if finish == "svd":
        u, s, vt = jnp.linalg.svd(rs, full_matrices=False)
        keep = s > rcond * s[0]
        y = vt.T @ jnp.where(keep, (u.T @ c) / jnp.where(keep, s, 1.0), 0.0)
        first, last = s[0], s[-1]
    else:
        q, rp, perm = jax.lax.linalg.qr(rs, pivoting=True, full_matrices=False)
        diag = jnp.abs(jnp.diag(rp))
        keep = diag > rcond * diag[0]
        # Truncate to the leading rank×rank triangle: identity rows/columns beyond it and a
        # zero right-hand side there give zeros in the discarded unknowns.
        inside = keep[:, None] & keep[None, :]
        eye = jnp.eye(n, dtype=rp.dtype)
        tri = jnp.where(inside, rp, eye)
        z = jax.scipy.linalg.solve_triangular(tri, jnp.where(keep, q.T @ c, 0.0), lower=False)
        y = jnp.zeros(n, rp.dtype).at[perm].set(z)
        first, last = diag[0], diag[-1]
    cond = jnp.where(last > 0, first / jnp.where(last > 0, last, 1.0), jnp.inf)
    return d * y, jnp.sum(keep), cond


@functools.partial(jax.jit, static_argnames=("structure", "activations", "widths", "mesh",
                                             "finish"))
def _factor_and_solve(weights, biases, data, rcond, row_scaling, *, structure, activations,
                      widths, mesh, finish):
    def local(weights, biases, data):
        r = _local_factor(weights, biases, data, row_scaling, structure=structure,
                          activations=activations, widths=widths)
        if mesh.size > 1:
            r = jnp.linalg.qr(jax.lax.all_gather(r, AXIS, tiled=True), mode="r")
        return r

    r_aug = jax.shard_map(local, mesh=mesh, in_specs=(P(), P(), P(AXIS)), out_specs=P(),
                          check_vma=False)(weights, biases, data)
    return _finish(r_aug, rcond, finish=finish)


@functools.partial(jax.jit, static_argnames=("structure", "activations", "mesh"))
def _group_residuals(weights, biases, betas, data, *, structure, activations, mesh):
    none = ROW_SCALINGS.index("none")

    def local(weights, biases, betas, data):
        sums, maxes = [], []
        for (sup, terms), arrays in zip(structure, data, strict=True):
            args = tuple(tuple(v[k] for k in sup) for v in (weights, biases))
            beta = jnp.concatenate([betas[k] for k in sup])
            acts = tuple(activations[k] for k in sup)

            def body(acc, blk, args=args, acts=acts, terms=terms, beta=beta):
                block = block_matrix(*args, *blk, none, activations=acts, terms=terms)
                res = jnp.where(blk[3], block[:, :-1] @ beta - block[:, -1], 0.0)
                return (acc[0] + res @ res, jnp.maximum(acc[1], jnp.max(jnp.abs(res)))), None

            (sq, mx), _ = jax.lax.scan(body, (jnp.zeros(()), jnp.zeros(())), arrays)
            sums.append(sq)
            maxes.append(mx)
        sums, maxes = jnp.stack(sums), jnp.stack(maxes)
        if mesh.size > 1:
            sums, maxes = jax.lax.psum(sums, AXIS), jax.lax.pmax(maxes, AXIS)
        return sums, maxes

    return jax.shard_map(local, mesh=mesh, in_specs=(P(), P(), P(), P(AXIS)),
                         out_specs=(P(), P()), check_vma=False)(weights, biases, betas, data)


class DeviceSystem:
    """The row groups of one ELM system laid out over a mesh, ready to solve on its devices.

    Args:
        networks: the random-feature networks (column blocks).
        groups: the `RowGroup`s.
        mesh: a one-axis mesh (see `pdesolve.parallel.device_mesh`).
        block_rows: the largest block a device assembles at once.
    """

    def __init__(self, networks, groups, *, mesh, block_rows: int):
        self.mesh, self.groups = mesh, groups
        self.widths = tuple(n.width for n in networks)
        self.activations = tuple(n.activation for n in networks)
        self.structure = tuple((support(g), tuple(g.terms[k] for k in support(g)))
                               for g in groups)
        self.weights = replicate(tuple(n.weights for n in networks), mesh)
        self.biases = replicate(tuple(n.biases for n in networks), mesh)
        self.data = tuple(
            tuple(shard_leading(a, mesh) for a in _group_arrays(g, mesh.size, block_rows))
            for g in groups
        )

    def solve(self, *, finish: str, rcond: float, row_scaling: str):
        """Factorise and solve; returns (x (n,), stats with "rank", "condition", "cutoff")."""
        x, rank, cond = _factor_and_solve(
            self.weights, self.biases, self.data, rcond, ROW_SCALINGS.index(row_scaling),
            structure=self.structure, activations=self.activations, widths=self.widths,
            mesh=self.mesh, finish=finish)
        cond = float(to_host(cond))
        return to_host(x), {"rank": int(to_host(rank)),
                            "condition": cond if math.isfinite(cond) else float("inf"),
                            "cutoff": rcond}

    def residuals(self, x: np.ndarray) -> dict:
        """RMS and max of the unscaled residual A x − b of every group, reduced over devices."""
        betas = replicate(tuple(np.split(x, np.cumsum(self.widths)[:-1])), self.mesh)
        sums, maxes = _group_residuals(self.weights, self.biases, betas, self.data,
                                       structure=self.structure, activations=self.activations,
                                       mesh=self.mesh)
        sums, maxes = to_host(sums), to_host(maxes)
        return {g.name: {"rms": float(np.sqrt(sums[i] / g.size)), "max": float(maxes[i])}
                for i, g in enumerate(self.groups)}

"""The compiled unit of training: `chunk` optax steps in one `lax.scan`, data-parallel on a mesh.

Parameters and optimiser state are replicated over the mesh and every batch leaf is split along
its leading (points) axis, so XLA evaluates the loss on each device's points and all-reduces the
gradient. Step s draws its batch from `sample(fold_in(key, s))`; steps past `total` are masked,
so a last partial chunk reuses the compiled chunk.
"""

import functools

import jax
import jax.numpy as jnp
import optax
from jax.sharding import NamedSharding, PartitionSpec

from ..parallel import to_host
from ._schedules import reference_schedule


@functools.cache
def default_optimizer():
    """Adam with `reference_schedule()`, one object for every run (so compilations are shared)."""
    return optax.adam(reference_schedule())


def chunk_runner(loss_fn, sample, optimizer, chunk: int, mesh):
    """`(run_chunk, traces)` for these functions on `mesh`, shared between runs where possible.

    `run_chunk(params, opt_state, step, total, key) -> (params, opt_state, (losses, aux),
    all_finite)` runs steps `step … step + chunk − 1` (those ≥ `total` leave the state alone);
    `traces[0]` counts how often it was traced. Built once per (loss, sampler, optimiser, chunk,
    mesh), so repeated trainings with the same objects compile once; unhashable ones get a
    runner for this run only.
    """
    try:
        return _cached_chunk_runner(loss_fn, sample, optimizer, chunk, mesh)
    except TypeError:
        return _cached_chunk_runner.__wrapped__(loss_fn, sample, optimizer, chunk, mesh)


@functools.lru_cache(maxsize=8)
def _cached_chunk_runner(loss_fn, sample, optimizer, chunk, mesh):
    everywhere = NamedSharding(mesh, PartitionSpec())
    split = points_splitter(mesh)
    traces = [0]

    def step_fn(carry, _):
        traces[0] += 1
        params, opt_state, step, total, key = carry
        batch = split(sample(jax.random.fold_in(key, step)))
        (loss, aux), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, batch, step)
        updates, new_state = optimizer.update(grads, opt_state, params)
        new_params = optax.apply_updates(params, updates)
        active = step < total
        keep = lambda new, old: jax.tree_util.tree_map(
            lambda a, b: jnp.where(active, a, b), new, old
        )
        carry = (keep(new_params, params), keep(new_state, opt_state), step + 1, total, key)
        return carry, (loss, aux)

    # every input and output pinned replicated: the outputs feed the next chunk unchanged, so
    # the chunk compiles once
    @functools.partial(jax.jit, in_shardings=everywhere, out_shardings=everywhere)
    def run_chunk(params, opt_state, step, total, key):
        (params, opt_state, _, _, _), out = jax.lax.scan(
            step_fn, (params, opt_state, step, total, key), None, length=chunk
        )
        return params, opt_state, out, all_finite(params)

    return run_chunk, traces


def all_finite(tree):
    """Traceable: whether every leaf of `tree` is finite everywhere."""
    leaves = jax.tree_util.tree_leaves(tree)
    return jnp.all(jnp.stack([jnp.all(jnp.isfinite(leaf)) for leaf in leaves]))


def points_splitter(mesh):
    """batch ↦ the batch with every leaf split over all devices of `mesh` along its leading axis."""
    points = NamedSharding(mesh, PartitionSpec(mesh.axis_names))
    return lambda batch: jax.tree_util.tree_map(
        lambda a: jax.lax.with_sharding_constraint(a, points), batch
    )


def local_tree(tree):
    """A pytree of replicated arrays as arrays on this process's default device."""
    return jax.tree_util.tree_map(lambda a: jnp.asarray(to_host(a)), tree)

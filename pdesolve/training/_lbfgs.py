"""A second-order finish after the first-order steps: L-BFGS on one fixed batch."""

import functools
import warnings

import jax
import numpy as np
import optax
from jax.sharding import NamedSharding, PartitionSpec

from ..parallel import replicate, to_host
from ._chunk import local_tree, points_splitter


def lbfgs_finish(loss_fn, params, sample, key, steps: int, iterations: int, mesh):
    """`iterations` of optax.lbfgs (zoom line search) on the batch `sample(fold_in(key, steps))`.

    Args:
        loss_fn: `loss_fn(params, batch, step) -> (loss, aux)`.
        params: the parameters after the first-order steps.
        sample: the training sampler.
        key: the run's PRNG key.
        steps: the number of first-order steps (the batch's step index).
        iterations: L-BFGS iterations (> 0).
        mesh: the `jax.sharding.Mesh` to run data-parallel on.

    Returns:
        `(params, losses)`: the new parameters on this process's default device and the loss
        per iteration; on a non-finite loss or parameters, the input `params` (with a
        RuntimeWarning).
    """
    opt = optax.lbfgs()
    split = points_splitter(mesh)
    everywhere = NamedSharding(mesh, PartitionSpec())

    @functools.partial(jax.jit, in_shardings=everywhere, out_shardings=everywhere)
    def run(params):
        batch = split(sample(jax.random.fold_in(key, steps)))
        value_fn = lambda p: loss_fn(p, batch, steps)[0]
        value_and_grad = optax.value_and_grad_from_state(value_fn)

        def body(carry, _):
            p, state = carry
            value, grad = value_and_grad(p, state=state)
            updates, state = opt.update(grad, state, p, value=value, grad=grad, value_fn=value_fn)
            return (optax.apply_updates(p, updates), state), value

        (p, _), values = jax.lax.scan(body, (params, opt.init(params)), None, length=iterations)
        return p, values

    new, values = run(replicate(params, mesh))
    new, values = local_tree(new), to_host(values)
    if not np.all(np.isfinite(values)) or not np.all(
        np.isfinite(np.concatenate([np.ravel(x) for x in jax.tree_util.tree_leaves(new)]))
    ):
        warnings.warn(
            "L-BFGS produced a non-finite loss; keeping the parameters of the first stage.",
            RuntimeWarning,
            stacklevel=3,
        )
        return params, values.tolist()
    return new, values.tolist()

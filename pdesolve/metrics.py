"""Error measures between a prediction and a reference solution."""

import jax.numpy as jnp


def relative_l2(pred, ref):
    """‖pred − ref‖₂ / ‖ref‖₂ over all entries (not squared)."""
    pred, ref = jnp.ravel(jnp.asarray(pred)), jnp.ravel(jnp.asarray(ref))
    return jnp.linalg.norm(pred - ref) / jnp.linalg.norm(ref)


def max_error(pred, ref):
    """max |pred − ref| over all entries."""
    return jnp.max(jnp.abs(jnp.ravel(jnp.asarray(pred)) - jnp.ravel(jnp.asarray(ref))))

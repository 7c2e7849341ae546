"""The fingerprint of a training run, saved in its checkpoints and checked on resume.

A run is determined by its key, initial parameters, optimiser, loss and settings. The
fingerprint records what can be compared cheaply and exactly:

- the key data and a SHA-256 of the initial parameters (network widths, scales, dtype, init);
- a SHA-256 of the optimiser's first update on a fixed probe gradient (optimiser kind and
  learning rate at step 0);
- the caller's settings (JSON data, e.g. the variant, point counts and problem description).

The loss itself (problem data, penalty weights) is checked separately on resume by recomputing
the step-0 loss (see `train`).
"""

import functools
import hashlib

import jax
import jax.numpy as jnp
import numpy as np


def run_fingerprint(key_data, params, opt_state, optimizer, settings) -> dict:
    """JSON data identifying a run; see the module docstring.

    Args:
        key_data: the raw key data (uint32 array).
        params: the initial parameters (on one device).
        opt_state: `optimizer.init(params)`.
        optimizer: the optax transformation.
        settings: JSON data from the caller, or None.

    Returns:
        A dict with "key", "params_sha256", "optimizer_sha256" and "settings".
    """
    return {
        "key": np.asarray(key_data).ravel().tolist(),
        "params_sha256": _tree_digest(params),
        "optimizer_sha256": _optimizer_digest(optimizer, params, opt_state),
        "settings": settings,
    }


def fingerprint_differences(saved: dict, current: dict) -> list[str]:
    """What differs between two fingerprints, in words (empty when they agree)."""
    saved = saved if isinstance(saved, dict) else {}
    found = []
    if saved.get("key") != current["key"]:
        found.append("another key (pass the same key to continue it exactly)")
    if saved.get("params_sha256") != current["params_sha256"]:
        found.append("other initial parameters (network widths, scales, activation or dtype)")
    if saved.get("optimizer_sha256") != current["optimizer_sha256"]:
        found.append("another optimiser or learning rate")
    old, new = saved.get("settings") or {}, current["settings"] or {}
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            found.append(f"{name}={old.get(name)!r} in the checkpoint, {new.get(name)!r} now")
    return found


def _compiled_update(optimizer):
    """`jax.jit(optimizer.update)`, one per optimiser object (the default one is shared by all
    runs, so its probe compiles once per parameter shape); eager for an unhashable one."""
    try:
        return _jitted_update(optimizer)
    except TypeError:
        return optimizer.update


@functools.lru_cache(maxsize=8)
def _jitted_update(optimizer):
    return jax.jit(optimizer.update)


def _tree_digest(tree) -> str:
    digest = hashlib.sha256()
    for leaf in jax.tree_util.tree_leaves(tree):
        leaf = np.asarray(leaf)
        digest.update(f"{leaf.dtype.str}{leaf.shape}".encode())
        digest.update(np.ascontiguousarray(leaf).tobytes())
    return digest.hexdigest()


def _optimizer_digest(optimizer, params, opt_state) -> str | None:
    """Digest of the first update for the gradient 1/(1 + index) in every entry; None when the
    optimiser needs more than gradients to update (e.g. a line search)."""
    probe = jax.tree_util.tree_map(
        lambda p: (1.0 / (1.0 + jnp.arange(jnp.size(p), dtype=jnp.result_type(p)))).reshape(
            jnp.shape(p)), params)
    try:
        updates, _ = _compiled_update(optimizer)(probe, opt_state, params)
    except TypeError:
        return None
    return _tree_digest(updates)

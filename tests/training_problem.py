"""A tiny training problem for the loop's tests: fit y = 3x − 1 on fresh points each step."""

import jax
import jax.numpy as jnp


def regression():
    """`(sample, loss, params)` for loss(w, batch) = mean (w0 x + w1 − y)² on 64 points."""

    def sample(key):
        x = jax.random.uniform(key, (64,))
        return {"x": x, "y": 3 * x - 1}

    def loss(p, batch, step):
        r = p["w"][0] * batch["x"] + p["w"][1] - batch["y"]
        return jnp.mean(r**2), {"mse": jnp.mean(r**2)}

    return sample, loss, {"w": jnp.zeros(2)}


def interruptible_run(checkpoint, resume: bool, steps: int = 500) -> dict:
    """A small tanh-network fit with a checkpoint every 10 steps, as the kill tests run it.

    Returns:
        {"params": hex bytes of each leaf, "loss": the loss history}, or
        {"interrupted": step, "checkpoint": path} when Ctrl-C stopped it.
    """
    import numpy as np
    import optax

    from pdesolve.training import TrainingInterrupted, train

    def sample(key):
        x = jax.random.uniform(key, (256, 3))
        return {"x": x, "y": jnp.sin(x @ jnp.array([1.0, 2.0, 3.0]))}

    def loss(p, batch, step):
        r = jnp.tanh(batch["x"] @ p["w1"] + p["b1"]) @ p["w2"] - batch["y"]
        return jnp.mean(r**2), {}

    k1, k2 = jax.random.split(jax.random.PRNGKey(3))
    params = {"w1": jax.random.normal(k1, (3, 32)), "b1": jnp.zeros(32),
              "w2": jax.random.normal(k2, (32,)) / 6}
    print("READY", flush=True)
    try:
        out, info = train(loss, params, key=jax.random.PRNGKey(0), steps=steps, sample=sample,
                          chunk=10, optimizer=optax.adam(1e-3), checkpoint=checkpoint,
                          checkpoint_every=10, resume=checkpoint if resume else None,
                          progress=False)
    except TrainingInterrupted as stop:
        return {"interrupted": stop.step, "checkpoint": str(stop.checkpoint)}
    return {"params": {k: np.asarray(v).tobytes().hex() for k, v in out.items()},
            "loss": info["loss"]}

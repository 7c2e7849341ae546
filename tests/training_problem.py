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

"""Learning-rate and penalty-weight schedules (pure functions of the step)."""

import jax.numpy as jnp
import optax

STAGED_VALUES = (20.0, 200.0, 1000.0, 2000.0, 4000.0, 10000.0)
STAGED_FRACTIONS = (0.0, 0.1, 0.2, 0.25, 0.5, 0.75)


def reference_schedule(learning_rate: float = 0.01, decay: float = 0.975, every: int = 100):
    """η(s) = η0 · decay^⌊s / every⌋, the SFHCPINN reference schedule (0.01, ×0.975 per 100)."""
    return optax.exponential_decay(learning_rate, every, decay, staircase=True)


def staged_weight(steps: int, values=STAGED_VALUES, fractions=STAGED_FRACTIONS):
    """A piecewise-constant weight: values[i] from step fractions[i]·steps on.

    The default is the reference's staged penalty 20 → 200 → 1000 → 2000 → 4000 → 10000 at
    0, 10%, 20%, 25%, 50%, 75% of the run.
    """
    if len(values) != len(fractions):
        raise ValueError(
            f"values and fractions must have the same length, got {len(values)} and "
            f"{len(fractions)}."
        )
    bounds = jnp.asarray([f * steps for f in fractions[1:]])
    table = jnp.asarray(values)

    def weight(step):
        return table[jnp.sum(step >= bounds)]

    return weight


def as_weight(weight, steps: int):
    """A weight given as a number, "staged", or a function of the step -> function of the step."""
    if callable(weight):
        return weight
    if weight == "staged":
        return staged_weight(steps)
    try:
        value = float(weight)
    except (TypeError, ValueError):
        raise ValueError(
            f"a penalty weight must be a number, 'staged' or a function of the step, got "
            f"{weight!r}."
        ) from None
    if value < 0:
        raise ValueError(f"a penalty weight must be non-negative, got {value}.")
    return lambda step: jnp.asarray(value)

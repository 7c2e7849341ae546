"""Reference deflections of a simply supported rectangular plate by series (Lévy, Navier).

Both return pointwise JAX functions w(x), x of shape (2,), usable as a problem's `exact`.
"""

import math

import jax.numpy as jnp
import numpy as np


def _check_sizes(width, height, q, stiffness, terms):
    for name, value in (("width", width), ("height", height), ("stiffness", stiffness)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a finite number > 0, got {value!r}.")
    if not (isinstance(q, (int, float)) and math.isfinite(q)):
        raise ValueError(f"q must be a finite number, got {q!r}.")
    if not (isinstance(terms, int) and terms >= 1):
        raise ValueError(f"terms must be a positive integer, got {terms!r}.")


def simply_supported_uniform(*, width=1.0, height=1.0, q=1.0, stiffness=1.0, terms=4001):
    """Deflection of a simply supported plate [0, a] × [0, b] under a uniform load (Lévy).

    With η = (2y − b)/b and α_m = mπb/(2a), summing odd m ≤ `terms`:

        w = 4 q a⁴/(π⁵ D) Σ_m m⁻⁵ sin(mπx/a) [1 − (α_m tanh α_m + 2)/(2 cosh α_m) cosh(α_m η)
                                                + α_m η sinh(α_m η)/(2 cosh α_m)],

    with cosh(α η)/cosh α = (e^{α(η−1)} ± e^{−α(η+1)})/(1 + e^{−2α}) (and sinh likewise):
    no overflow for |η| ≤ 1, and smooth, so autodiff gives the moments.
    The terms fall like m⁻⁵, so truncation costs below q a⁴/(π⁵ D) · terms⁻⁴ (≈ 1e-16
    relative at the default). Centre of the unit square: w = 0.00406235 q/D.

    Args:
        width, height: a and b.
        q: the load.
        stiffness: D.
        terms: the largest m summed (odd m only).

    Returns:
        w(x), a pointwise JAX function (x of shape (2,), float64 under x64).

    Raises:
        ValueError: non-positive sizes or a bad `terms`.
    """
    _check_sizes(width, height, q, stiffness, terms)
    m = np.arange(1, terms + 1, 2, dtype=np.float64)
    alpha = m * np.pi * height / (2.0 * width)
    decay = np.exp(-2.0 * alpha)
    tanh = (1.0 - decay) / (1.0 + decay)
    amplitude = 4.0 * q * width**4 / (np.pi**5 * stiffness) / m**5

    def deflection(x):
        eta = (2.0 * x[1] - height) / height
        upper, lower = jnp.exp(alpha * (eta - 1.0)), jnp.exp(-alpha * (eta + 1.0))
        cosh_ratio = (upper + lower) / (1.0 + decay)
        sinh_ratio = (upper - lower) / (1.0 + decay)
        bracket = 1.0 - 0.5 * (alpha * tanh + 2.0) * cosh_ratio + 0.5 * alpha * eta * sinh_ratio
        return jnp.sum(amplitude * jnp.sin(m * np.pi * x[0] / width) * bracket)

    return deflection


def simply_supported_patch(*, lo, hi, width=1.0, height=1.0, q=1.0, stiffness=1.0,
                           terms=801):
    """Deflection of a simply supported plate [0, a] × [0, b] under q on the patch lo ≤ x ≤ hi
    (Navier's double sine series).

        w = Σ_{m,n ≤ N} q_mn sin(mπx/a) sin(nπy/b) / (π⁴ D ((m/a)² + (n/b)²)²),
        q_mn = 4q/(π² m n) (cos(mπx₁/a) − cos(mπx₂/a)) (cos(nπy₁/b) − cos(nπy₂/b)).

    The terms fall like 1/(m n (m² + n²)²): the truncation error is O(log N / N⁴), below 1e-11
    of the largest deflection at the default N = 801 (the Lévy series of the whole plate
    agrees to 5e-13 of it).

    Args:
        lo, hi: the patch's lower-left and upper-right corners, inside the plate.
        width, height, q, stiffness: a, b, the load and D.
        terms: N, the largest m and n summed.

    Returns:
        w(x), a pointwise JAX function (x of shape (2,)).

    Raises:
        ValueError: bad sizes or a patch outside the plate.
    """
    _check_sizes(width, height, q, stiffness, terms)
    lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    if lo.shape != (2,) or hi.shape != (2,) or np.any(hi <= lo) or np.any(lo < 0) or \
            hi[0] > width or hi[1] > height:
        raise ValueError(f"the patch lo={lo.tolist()}, hi={hi.tolist()} must satisfy "
                         f"0 ≤ lo < hi ≤ ({width}, {height}).")
    k = np.arange(1, terms + 1, dtype=np.float64)
    cx = (np.cos(k * np.pi * lo[0] / width) - np.cos(k * np.pi * hi[0] / width)) / k
    cy = (np.cos(k * np.pi * lo[1] / height) - np.cos(k * np.pi * hi[1] / height)) / k
    denominator = ((k[:, None] / width) ** 2 + (k[None, :] / height) ** 2) ** 2
    coefficients = 4.0 * q * np.outer(cx, cy) / (np.pi**6 * stiffness * denominator)

    def deflection(x):
        sx = jnp.sin(np.pi * x[0] * k / width)
        sy = jnp.sin(np.pi * x[1] * k / height)
        return sx @ coefficients @ sy

    return deflection

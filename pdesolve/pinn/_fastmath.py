"""Polynomial sine and cosine for float32 networks (XLA's CPU sin/cos are ~5× slower).

Range reduction x = kπ + r with |r| ≤ π/2 (π split in two parts, Cody–Waite), then the
Taylor polynomials sin r ≈ Σ_{j≤5} (−1)^j r^{2j+1}/(2j+1)!, cos r ≈ Σ_{j≤6} (−1)^j r^{2j}/(2j)!
(truncation below 6e-8 on |r| ≤ π/2) and sin x = (−1)^k sin r, cos x = (−1)^k cos r.
Derivatives are exact rules (sin' = cos, cos' = −sin) through `custom_jvp`, so nested forward
passes stay as accurate as the values. float64 inputs use `jnp.sin`/`jnp.cos`.
"""

import jax
import jax.numpy as jnp
import numpy as np

_PI_HI = np.float32(3.140625)
_PI_LO = np.float32(np.pi - 3.140625)
_SIN = [(-1) ** j / float(np.prod(np.arange(1, 2 * j + 2))) for j in range(6)]
_COS = [(-1) ** j / float(np.prod(np.arange(1, 2 * j + 1))) for j in range(7)]


def _reduce(x):
    k = jnp.round(x * (1 / np.pi))
    r = (x - k * _PI_HI) - k * _PI_LO
    sign = 1 - 2 * jnp.mod(k, 2)
    return r, sign


def _horner(coefs, r2):
    out = coefs[-1]
    for c in coefs[-2::-1]:
        out = out * r2 + c
    return out


@jax.custom_jvp
def sin(x):
    """sin x (polynomial for float32, `jnp.sin` otherwise)."""
    if x.dtype != jnp.float32:
        return jnp.sin(x)
    r, sign = _reduce(x)
    return sign * r * _horner(_SIN, r * r)


@jax.custom_jvp
def cos(x):
    """cos x (polynomial for float32, `jnp.cos` otherwise)."""
    if x.dtype != jnp.float32:
        return jnp.cos(x)
    r, sign = _reduce(x)
    return sign * _horner(_COS, r * r)


@sin.defjvp
def _sin_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    return sin(x), cos(x) * dx


@cos.defjvp
def _cos_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    return cos(x), -sin(x) * dx


@jax.custom_jvp
def sincos(x):
    """(sin x, cos x) sharing one range reduction (polynomial for float32)."""
    if x.dtype != jnp.float32:
        return jnp.sin(x), jnp.cos(x)
    r, sign = _reduce(x)
    r2 = r * r
    return sign * r * _horner(_SIN, r2), sign * _horner(_COS, r2)


@sincos.defjvp
def _sincos_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    s, c = sincos(x)
    return (s, c), (c * dx, -s * dx)

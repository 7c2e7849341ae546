"""Random ridge features φ_j(x) = σ(w_j·x + b_j) and their closed-form derivatives.

For a ridge feature every derivative is a derivative of σ times a polynomial in w:
∂_k φ = σ'(z) w_k, ∂_n φ = σ'(z) (w·n), Δφ = σ''(z) |w|², Δ²φ = σ''''(z) |w|⁴ with
z = w·x + b. Evaluating these directly costs one transcendental per entry, several times
less than forward-mode autodiff of the feature map (see `benchmarks/celm_assembly.py`).
"""

import dataclasses
import math

import jax
import jax.numpy as jnp
import numpy as np

from ..fastmath import sin_quarter

ACTIVATIONS = ("sin", "tanh", "gauss", "trig", "fourier")
INITS = ("uniform", "normal")
OPERATORS = ("value", "laplacian", "bilaplacian", "normal")


def activation_derivative(name: str, z, order: int):
    """The `order`-th derivative (0..4) of activation `name` at z.

    sin: σ⁽ᵏ⁾(z) = sin(z + kπ/2) (a polynomial kernel, see `_sine`); trig = ½ sin + ½ cos;
    tanh via t = tanh z, s = 1 − t²; gauss e^{−z²}: σ⁽ᵏ⁾ = (−1)ᵏ Hₖ(z) e^{−z²} with Hermite
    polynomials Hₖ.
    ("fourier" features are sin features with phases 0 and π/2, see `init_network`.)
    """
    if name in ("sin", "fourier"):
        return sin_quarter(z, order)
    if name == "trig":
        return 0.5 * (sin_quarter(z, order) + sin_quarter(z, order + 1))
    if name == "tanh":
        t = jnp.tanh(z)
        s = 1 - t * t
        return (t, s, -2 * t * s, -2 * s * (1 - 3 * t * t), 8 * t * s * (2 - 3 * t * t))[order]
    if name == "gauss":
        e = jnp.exp(-z * z)
        z2 = z * z
        poly = (1.0, -2 * z, 4 * z2 - 2, z * (12 - 8 * z2), 16 * z2 * z2 - 48 * z2 + 12)[order]
        return poly * e
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {name!r}.")


@dataclasses.dataclass(frozen=True)
class Network:
    """One random-feature network: the frozen hidden layer of an extreme learning machine.

    Attributes:
        weights: (M, d) array W (already mapped to physical coordinates).
        biases: (M,) array b.
        activation: activation name; for "fourier" the columns are sin with phases 0, π/2.
    """

    weights: np.ndarray
    biases: np.ndarray
    activation: str

    @property
    def width(self) -> int:
        return int(self.weights.shape[0])


def init_network(key, dim: int, hidden: int, *, activation: str, scale: float, init: str,
                 center, radius: float) -> Network:
    """Draw a random-feature network.

    Weights and biases are drawn U[−s, s] (init="uniform") or N(0, s²) (init="normal") for the
    reference coordinates x̂ = (x − center)/radius, then mapped to physical coordinates:
    w·x̂ + b = (w/radius)·x + (b − w·center/radius). "fourier" doubles the width: every (w, b)
    gives sin(z) and cos(z) = sin(z + π/2).

    Args:
        key: JAX PRNG key.
        dim: space dimension d.
        hidden: number M of random (w, b) pairs.
        activation: one of `ACTIVATIONS`.
        scale: s > 0.
        init: "uniform" or "normal".
        center: (d,) centre of the reference box.
        radius: half-width of the reference box.

    Returns:
        A `Network` with float64 NumPy weights.
    """
    kw, kb = jax.random.split(key)
    if init == "uniform":
        w = jax.random.uniform(kw, (hidden, dim), jnp.float64, -scale, scale)
        b = jax.random.uniform(kb, (hidden,), jnp.float64, -scale, scale)
    else:
        w = scale * jax.random.normal(kw, (hidden, dim), jnp.float64)
        b = scale * jax.random.normal(kb, (hidden,), jnp.float64)
    w, b = np.asarray(w) / radius, np.asarray(b)
    b = b - w @ np.asarray(center, dtype=np.float64)
    if activation == "fourier":
        w, b = np.concatenate([w, w]), np.concatenate([b, b + math.pi / 2])
    return Network(w, b, activation)


def apply_operator(weights, biases, activation: str, op: str, x, normals=None):
    """The (n, M) matrix [L φ_j](x_i) for one operator L (JAX-traceable).

    Args:
        weights, biases: the network's W (M, d) and b (M,).
        activation: activation name.
        op: "value" (φ), "laplacian" (Δφ), "bilaplacian" (Δ²φ) or "normal" (∇φ·n).
        x: points (n, d).
        normals: (n, d) unit normals, needed for "normal".
    """
    z = x @ weights.T + biases
    if op == "value":
        return activation_derivative(activation, z, 0)
    if op == "laplacian":
        return activation_derivative(activation, z, 2) * jnp.sum(weights**2, axis=1)
    if op == "bilaplacian":
        return activation_derivative(activation, z, 4) * jnp.sum(weights**2, axis=1) ** 2
    if op == "normal":
        return activation_derivative(activation, z, 1) * (normals @ weights.T)
    raise ValueError(f"op must be one of {OPERATORS}, got {op!r}.")


def gradient_values(weights, biases, activation: str, beta, x):
    """∇(Σ_j β_j φ_j)(x_i) = (σ'(Z) ∘ β) W, shape (n, d) (JAX-traceable)."""
    z = x @ weights.T + biases
    return (activation_derivative(activation, z, 1) * beta) @ weights

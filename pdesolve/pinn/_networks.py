"""Networks acting on a batch of inputs z of shape (n, m): a plain MLP and stacked Fourier subnets.

Each network is a small frozen description (widths, scales, activation) with `init(key)`
returning a parameter pytree and `apply(params, z)` returning shape (n,). Parameters are plain
dicts of arrays, so they work with optax and checkpoints directly.
"""

import dataclasses
import functools

import jax
import jax.numpy as jnp
import numpy as np

from . import _fastmath as fastmath

DEFAULT_SCALES = (1, 2, 3, 4, 5, 6, *range(8, 41, 2))
_ACTIVATIONS = {"sin": fastmath.sin, "tanh": jnp.tanh, "gelu": jax.nn.gelu, "silu": jax.nn.silu}


def _sin3(a):
    s, c = fastmath.sincos(a)
    return s, c, -s


def _tanh3(a):
    y = jnp.tanh(a)
    d1 = 1 - y * y
    return y, d1, -2 * y * d1


def _generic3(fn):
    def three(a):
        first = lambda b: jax.jvp(fn, (b,), (jnp.ones_like(b),))[1]
        return fn(a), first(a), jax.jvp(first, (a,), (jnp.ones_like(a),))[1]

    return three


def activation_derivatives(name: str):
    """a ↦ (σ(a), σ'(a), σ''(a)) for the activation called `name`."""
    fn = activation_fn(name)
    return {"sin": _sin3, "tanh": _tanh3}.get(name, _generic3(fn))


def _propagate(value, first, second, three):
    """Push (y, ∂y, ∂²y) through y ↦ σ(y): chain rule for first and pure second derivatives."""
    s, d1, d2 = three(value)
    return s, d1[None] * first, d1[None] * second + d2[None] * first[: second.shape[0]] ** 2


def _jet_layer(three, w, b, y, m: int, n_second: int):
    """One hidden layer y ↦ σ(Wᵀy + b) (+ y) on a jet of shape (K, width, S, n).

    Stream 0 is the value, streams 1…m the first derivatives, the rest the pure second
    derivatives of the first n_second axes. Returns the new jet and (a, σ, σ', σ'') where
    a = Wᵀy (all streams, bias not added) and σ⁽ʲ⁾ are taken at the value stream a₀ + b.
    """
    k, _, streams, n = y.shape
    a = jnp.einsum("kjl,kjp->klp", w, y.reshape(k, -1, streams * n)).reshape(k, -1, streams, n)
    value, d1, d2 = three(a[:, :, :1] + b[:, :, None, None])
    first = a[:, :, 1 : 1 + m]
    second = d1 * a[:, :, 1 + m :] + d2 * first[:, :, :n_second] ** 2
    new = jnp.concatenate([value, d1 * first, second], axis=2)
    return (new + y if new.shape == y.shape else new), (a, value, d1, d2)


@functools.partial(jax.custom_vjp, nondiff_argnums=(3, 4))
def _sin_jet_layer(w, b, y, m: int, n_second: int):
    """`_jet_layer` for σ = sin, with a closed-form reverse pass."""
    return _jet_layer(_sin3, w, b, y, m, n_second)[0]


def _sin_jet_layer_fwd(w, b, y, m, n_second):
    new, (a, s, c, _) = _jet_layer(_sin3, w, b, y, m, n_second)
    return new, (w, b, y, a, s, c)


def _sin_jet_layer_bwd(m, n_second, saved, g):
    """Cotangents of (W, b, y) from the cotangent g of the layer's output jet.

    With s, c = sin, cos of a₀ + b, first streams f_i = (Wᵀy)_i and second streams q_i:
    out₀ = s, out_i = c f_i, out_ii = c q_i − s f_i², so
    ḡa₀ = c g₀ − s Σ_i f_i g_i − Σ_i (s q_i + c f_i²) g_ii, ḡf_i = c g_i − 2 s f_i g_ii,
    ḡq_i = c g_ii; then W̄ = y ḡaᵀ, b̄ = Σ ḡa₀, ȳ = W ḡa (+ g through the skip).
    """
    w, b, y, a, s, c = saved
    k, _, streams, n = y.shape
    g0, g1, g2 = g[:, :, :1], g[:, :, 1 : 1 + m], g[:, :, 1 + m :]
    first, second = a[:, :, 1 : 1 + m], a[:, :, 1 + m :]
    f2 = first[:, :, :n_second]
    g_value = (
        c * g0
        - s * jnp.sum(first * g1, axis=2, keepdims=True)
        - jnp.sum((s * second + c * f2**2) * g2, axis=2, keepdims=True)
    )
    g_first = c * g1
    g_first = jnp.concatenate([g_first[:, :, :n_second] - 2 * s * f2 * g2,
                               g_first[:, :, n_second:]], axis=2)
    g_a = jnp.concatenate([g_value, g_first, c * g2], axis=2).reshape(k, -1, streams * n)
    g_w = jnp.einsum("kjp,klp->kjl", y.reshape(k, -1, streams * n), g_a)
    g_y = jnp.einsum("kjl,klp->kjp", w, g_a).reshape(y.shape)
    g_y = g_y + g if g.shape == y.shape else g_y
    g_b = jnp.sum(g_value, axis=(2, 3))
    return g_w.astype(w.dtype), g_b.astype(b.dtype), g_y.astype(y.dtype)


_sin_jet_layer.defvjp(_sin_jet_layer_fwd, _sin_jet_layer_bwd)


def activation_fn(name: str):
    """The activation function called `name` (sin, tanh, gelu, silu)."""
    if name not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {name!r}.")
    return _ACTIVATIONS[name]


def _glorot(key, shape, dtype):
    fan_in, fan_out = shape[-2], shape[-1]
    std = jnp.asarray(np.sqrt(2.0 / (fan_in + fan_out)), dtype)
    return jax.random.normal(key, shape, dtype) * std


@dataclasses.dataclass(frozen=True)
class FourierSubnets:
    """K multi-scale Fourier subnetworks evaluated as stacked tensors.

    Subnet k maps z to h = a_k·(z W_k) (no bias), then [cos h, sin h], then hidden layers
    y ← σ(y W + b) (+ y when the widths match), then a linear output o_k. The network is
    N(z) = (1/K) Σ_k o_k(z) / a_k. All K subnets share one batched matmul per layer.

    Attributes:
        in_dim: input size m (space dimension + 1 for time-dependent problems).
        widths: layer widths; widths[0] is the number of Fourier units (features 2·widths[0]).
        scales: the K scales a_k (default 1–6, then 8, 10, …, 40: K = 23).
        activation: hidden activation name (default "sin").
    """

    in_dim: int
    widths: tuple = (10, 20, 20, 10, 10)
    scales: tuple = DEFAULT_SCALES
    activation: str = "sin"

    def __post_init__(self):
        activation_fn(self.activation)
        if len(self.widths) < 1 or any(int(w) <= 0 for w in self.widths):
            raise ValueError(f"widths must be positive ints, got {self.widths!r}.")
        if len(self.scales) < 1 or any(float(a) <= 0 for a in self.scales):
            raise ValueError(f"scales must be positive numbers, got {self.scales!r}.")

    def init(self, key, dtype=jnp.float32) -> dict:
        """Parameters: normal weights, std √(2/(fan_in + fan_out)); biases U(−1, 1)."""
        k = len(self.scales)
        keys = jax.random.split(key, 2 * len(self.widths) + 2)
        params = {"first": _glorot(keys[0], (k, self.in_dim, self.widths[0]), dtype)}
        hidden, width = [], 2 * self.widths[0]
        for i, w in enumerate(self.widths[1:]):
            hidden.append(
                {
                    "w": _glorot(keys[2 * i + 1], (k, width, w), dtype),
                    "b": jax.random.uniform(keys[2 * i + 2], (k, w), dtype, -1.0, 1.0),
                }
            )
            width = w
        params["hidden"] = hidden
        params["out_w"] = _glorot(keys[-2], (k, width, 1), dtype)[..., 0]
        params["out_b"] = jax.random.uniform(keys[-1], (k,), dtype, -1.0, 1.0)
        return params

    def apply(self, params, z):
        """N(z) for a batch z of shape (n, in_dim); returns shape (n,)."""
        act = activation_fn(self.activation)
        scales = jnp.asarray(self.scales, dtype=z.dtype)
        h = jnp.einsum("ni,kij->knj", z, params["first"]) * scales[:, None, None]
        y = jnp.concatenate([fastmath.cos(h), fastmath.sin(h)], axis=-1)
        for layer in params["hidden"]:
            new = act(jnp.einsum("knj,kjl->knl", y, layer["w"]) + layer["b"][:, None, :])
            y = new + y if new.shape == y.shape else new
        out = jnp.einsum("knj,kj->kn", y, params["out_w"]) + params["out_b"][:, None]
        return jnp.mean(out / scales[:, None], axis=0)


    def apply_derivatives(self, params, z, n_second: int):
        """N, its first derivatives along every input axis and its pure second derivatives.

        Forward Taylor propagation (a jet) through the stacked layers: no Hessian, no nested
        autodiff. With m inputs the jet of a layer's output y has S = 1 + m + n_second streams
        (y, ∂_i y, ∂_i² y), held as one array of shape (K, width, S, n) (points last), so each
        layer is one batched matmul a = Wᵀ y over all streams, followed by the closed-form
        chain rule y ↦ σ(a + b): ∂_i σ = σ'(a) ∂_i a, ∂_i² σ = σ'(a) ∂_i² a + σ''(a) (∂_i a)²
        (for σ = sin: σ' = cos, σ'' = −sin, sin and cos sharing one range reduction). With
        σ = sin each layer also has a closed-form reverse pass (`_sin_jet_layer`), so the
        parameter gradient needs no autodiff through the jet; such jets support reverse mode
        only (no `jax.jvp` through them).

        Args:
            params: parameters from `init`.
            z: inputs of shape (n, in_dim).
            n_second: second derivatives are returned for the first `n_second` axes.

        Returns:
            `(u (n,), du (in_dim, n), d2u (n_second, n))`.
        """
        three = activation_derivatives(self.activation)
        m, k = self.in_dim, len(self.scales)
        scales = jnp.asarray(self.scales, dtype=z.dtype)
        w0 = params["first"] * scales[:, None, None]
        s, c = fastmath.sincos(jnp.einsum("ni,kij->kjn", z, w0))
        dh = jnp.swapaxes(w0, 1, 2)[..., None]
        s, c = s[:, :, None], c[:, :, None]
        dh2 = dh[:, :, :n_second] ** 2
        y = jnp.concatenate(
            [
                jnp.concatenate([c, s], axis=1),
                jnp.concatenate([-s * dh, c * dh], axis=1),
                jnp.concatenate([-c * dh2, -s * dh2], axis=1),
            ],
            axis=2,
        )
        for layer in params["hidden"]:
            if self.activation == "sin":
                y = _sin_jet_layer(layer["w"], layer["b"], y, m, n_second)
            else:
                y = _jet_layer(three, layer["w"], layer["b"], y, m, n_second)[0]
        w_out = params["out_w"] / scales[:, None] / k
        out = jnp.einsum("kjsn,kj->sn", y, w_out)
        return out[0] + jnp.mean(params["out_b"] / scales), out[1 : 1 + m], out[1 + m :]


@dataclasses.dataclass(frozen=True)
class MLP:
    """A fully connected network z ↦ W_L σ(… σ(W_1 z + b_1) …) + b_L.

    Attributes:
        in_dim: input size m.
        widths: hidden widths (default (100, 150, 80, 80, 50), the reference's PINN baseline).
        activation: activation name (default "tanh").
    """

    in_dim: int
    widths: tuple = (100, 150, 80, 80, 50)
    activation: str = "tanh"

    def __post_init__(self):
        activation_fn(self.activation)
        if any(int(w) <= 0 for w in self.widths):
            raise ValueError(f"widths must be positive ints, got {self.widths!r}.")

    def init(self, key, dtype=jnp.float32) -> list:
        """Parameters: normal weights, std √(2/(fan_in + fan_out)); zero biases."""
        sizes = (self.in_dim, *self.widths, 1)
        keys = jax.random.split(key, len(sizes) - 1)
        return [
            {"w": _glorot(k, (a, b), dtype), "b": jnp.zeros((b,), dtype)}
            for k, a, b in zip(keys, sizes[:-1], sizes[1:], strict=True)
        ]

    def apply(self, params, z):
        """N(z) for a batch z of shape (n, in_dim); returns shape (n,)."""
        act = activation_fn(self.activation)
        y = z
        for layer in params[:-1]:
            y = act(y @ layer["w"] + layer["b"])
        return (y @ params[-1]["w"] + params[-1]["b"])[:, 0]


def _mlp_apply_derivatives(self, params, z, n_second: int):
    """As `FourierSubnets.apply_derivatives`, for the MLP."""
    three = activation_derivatives(self.activation)
    n, m = z.shape
    value = z
    first = jnp.broadcast_to(jnp.eye(m, dtype=z.dtype)[:, None, :], (m, n, m))
    second = jnp.zeros((n_second, n, m), z.dtype)
    for layer in params[:-1]:
        stacked = jnp.concatenate([value[None], first, second], axis=0) @ layer["w"]
        value, first, second = _propagate(
            stacked[0] + layer["b"], stacked[1 : 1 + m], stacked[1 + m :], three
        )
    w, b = params[-1]["w"][:, 0], params[-1]["b"][0]
    return value @ w + b, first @ w, second @ w


MLP.apply_derivatives = _mlp_apply_derivatives


def count_parameters(params) -> int:
    """Number of scalar parameters in a pytree."""
    return int(sum(np.size(leaf) for leaf in jax.tree_util.tree_leaves(params)))

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

from .. import fastmath

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


def _quadratic(first, quadratic, axis: int):
    """Σ_k q_jk (∂_k y)² for each row q_j of the static tuple `quadratic`, stacked along `axis`
    (where `first` holds the first-derivative streams ∂_k y); zero coefficients cost nothing."""
    take = lambda k: jax.lax.slice_in_dim(first, k, k + 1, axis=axis)
    shape = list(first.shape)
    shape[axis] = 1
    rows = []
    for q in quadratic:
        terms = [c * take(k) ** 2 for k, c in enumerate(q) if c != 0]
        rows.append(sum(terms) if terms else jnp.zeros(shape, first.dtype))
    shape[axis] = 0
    return jnp.concatenate(rows, axis=axis) if rows else jnp.zeros(shape, first.dtype)


def _propagate(value, first, second, three, quadratic):
    """Push (y, ∂y, Ly) through y ↦ σ(y): chain rule for the first and operator streams."""
    s, d1, d2 = three(value)
    return s, d1[None] * first, d1[None] * second + d2[None] * _quadratic(first, quadratic, 0)


def _jet_layer(three, w, b, y, p: int, quadratic):
    """One hidden layer y ↦ σ(Wᵀy + b) (+ y) on a jet of shape (K, width, S, n).

    Stream 0 is the value, streams 1…p the first derivatives ∂_k y, the rest the operator
    streams L_j y = v_j·∇y + Σ_k q_jk ∂_k² y (`quadratic` holds the rows q_j), which obey
    L_j σ(a) = σ'(a) L_j a + σ''(a) Σ_k q_jk (∂_k a)². Returns the new jet and (a, σ, σ', σ'')
    where a = Wᵀy (all streams, bias not added) and σ⁽ʲ⁾ are taken at the value stream a₀ + b.
    """
    k, _, streams, n = y.shape
    a = jnp.einsum("kjl,kjp->klp", w, y.reshape(k, -1, streams * n)).reshape(k, -1, streams, n)
    value, d1, d2 = three(a[:, :, :1] + b[:, :, None, None])
    first = a[:, :, 1 : 1 + p]
    second = d1 * a[:, :, 1 + p :] + d2 * _quadratic(first, quadratic, 2)
    new = jnp.concatenate([value, d1 * first, second], axis=2)
    return (new + y if new.shape == y.shape else new), (a, value, d1, d2)


@functools.partial(jax.custom_vjp, nondiff_argnums=(3, 4))
def _sin_jet_layer(w, b, y, p: int, quadratic):
    """`_jet_layer` for σ = sin, with a closed-form reverse pass."""
    return _jet_layer(_sin3, w, b, y, p, quadratic)[0]


def _sin_jet_layer_fwd(w, b, y, p, quadratic):
    new, (a, s, c, _) = _jet_layer(_sin3, w, b, y, p, quadratic)
    return new, (w, b, y, a, s, c)


def _sin_jet_layer_bwd(p, quadratic, saved, g):
    """Cotangents of (W, b, y) from the cotangent g of the layer's output jet.

    With s, c = sin, cos of a₀ + b, first streams f_k = (Wᵀy)_k, operator streams l_j and
    Q_j = Σ_k q_jk f_k²: out₀ = s, out_k = c f_k, out_j = c l_j − s Q_j, so
    ḡa₀ = c g₀ − s Σ_k f_k g_k − Σ_j (s l_j + c Q_j) g_j, ḡf_k = c g_k − 2 s f_k Σ_j q_jk g_j,
    ḡl_j = c g_j; then W̄ = y ḡaᵀ, b̄ = Σ ḡa₀, ȳ = W ḡa (+ g through the skip).
    """
    w, b, y, a, s, c = saved
    k, _, streams, n = y.shape
    g0, g1, g2 = g[:, :, :1], g[:, :, 1 : 1 + p], g[:, :, 1 + p :]
    first, ops = a[:, :, 1 : 1 + p], a[:, :, 1 + p :]
    g_value = (
        c * g0
        - s * jnp.sum(first * g1, axis=2, keepdims=True)
        - jnp.sum((s * ops + c * _quadratic(first, quadratic, 2)) * g2, axis=2, keepdims=True)
    )
    columns = []
    for i in range(p):
        column = c * g1[:, :, i : i + 1]
        weights = [(q[i], g2[:, :, j : j + 1]) for j, q in enumerate(quadratic) if q[i] != 0]
        if weights:
            column = column - 2 * s * first[:, :, i : i + 1] * sum(q * gj for q, gj in weights)
        columns.append(column)
    g_a = jnp.concatenate([g_value, *columns, c * g2], axis=2).reshape(k, -1, streams * n)
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


def _check_rows(quadratic, p: int) -> None:
    if any(len(q) != p for q in quadratic):
        raise ValueError(
            f"every row of quadratic needs p = {p} coefficients (one per first-derivative "
            f"axis), got rows of lengths {[len(q) for q in quadratic]}."
        )


def _first_layer_operator(first_order, w0):
    """v_j·∇h for the first layer h = z W₀ (shape (K, width, r, 1) or (K, width, r, n))."""
    v = jnp.asarray(first_order, w0.dtype)
    if v.ndim == 2:
        return jnp.einsum("ri,kij->kjr", v, w0)[..., None]
    return jnp.einsum("rni,kij->kjrn", v, w0)


def _apply_derivatives(self, params, z, n_second: int):
    """N, its first derivatives along every input axis and its pure second derivatives.

    The jet of `apply_jet` with one operator stream ∂_i² per axis i < n_second.

    Args:
        params: parameters from `init`.
        z: inputs of shape (n, in_dim).
        n_second: second derivatives are returned for the first `n_second` axes.

    Returns:
        `(u (n,), du (in_dim, n), d2u (n_second, n))`.
    """
    m = z.shape[1]
    pure = tuple(tuple(float(i == k) for k in range(m)) for i in range(n_second))
    return self.apply_jet(params, z, m, pure)


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


    apply_derivatives = _apply_derivatives

    def apply_jet(self, params, z, p: int, quadratic=(), first_order=None):
        """N, ∂_k N for k < p and operator streams L_j N = v_j·∇N + Σ_k q_jk ∂_k² N.

        Forward Taylor propagation (a jet) through the stacked layers: no Hessian, no nested
        autodiff. The jet of a layer's output y has S = 1 + p + r streams (y, ∂_k y, L_j y),
        held as one array of shape (K, width, S, n) (points last), so each layer is one
        batched matmul a = Wᵀ y over all streams, followed by the closed-form chain rule
        y ↦ σ(a + b): ∂_k σ = σ'(a) ∂_k a, L_j σ = σ'(a) L_j a + σ''(a) Σ_k q_jk (∂_k a)² (for
        σ = sin: σ' = cos, σ'' = −sin, sin and cos sharing one range reduction). A whole PDE
        operator (e.g. ∂_t + a·∇ − κΔ) is one stream, where separate derivatives would take one
        stream per term. With σ = sin each layer also has a closed-form reverse pass
        (`_sin_jet_layer`), so the parameter gradient needs no autodiff through the jet; such
        jets support reverse mode only (no `jax.jvp` through them).

        Args:
            params: parameters from `init`.
            z: inputs of shape (n, in_dim).
            p: first derivatives are propagated along the first `p` input axes.
            quadratic: static tuple of r rows (q_j0, …, q_j(p−1)) of second-order coefficients.
            first_order: the vectors v_j: None (zero), shape (r, in_dim) or (r, n, in_dim).

        Returns:
            `(u (n,), du (p, n), lu (r, n))`.

        Raises:
            ValueError: a row of `quadratic` does not have p entries.
        """
        _check_rows(quadratic, p)
        three = activation_derivatives(self.activation)
        k = len(self.scales)
        scales = jnp.asarray(self.scales, dtype=z.dtype)
        w0 = params["first"] * scales[:, None, None]
        s, c = fastmath.sincos(jnp.einsum("ni,kij->kjn", z, w0))
        dh = jnp.swapaxes(w0[:, :p], 1, 2)[..., None]
        s, c = s[:, :, None], c[:, :, None]
        quad = _quadratic(dh, quadratic, 2)
        if first_order is None:
            ops = [-c * quad, -s * quad]
        else:
            lin = _first_layer_operator(first_order, w0)
            ops = [-s * lin - c * quad, c * lin - s * quad]
        y = jnp.concatenate(
            [
                jnp.concatenate([c, s], axis=1),
                jnp.concatenate([-s * dh, c * dh], axis=1),
                jnp.concatenate(ops, axis=1),
            ],
            axis=2,
        )
        for layer in params["hidden"]:
            if self.activation == "sin":
                y = _sin_jet_layer(layer["w"], layer["b"], y, p, quadratic)
            else:
                y = _jet_layer(three, layer["w"], layer["b"], y, p, quadratic)[0]
        w_out = params["out_w"] / scales[:, None] / k
        out = jnp.einsum("kjsn,kj->sn", y, w_out)
        return out[0] + jnp.mean(params["out_b"] / scales), out[1 : 1 + p], out[1 + p :]


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


def _mlp_apply_jet(self, params, z, p: int, quadratic=(), first_order=None):
    """As `FourierSubnets.apply_jet`, for the MLP."""
    _check_rows(quadratic, p)
    three = activation_derivatives(self.activation)
    n, m = z.shape
    value = z
    first = jnp.broadcast_to(jnp.eye(m, dtype=z.dtype)[:p, None, :], (p, n, m))
    if first_order is None:
        second = jnp.zeros((len(quadratic), n, m), z.dtype)
    else:
        first_order = jnp.asarray(first_order, z.dtype)
        second = jnp.broadcast_to(first_order.reshape(len(quadratic), -1, m),
                                  (len(quadratic), n, m))
    for layer in params[:-1]:
        stacked = jnp.concatenate([value[None], first, second], axis=0) @ layer["w"]
        value, first, second = _propagate(
            stacked[0] + layer["b"], stacked[1 : 1 + p], stacked[1 + p :], three, quadratic
        )
    w, b = params[-1]["w"][:, 0], params[-1]["b"][0]
    return value @ w + b, first @ w, second @ w


MLP.apply_jet = _mlp_apply_jet
MLP.apply_derivatives = _apply_derivatives


def count_parameters(params) -> int:
    """Number of scalar parameters in a pytree."""
    return int(sum(np.size(leaf) for leaf in jax.tree_util.tree_leaves(params)))

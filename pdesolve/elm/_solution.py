"""`ELMSolution`: a solved random-feature model, callable at any points, savable to npz."""

import functools
import json
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ._features import Network, apply_operator, gradient_values

_CHUNK = 32768


@functools.partial(jax.jit, static_argnames=("activation", "op"))
def _combine(weights, biases, beta, x, *, activation, op):
    if op == "gradient":
        return gradient_values(weights, biases, activation, beta, x)
    return apply_operator(weights, biases, activation, op, x) @ beta


class ELMSolution:
    """u_h(x) = Σ_j β_j φ_j(x) from an extreme-learning-machine solve.

    Attributes:
        networks: the frozen random-feature networks; networks[0] represents u and, for the
            coupled biharmonic scheme, networks[1] represents v ≈ Δu.
        coefficients: output weights β, one (M,) array per network.
        problem: the problem that was solved (None after `load` unless one is given).
        info: dict of diagnostics: residuals per row group, rank, condition, timings, settings.
        method: "pielm", "celm" or "celm-direct".
    """

    def __init__(self, networks: list[Network], coefficients: list[np.ndarray], *,
                 problem=None, info: dict | None = None, method: str = "celm"):
        self.networks = list(networks)
        self.coefficients = [np.asarray(c, dtype=np.float64) for c in coefficients]
        self.problem = problem
        self.info = dict(info or {})
        self.method = method
        self.dim = int(self.networks[0].weights.shape[1])

    def __repr__(self):
        widths = [n.width for n in self.networks]
        return f"ELMSolution(method={self.method!r}, widths={widths}, dim={self.dim})"

    def _eval(self, index: int, op: str, x):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1 and x.shape[0] == self.dim:
            x = x[None]
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(f"x must have shape (n, {self.dim}), got {x.shape}.")
        net, beta = self.networks[index], jnp.asarray(self.coefficients[index])
        w, b = jnp.asarray(net.weights), jnp.asarray(net.biases)
        parts = [
            _combine(w, b, beta, jnp.asarray(x[i:i + _CHUNK]), activation=net.activation, op=op)
            for i in range(0, max(x.shape[0], 1), _CHUNK)
        ]
        return jnp.concatenate(parts) if len(parts) > 1 else parts[0]

    def __call__(self, x):
        """u_h at points x of shape (n, d); returns (n,)."""
        return self._eval(0, "value", x)

    def laplacian(self, x):
        """Δu_h at x (n, d) in closed form; returns (n,)."""
        return self._eval(0, "laplacian", x)

    def gradient(self, x):
        """∇u_h at x (n, d); returns (n, d)."""
        return self._eval(0, "gradient", x)

    def auxiliary(self, x):
        """The coupled scheme's second network v_h ≈ Δu at x (n, d); Δu_h when there is none."""
        return self._eval(1, "value", x) if len(self.networks) > 1 else self.laplacian(x)

    def save(self, path) -> Path:
        """Write networks, coefficients, method and info to an .npz file; returns the path."""
        path = Path(path)
        info = json.dumps(_jsonable(self.info))
        arrays = {"method": np.array(self.method), "info": np.array(info)}
        for k, (net, beta) in enumerate(zip(self.networks, self.coefficients, strict=True)):
            arrays[f"weights{k}"] = net.weights
            arrays[f"biases{k}"] = net.biases
            arrays[f"activation{k}"] = np.array(net.activation)
            arrays[f"beta{k}"] = beta
        np.savez(path, **arrays)
        return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")

    @classmethod
    def load(cls, path, problem=None) -> "ELMSolution":
        """Read a solution written by `save`; `problem` (optional) is attached as `.problem`."""
        with np.load(Path(path), allow_pickle=False) as data:
            count = sum(1 for k in data.files if k.startswith("beta"))
            networks = [
                Network(data[f"weights{k}"], data[f"biases{k}"], str(data[f"activation{k}"]))
                for k in range(count)
            ]
            betas = [data[f"beta{k}"] for k in range(count)]
            return cls(networks, betas, problem=problem, info=json.loads(str(data["info"])),
                       method=str(data["method"]))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.generic, np.ndarray)):
        return np.asarray(value).tolist()
    return value

"""Shared driver for SFHCPINN and its baselines: build the model, sample, train, evaluate."""

import time

import jax
import jax.numpy as jnp
import numpy as np

from .. import metrics
from ..equations import AdvectionDiffusion
from ..geometry import Interval
from ..parallel import device_mesh
from ..training import as_weight, train
from ..training._samplers import check_device_method
from ._ansatz import hard_constraint
from ._collocation import make_sampler
from ._model import Model, make_loss
from ._networks import MLP, FourierSubnets, count_parameters

VARIANTS = {
    "sfhcpinn": ("fourier", True),
    "pinn": ("mlp", False),
    "hcpinn": ("mlp", True),
    "sfpinn": ("fourier", False),
}


class PINNSolution:
    """A trained network for an advection–diffusion problem: callable at any points.

    `sol(x, t)` with x (n, d) and t (n,) (or a scalar) returns u of shape (n,); steady
    problems take `sol(x)`. Attributes: `problem`, `params`, `model`, `info`.
    """

    def __init__(self, model, params, info):
        self.model, self.params, self.info = model, params, info
        self.problem = model.problem
        self._eval = jax.jit(model.__call__)

    def __call__(self, x, t=None):
        x = np.asarray(x)
        if x.ndim == 1 and self.problem.dim == 1:
            x = x[:, None]
        if x.ndim != 2 or x.shape[1] != self.problem.dim:
            raise ValueError(
                f"x must have shape (n, {self.problem.dim}), got {x.shape}."
            )
        if self.problem.steady:
            if t is not None:
                raise ValueError("this problem is steady; call sol(x) without t.")
            return self._eval(self.params, x, None)
        if t is None:
            raise ValueError("this problem is time-dependent; call sol(x, t) with t of shape (n,).")
        t = np.broadcast_to(np.asarray(t, dtype=np.float64), (x.shape[0],))
        return self._eval(self.params, x, t)

    def __repr__(self):
        return f"PINNSolution(variant={self.info.get('variant')!r}, problem={self.problem!r})"


def _check_count(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive int, got {value!r}.")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}.")
    return int(value)


def _check_pointwise(problem, fn, name):
    """A user G or D must map (x of shape (d,), scalar t) to a scalar."""
    if not callable(fn):
        raise TypeError(f"{name} must be a function (x, t) -> scalar, got {type(fn).__name__}.")
    x = jax.ShapeDtypeStruct((problem.dim,), jnp.float32)
    t = jax.ShapeDtypeStruct((), jnp.float32)
    try:
        shape = jax.eval_shape(fn, x, t).shape
    except Exception as err:
        raise TypeError(
            f"{name} must be a JAX-traceable function (x, t) -> scalar with x of shape "
            f"({problem.dim},) and scalar t (t is passed also for steady problems); calling it "
            f"failed with {type(err).__name__}: {err}"
        ) from err
    if shape != ():
        raise ValueError(
            f"{name} must return a scalar for one point x of shape ({problem.dim},) and a scalar "
            f"t, got shape {shape}; index the point's coordinates, e.g. x[0]."
        )


def evaluation_points(problem, n: int = 16384, *, key=None):
    """A fixed evaluation set: a 128×128 cell-centred (x, t) grid in 1D, else Sobol points.

    Returns:
        `(x, t)` NumPy arrays ((n, d), (n,)); t is None for steady problems.
    """
    key = jax.random.PRNGKey(1234) if key is None else key
    dom = problem.domain
    if isinstance(dom, Interval) and not problem.steady:
        side = 128
        s = (np.arange(side) + 0.5) / side
        xs, ts = np.meshgrid(s, s, indexing="ij")
        t0, t1 = problem.t_span
        x = dom.lo[0] + (dom.hi[0] - dom.lo[0]) * xs.ravel()
        return x[:, None], t0 + (t1 - t0) * ts.ravel()
    kx, kt = jax.random.split(key)
    x = dom.sample_interior(n, key=kx, method="sobol" if hasattr(dom, "lo") else "random")
    if problem.steady:
        return x, None
    t0, t1 = problem.t_span
    t = np.asarray(jax.random.uniform(kt, (n,), minval=t0, maxval=t1, dtype=jnp.float32))
    return x, t.astype(np.float64)


def fit(
    problem,
    *,
    key,
    variant: str,
    steps: int = 5000,
    n_interior: int = 2000,
    n_boundary: int = 500,
    n_initial: int = 500,
    widths=None,
    scales=None,
    activation=None,
    optimizer=None,
    sampling: str = "random",
    boundary_weight=None,
    extension=None,
    distance=None,
    dtype=jnp.float32,
    chunk: int = 100,
    eval_every: int = 1000,
    checkpoint=None,
    checkpoint_every=None,
    resume=None,
    keep_checkpoints: int = 2,
    progress=None,
    lbfgs_steps: int = 0,
    devices=None,
):
    """Train one of the PINN variants on `problem`; see `pdesolve.sfhcpinn.solve`."""
    if not isinstance(problem, AdvectionDiffusion):
        raise TypeError(
            f"problem must be a pdesolve.AdvectionDiffusion, got {type(problem).__name__}."
        )
    if variant not in VARIANTS:
        raise ValueError(
            f"variant must be one of 'pinn', 'hcpinn', 'sfpinn' (or 'sfhcpinn'), got {variant!r}."
        )
    for name, value in (("steps", steps), ("n_interior", n_interior),
                        ("n_boundary", n_boundary), ("n_initial", n_initial)):
        _check_count(value, name)
    check_device_method(sampling)
    dtype = jnp.dtype(dtype)
    if dtype == jnp.float64 and not jax.config.jax_enable_x64:
        raise ValueError("dtype=float64 needs jax.config.update('jax_enable_x64', True) first.")
    if (extension is None) != (distance is None):
        raise ValueError("pass both extension= (G) and distance= (D), or neither.")
    mesh = device_mesh(devices)
    kind, hard = VARIANTS[variant]
    if extension is not None:
        if not hard:
            raise ValueError(
                f"extension= and distance= set the hard constraint G + D·N; variant {variant!r} "
                "uses soft penalties, so use 'sfhcpinn' or 'hcpinn' with them."
            )
        _check_pointwise(problem, extension, "extension")
        _check_pointwise(problem, distance, "distance")
    in_dim = problem.dim + (0 if problem.steady else 1)
    if kind == "fourier":
        default = (10, 20, 20, 10, 10) if in_dim <= 2 else (10, 20, 20, 20, 10)
        net = FourierSubnets(
            in_dim,
            widths=tuple(widths) if widths else default,
            **({"scales": tuple(scales)} if scales else {}),
            activation=activation or "sin",
        )
    else:
        net = MLP(in_dim, widths=tuple(widths) if widths else (100, 150, 80, 80, 50),
                  activation=activation or "tanh")
    if hard:
        auto = (extension, distance) if extension is not None else hard_constraint(problem)
        model = Model(problem, net, True, auto[0], auto[1], dtype)
    else:
        model = Model(problem, net, False, dtype=dtype)
    if boundary_weight is None:
        boundary_weight = 20.0 if hard else "staged"
    weight = as_weight(boundary_weight, steps)
    k_init, k_pool, k_train = jax.random.split(key, 3)
    sample, segments = make_sampler(
        problem,
        n_interior=n_interior,
        n_boundary=n_boundary,
        n_initial=n_initial,
        soft=not hard,
        method=sampling,
        dtype=dtype,
        key=k_pool,
    )
    loss = make_loss(model, segments, weight, mesh=mesh)
    params = net.init(k_init, dtype)
    evaluate, x_test, t_test, ref = None, None, None, None
    if problem.exact is not None:
        x_test, t_test = evaluation_points(problem)
        t_ref = np.zeros(len(x_test)) if t_test is None else t_test
        ref = np.asarray(jax.vmap(problem.exact)(jnp.asarray(x_test), jnp.asarray(t_ref)))
        predict = jax.jit(model.__call__)
        evaluate = lambda p: metrics.relative_l2(predict(p, x_test, t_test), ref)
    start = time.perf_counter()
    params, info = train(
        loss,
        params,
        key=k_train,
        steps=steps,
        sample=sample,
        optimizer=optimizer,
        chunk=chunk,
        evaluate=evaluate,
        eval_every=eval_every,
        checkpoint=checkpoint,
        checkpoint_every=checkpoint_every,
        resume=resume,
        keep_checkpoints=keep_checkpoints,
        settings={
            "problem": repr(problem), "network": repr(net), "variant": variant,
            "n_interior": n_interior, "n_boundary": n_boundary, "n_initial": n_initial,
            "sampling": sampling, "dtype": str(dtype),
            "boundary_weight": "custom" if callable(boundary_weight) else repr(boundary_weight),
        },
        progress=progress,
        lbfgs_steps=lbfgs_steps,
        mesh=mesh,
    )
    info["wall_time_s"] = time.perf_counter() - start
    info.update(
        variant=variant,
        steps=steps,
        n_interior=n_interior,
        n_boundary=n_boundary,
        n_initial=n_initial,
        parameters=count_parameters(params),
        dtype=str(dtype),
        boundary_weight=boundary_weight if not callable(boundary_weight) else "custom",
        devices=mesh.size,
    )
    sol = PINNSolution(model, params, info)
    if ref is not None:
        pred = np.asarray(sol._eval(params, x_test, t_test), dtype=np.float64)
        rel = float(np.linalg.norm(pred - ref) / np.linalg.norm(ref))
        info.update(
            relative_l2=rel,
            squared_ratio=rel**2,
            max_error=float(np.max(np.abs(pred - ref))),
        )
    return sol

"""Shared driver for SFHCPINN and its baselines: build the model, sample, train, evaluate."""

import functools
import time

import jax
import jax.numpy as jnp
import numpy as np

from .. import metrics
from ..equations import AdvectionDiffusion
from ..parallel import device_mesh
from ..training import Training, as_weight, train
from ..validation import check_key, describe, settings_objects
from . import _checks
from ._ansatz import hard_constraint
from ._architecture import Architecture
from ._batches import Batches
from ._collocation import make_sampler
from ._model import Model, make_loss, residual_block
from ._networks import MLP, FourierSubnets, count_parameters
from ._solution import PINNSolution, predictor

VARIANTS = {
    "sfhcpinn": ("fourier", True),
    "pinn": ("mlp", False),
    "hcpinn": ("mlp", True),
    "sfpinn": ("fourier", False),
}


def _check_pointwise(problem, fn, name):
    """A user G or D must map (x of shape (d,), scalar t) to a scalar."""
    if not callable(fn):
        raise TypeError(f"{name} must be a function (x, t) -> scalar, got {describe(fn)}.")
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
    """A fixed evaluation set: a 128×128 cell-centred (x, t) grid on an interval, else points
    of the domain (Sobol' where the domain is sampled exactly, see `exact_device_sampling`).

    Returns:
        `(x, t)` NumPy arrays ((n, d), (n,)); t is None for steady problems.
    """
    key = jax.random.PRNGKey(1234) if key is None else check_key(key)
    dom = problem.domain
    exact = dom.exact_device_sampling
    if exact and dom.dim == 1 and not problem.steady:
        side = 128
        s = (np.arange(side) + 0.5) / side
        grid = dom.sample_interior(side, key=key, method="grid")
        t0, t1 = problem.t_span
        return np.repeat(grid, side, axis=0), t0 + (t1 - t0) * np.tile(s, side)
    kx, kt = jax.random.split(key)
    x = dom.sample_interior(n, key=kx, method="sobol" if exact else "random")
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
    batches: Batches,
    training: Training,
    architecture: Architecture,
    boundary_weight=None,
    extension=None,
    distance=None,
    dtype=jnp.float32,
    devices=None,
):
    """Train one of the PINN variants on `problem`; see `pdesolve.sfhcpinn.solve`.

    The settings objects are checked when built; the problem, key, the other arguments, the
    memory a step needs and the problem's data on the first batch are checked here before the
    first step is compiled (`pdesolve.pinn._checks`).
    """
    t_start = time.perf_counter()
    key = check_key(key)
    if not isinstance(problem, AdvectionDiffusion):
        raise TypeError(
            f"problem must be a pdesolve.AdvectionDiffusion, got {describe(problem)}."
        )
    if not isinstance(variant, str) or variant not in VARIANTS:
        raise ValueError(
            f"variant must be one of 'pinn', 'hcpinn', 'sfpinn' (or 'sfhcpinn'), got {variant!r}."
        )
    steps = training.steps
    n_interior, n_boundary, n_initial = batches.n_interior, batches.n_boundary, batches.n_initial
    sampling = batches.sampling
    dtype = _checks.check_dtype(dtype)
    widths, scales = architecture.widths, architecture.scales
    activation = architecture.activation
    boundary_weight = _checks.check_boundary_weight(boundary_weight)
    if (extension is None) != (distance is None):
        raise ValueError(
            "pass both extension= (G) and distance= (D), or neither; got "
            f"extension={describe(extension)}, distance={describe(distance)}."
        )
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
    _checks.check_training_memory(
        problem, net, mesh=mesh, where="sfhcpinn.solve" if variant == "sfhcpinn" else "pinn.solve",
        n_interior=n_interior, n_boundary=n_boundary, n_initial=n_initial, soft=not hard,
        dtype=dtype, block=residual_block())
    if boundary_weight is None:
        boundary_weight = 20.0 if hard else "staged"
    k_init, _, k_train = jax.random.split(key, 3)
    parts = (model, n_interior, n_boundary, n_initial, not hard, sampling, dtype,
             boundary_weight, steps if boundary_weight == "staged" else None, mesh)
    try:  # the sampler does not depend on the key (fixed pools off boxes): share it
        sample, segments, loss = _shared_training_functions(*parts)
    except TypeError:  # an unhashable setting (e.g. an array weight): built for this fit
        sample, segments, loss = _training_functions(*parts)
    _checks.check_data(problem, model, sample(jax.random.fold_in(k_train, 0)), segments)
    params = net.init(k_init, dtype)
    evaluate, x_test, t_test, ref = None, None, None, None
    if problem.exact is not None:
        x_test, t_test = evaluation_points(problem)
        t_ref = np.zeros(len(x_test)) if t_test is None else t_test
        ref = np.asarray(jax.vmap(problem.exact)(jnp.asarray(x_test), jnp.asarray(t_ref)))
        _checks.check_reference(ref, x_test)
        predict = predictor(model)
        evaluate = lambda p: metrics.relative_l2(predict(p, x_test, t_test), ref)
    start = time.perf_counter()
    params, info = train(
        loss,
        params,
        key=k_train,
        steps=steps,
        sample=sample,
        optimizer=training.optimizer,
        chunk=training.chunk,
        evaluate=evaluate,
        eval_every=training.eval_every,
        checkpoint=training.checkpoint,
        checkpoint_every=training.checkpoint_every,
        resume=training.resume,
        keep_checkpoints=training.keep_checkpoints,
        settings={
            "problem": repr(problem), "network": repr(net), "variant": variant,
            "n_interior": n_interior, "n_boundary": n_boundary, "n_initial": n_initial,
            "sampling": sampling, "dtype": str(dtype),
            "boundary_weight": "custom" if callable(boundary_weight) else repr(boundary_weight),
        },
        progress=training.progress,
        lbfgs_steps=training.lbfgs_steps,
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
        method=variant,
        backend="device",
        platform=str(mesh.devices.flat[0].platform),
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
    info["time_total_s"] = time.perf_counter() - t_start
    return sol


def _training_functions(model, n_interior, n_boundary, n_initial, soft, sampling, dtype,
                        boundary_weight, steps, mesh):
    """`(sample, segments, loss)` for one fit."""
    sample, segments = make_sampler(model.problem, n_interior=n_interior, n_boundary=n_boundary,
                                    n_initial=n_initial, soft=soft, method=sampling, dtype=dtype)
    weight = as_weight(boundary_weight, steps)
    return sample, segments, make_loss(model, segments, weight, mesh=mesh)


# one set per equal model and settings: repeated fits (other keys, a sweep in a notebook) then
# pass the same loss and sampler to `train`, whose compiled chunk is cached on them
_shared_training_functions = functools.lru_cache(maxsize=8)(_training_functions)


_MODEL_OPTIONS = ("boundary_weight", "extension", "distance", "dtype")


def solve_variant(problem, *, key, variant: str, where: str, batches=None, training=None,
                  architecture=None, devices=None, settings: dict):
    """`fit` with its settings objects given, or built from the keywords in `settings`
    (`pdesolve.validation.settings_objects`; `boundary_weight`, `extension`, `distance` and
    `dtype` pass through).

    Raises:
        TypeError, ValueError: an unknown keyword (the valid ones are listed), a keyword that
            disagrees with the object given for the same setting, or a bad setting.
    """
    options = {k: v for k, v in settings.items() if k in _MODEL_OPTIONS}
    made = settings_objects(
        where, {k: v for k, v in settings.items() if k not in _MODEL_OPTIONS},
        {"batches": (Batches, batches), "training": (Training, training),
         "architecture": (Architecture, architecture)},
        valid=("problem", "key", "devices", *_MODEL_OPTIONS))
    return fit(problem, key=key, variant=variant, devices=devices, **made, **options)

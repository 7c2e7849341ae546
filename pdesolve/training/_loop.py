"""The training loop: optax updates scanned in chunks on device, with fresh points every step.

Each step draws its batch from `fold_in(key, step)`, so the run is a pure function of the key
and a resumed run repeats an uninterrupted one exactly. `chunk` steps run per dispatch inside
one `lax.scan`; the chunk function is compiled once (steps past the end are masked, so a last
partial chunk reuses it). On a device mesh the parameters and optimiser state are replicated and
every batch array is split along its leading (points) axis, so XLA evaluates the loss on each
device's points and all-reduces the gradient. The batch of a key is the one-device batch on any
mesh; with JAX's partitionable threefry generator (the default) each device draws only its share.
"""

import functools
import os
import time
import warnings
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from ..parallel import AXIS, replicate, to_host
from ..validation import (
    check_key,
    check_optional_bool,
    check_positive_int,
    describe,
    reject_unknown_options,
)
from ._checkpoint import check_keep, latest_checkpoint, save_checkpoint
from ._fingerprint import fingerprint_differences, run_fingerprint
from ._progress import Progress, default_enabled
from ._schedules import reference_schedule


class TrainingDiverged(FloatingPointError):
    """The loss or the parameters became NaN or inf; `params` and `step` hold the last good
    state."""

    def __init__(self, message, params, step):
        super().__init__(message)
        self.params, self.step = params, step


class TrainingInterrupted(KeyboardInterrupt):
    """Training was interrupted (Ctrl-C); the last good state is saved and attached.

    Attributes:
        params: the parameters after the last completed chunk of steps.
        step: the number of steps they have had.
        checkpoint: the checkpoint holding that state (None when `checkpoint=` was not given).
    """

    def __init__(self, message, params, step, checkpoint):
        super().__init__(message)
        self.params, self.step, self.checkpoint = params, step, checkpoint


@reject_unknown_options
def train(
    loss_fn,
    params,
    *,
    key,
    steps: int,
    sample,
    optimizer=None,
    chunk: int = 100,
    evaluate=None,
    eval_every: int = 1000,
    checkpoint=None,
    checkpoint_every: int | None = None,
    resume=None,
    keep_checkpoints: int = 2,
    settings: dict | None = None,
    progress: bool | None = None,
    lbfgs_steps: int = 0,
    mesh: Mesh | None = None,
):
    """Minimise `loss_fn` with fresh collocation points every step.

    Args:
        loss_fn: `loss_fn(params, batch, step) -> (loss, aux dict)`, traceable.
        params: initial parameter pytree.
        key: PRNG key; step s uses the batch `sample(fold_in(key, s))`.
        steps: number of optimiser steps (> 0).
        sample: `sample(key) -> batch`, traceable (points drawn on device); every leaf of the
            batch has the points along its leading axis.
        optimizer: an optax `GradientTransformation`; default Adam with
            `reference_schedule()` (0.01 × 0.975^⌊s/100⌋).
        chunk: steps per dispatch (one `lax.scan`).
        evaluate: optional `evaluate(params) -> float` (e.g. relative L2 against the exact
            solution), called every `eval_every` steps (rounded up to whole chunks) and at the end.
        eval_every: evaluation period in steps.
        checkpoint: optional file path; the state is written there every `checkpoint_every`
            steps (default: every `eval_every`), at the end and on Ctrl-C, as a safe archive
            written atomically (`pdesolve.training.save_checkpoint`).
        checkpoint_every: checkpoint period in steps.
        resume: optional checkpoint path to continue from: the newest readable file of its
            rotation (`latest_checkpoint`). It must come from the same run: same key, initial
            parameters, optimiser (first update), `settings` and step-0 loss (relative
            difference ≤ 1e-3, which allows another reduction order), else ValueError.
        keep_checkpoints: how many checkpoints to keep (`checkpoint`, `checkpoint.1`, ...).
        settings: JSON data describing the run (problem, point counts, ...), stored in the
            checkpoints and compared on resume.
        progress: show a progress line on stderr (default: when interactive).
        lbfgs_steps: L-BFGS iterations (optax.lbfgs) after the first-order steps, on one fixed
            batch drawn with `fold_in(key, steps)`; 0 for none.
        mesh: optional `jax.sharding.Mesh` (e.g. `pdesolve.parallel.device_mesh()`) to train
            data-parallel on; default: this process's first device. Parameters and optimiser
            state are replicated and every batch leaf is split over all the mesh's devices
            along its points axis (any length: XLA pads an uneven split), so XLA evaluates the
            loss on each device's points and all-reduces the gradient (a loss that loops over
            blocks of points should split them itself, e.g. with `jax.shard_map`). A sharded
            run equals the one-device run up to round-off, its sums being split by device. In
            a multi-process mesh every process calls `train` with the same arguments and only
            process 0 writes checkpoints.

    Returns:
        `(params, info)`, params on this process's default device; info holds "loss" (per
        step), "error_steps"/"error", "lbfgs_loss", "compile_time_s", "train_time_s",
        "it_per_s", "compilations" and the last step's loss terms under "terms".

    Raises:
        TypeError, ValueError: bad `key`, `steps`, `chunk`, `eval_every`,
            `checkpoint_every`, `keep_checkpoints`, `optimizer`, `checkpoint`, `resume`,
            `progress`, `lbfgs_steps` or `mesh`, or an unknown keyword (the message lists the
            valid ones); a `resume` checkpoint from another run.
        FileNotFoundError, pdesolve.io.FileFormatError: no readable checkpoint at `resume`.
        TrainingDiverged: the loss or the parameters became NaN or inf (the last good
            checkpoint is kept).
        TrainingInterrupted: Ctrl-C (KeyboardInterrupt) during training; the last good state
            is written to `checkpoint` first.
    """
    key = check_key(key)
    steps = check_positive_int(steps, "steps")
    chunk = check_positive_int(chunk, "chunk")
    eval_every = check_positive_int(eval_every, "eval_every")
    checkpoint_every = (
        eval_every if checkpoint_every is None
        else check_positive_int(checkpoint_every, "checkpoint_every")
    )
    keep_checkpoints = check_keep(keep_checkpoints)
    checkpoint, resume = _check_path(checkpoint, "checkpoint"), _check_path(resume, "resume")
    if (
        isinstance(lbfgs_steps, bool)
        or not isinstance(lbfgs_steps, (int, np.integer))
        or lbfgs_steps < 0
    ):
        raise ValueError(f"lbfgs_steps must be a non-negative int, got {lbfgs_steps!r}.")
    if mesh is None:
        mesh = Mesh(np.array(jax.local_devices()[:1]), (AXIS,))
    elif not isinstance(mesh, Mesh):
        raise TypeError(
            f"mesh must be a jax.sharding.Mesh (e.g. pdesolve.parallel.device_mesh(2)), got "
            f"{describe(mesh)}."
        )
    progress = check_optional_bool(progress, "progress")
    optimizer = default_optimizer() if optimizer is None else optimizer
    if not (callable(getattr(optimizer, "init", None))
            and callable(getattr(optimizer, "update", None))):
        raise TypeError(
            f"optimizer must be an optax GradientTransformation such as optax.adam(1e-3), got "
            f"{optimizer!r} ({type(optimizer).__name__}).")
    key_data = np.asarray(jax.random.key_data(key))
    everywhere = NamedSharding(mesh, PartitionSpec())
    split = _points_splitter(mesh)
    try:
        run_chunk, traces = _chunk_runner(loss_fn, sample, optimizer, chunk, mesh)
    except TypeError:  # an unhashable loss, sampler or optimiser: built for this run only
        run_chunk, traces = _chunk_runner.__wrapped__(loss_fn, sample, optimizer, chunk, mesh)
    traces_before = traces[0]

    initial = params
    try:
        local_params = _local(params)
        local_state = optimizer.init(local_params)
        fingerprint = run_fingerprint(key_data, local_params, local_state, optimizer, settings)
        history = {"loss": [], "error_steps": [], "error": []}
        if resume is not None:
            like = {"params": local_params, "opt_state": local_state}
            found = latest_checkpoint(resume, like=like)
            _check_same_run(found, fingerprint, loss_fn, sample, key, split, everywhere,
                            replicate(local_params, mesh))
            params, opt_state = replicate((found.tree["params"], found.tree["opt_state"]), mesh)
            step = found.step
            history = {k: list(v) for k, v in found.metadata["history"].items()}
        else:
            params = replicate(local_params, mesh)
            opt_state = replicate(local_state, mesh)
            step = 0
            if evaluate is not None:
                history["error_steps"].append(0)
                history["error"].append(float(evaluate(local_params)))
    except KeyboardInterrupt:
        raise TrainingInterrupted(
            "training interrupted before its first step; nothing new to save"
            + (f": continue with resume={str(resume)!r}." if resume else "."),
            initial, 0, resume) from None

    def save(params, opt_state, step, history):
        metadata = {"key": fingerprint["key"], "history": history, "fingerprint": fingerprint,
                    "initial_loss": history["loss"][0] if history["loss"] else None}
        tree = {"params": params, "opt_state": opt_state}
        return save_checkpoint(checkpoint, tree, step=step, metadata=metadata,
                               keep=keep_checkpoints), step

    bar = Progress(steps, default_enabled() if progress is None else progress)
    last_saved = (resume, step) if resume is not None else None
    first_step, compile_time, start = step, 0.0, time.perf_counter()
    terms = {}
    # the last good state, replaced by one assignment so that Ctrl-C never sees half of it
    good = (params, opt_state, step, _lengths(history))
    try:
        while step < steps:
            tic = time.perf_counter()
            new_params, new_state, (losses, aux), finite = run_chunk(
                params, opt_state, np.int32(step), np.int32(steps), key
            )
            count = min(chunk, steps - step)
            # waiting for the losses keeps one chunk in flight: with several CPU devices in one
            # process, XLA deadlocks a collective once 32 launches queue up per device
            # (benchmarks/results/pinn_devices_findings.md)
            losses = to_host(losses)[:count]
            if step == first_step:
                compile_time = time.perf_counter() - tic
            _check_finite(losses, bool(to_host(finite)), step, count, last_saved, bar, params)
            history["loss"].extend(losses.tolist())
            terms = {k: float(to_host(v)[count - 1]) for k, v in aux.items()}
            old, new = step, step + count
            if evaluate is not None and (new // eval_every > old // eval_every or new == steps):
                history["error_steps"].append(new)
                history["error"].append(float(evaluate(_local(new_params))))
            good = (new_params, new_state, new, _lengths(history))
            params, opt_state, step = new_params, new_state, new
            if checkpoint is not None and (
                new // checkpoint_every > old // checkpoint_every or new == steps
            ):
                last_saved = save(params, opt_state, step, history)
            last_error = history["error"][-1] if history["error"] else None
            bar.update(step, float(losses[-1]), last_error, first_step)
    except KeyboardInterrupt:
        bar.close()
        params, opt_state, step, lengths = good
        history = {k: v[: lengths[k]] for k, v in history.items()}
        if checkpoint is not None and step > first_step and (
            last_saved is None or last_saved[1] != step or last_saved[0] != checkpoint
        ):
            last_saved = save(params, opt_state, step, history)
        saved = last_saved[0] if last_saved else None
        raise TrainingInterrupted(
            f"training interrupted after step {step} of {steps}; "
            + (f"the state is in {saved}: continue with resume={str(saved)!r}."
               if saved else "pass checkpoint= to be able to continue an interrupted run."),
            _local(params), step, saved) from None
    bar.close()
    train_time = time.perf_counter() - start
    info = {
        **history,
        "terms": terms,
        "compile_time_s": compile_time,
        "train_time_s": train_time,
        "it_per_s": (steps - first_step) / max(train_time - compile_time, 1e-9)
        if steps - first_step > chunk
        else (steps - first_step) / max(train_time, 1e-9),
        "compilations": traces[0] - traces_before,
    }
    params = _local(params)
    if lbfgs_steps:
        params, info["lbfgs_loss"] = _lbfgs(loss_fn, params, sample, key, steps, lbfgs_steps, mesh)
        if evaluate is not None:
            info["error_steps"].append(steps + lbfgs_steps)
            info["error"].append(float(evaluate(params)))
    return params, info


@functools.cache
def default_optimizer():
    """Adam with `reference_schedule()`, one object for every run (so compilations are shared)."""
    return optax.adam(reference_schedule())


@functools.lru_cache(maxsize=8)
def _chunk_runner(loss_fn, sample, optimizer, chunk, mesh):
    """`(run_chunk, traces)`: the jitted `chunk` steps for these functions on `mesh`, built once
    per combination, so repeated trainings with the same loss, sampler and optimiser objects
    compile once; `traces[0]` counts how often it was traced."""
    everywhere = NamedSharding(mesh, PartitionSpec())
    split = _points_splitter(mesh)
    traces = [0]

    def step_fn(carry, _):
        traces[0] += 1
        params, opt_state, step, total, key = carry
        batch = split(sample(jax.random.fold_in(key, step)))
        (loss, aux), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, batch, step)
        updates, new_state = optimizer.update(grads, opt_state, params)
        new_params = optax.apply_updates(params, updates)
        active = step < total
        keep = lambda new, old: jax.tree_util.tree_map(
            lambda a, b: jnp.where(active, a, b), new, old
        )
        carry = (keep(new_params, params), keep(new_state, opt_state), step + 1, total, key)
        return carry, (loss, aux)

    # every input and output pinned replicated: the outputs feed the next chunk unchanged, so
    # the chunk compiles once
    @functools.partial(jax.jit, in_shardings=everywhere, out_shardings=everywhere)
    def run_chunk(params, opt_state, step, total, key):
        (params, opt_state, _, _, _), out = jax.lax.scan(
            step_fn, (params, opt_state, step, total, key), None, length=chunk
        )
        return params, opt_state, out, _all_finite(params)

    return run_chunk, traces


def _check_path(value, name):
    """`value` as a Path (None stays None); TypeError naming `name` for anything else."""
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)) and str(value):
        return Path(value)
    raise TypeError(f"{name} must be a file path (str or pathlib.Path), got {value!r}.")


def _lengths(history):
    return {k: len(v) for k, v in history.items()}


def _all_finite(tree):
    leaves = jax.tree_util.tree_leaves(tree)
    return jnp.all(jnp.stack([jnp.all(jnp.isfinite(leaf)) for leaf in leaves]))


def _check_finite(losses, params_finite, step, count, last_saved, bar, params):
    """TrainingDiverged (with the parameters before the chunk) for a non-finite loss or
    non-finite parameters after the chunk's last update."""
    bad = np.nonzero(~np.isfinite(losses))[0]
    if not bad.size and params_finite:
        return
    bar.close()
    where = (
        f"the last good checkpoint is {last_saved[0]} (step {last_saved[1]})"
        if last_saved
        else "no checkpoint was written in this run (pass checkpoint= to keep one)"
    )
    what = (f"the loss became {losses[bad[0]]} at step {step + int(bad[0])}" if bad.size
            else f"the parameters became NaN or inf in the update of step {step + count - 1}")
    raise TrainingDiverged(
        f"{what}; training stopped at step {step} and {where}. Lower the learning rate or the "
        "penalty weights.",
        _local(params),
        step,
    )


def _check_same_run(found, fingerprint, loss_fn, sample, key, split, everywhere, params):
    """ValueError unless checkpoint `found` was written by the run `fingerprint` describes
    and the step-0 loss of this run's loss function agrees with the one recorded."""
    differences = fingerprint_differences(found.metadata.get("fingerprint"), fingerprint)
    if not differences:
        recorded = found.metadata.get("initial_loss")

        @functools.partial(jax.jit, in_shardings=everywhere, out_shardings=everywhere)
        def initial_loss(params):
            return loss_fn(params, split(sample(jax.random.fold_in(key, 0))), 0)[0]

        now = float(to_host(initial_loss(params)))
        if recorded is None or not abs(now - recorded) <= 1e-3 * max(abs(recorded), 1e-30):
            differences.append(
                f"another loss (problem data or weights): the step-0 loss is {now!r} now, "
                f"{recorded!r} in the checkpoint")
    if differences:
        raise ValueError(
            f"resume={str(found.path)!r} was written by another run: " + "; ".join(differences)
            + ". Resume with the same problem, key and settings, or start a new run.")


def _points_splitter(mesh):
    """batch ↦ the batch with every leaf split over all devices of `mesh` along its leading axis."""
    points = NamedSharding(mesh, PartitionSpec(mesh.axis_names))
    return lambda batch: jax.tree_util.tree_map(
        lambda a: jax.lax.with_sharding_constraint(a, points), batch
    )


def _local(tree):
    """A pytree of replicated arrays as arrays on this process's default device."""
    return jax.tree_util.tree_map(lambda a: jnp.asarray(to_host(a)), tree)


def _lbfgs(loss_fn, params, sample, key, steps, iterations, mesh):
    """L-BFGS (optax.lbfgs with zoom line search) on one fixed batch, data-parallel on `mesh`."""
    opt = optax.lbfgs()
    split = _points_splitter(mesh)
    everywhere = NamedSharding(mesh, PartitionSpec())

    @functools.partial(jax.jit, in_shardings=everywhere, out_shardings=everywhere)
    def run(params):
        batch = split(sample(jax.random.fold_in(key, steps)))
        value_fn = lambda p: loss_fn(p, batch, steps)[0]
        value_and_grad = optax.value_and_grad_from_state(value_fn)

        def body(carry, _):
            p, state = carry
            value, grad = value_and_grad(p, state=state)
            updates, state = opt.update(grad, state, p, value=value, grad=grad, value_fn=value_fn)
            return (optax.apply_updates(p, updates), state), value

        (p, _), values = jax.lax.scan(body, (params, opt.init(params)), None, length=iterations)
        return p, values

    new, values = run(replicate(params, mesh))
    new, values = _local(new), to_host(values)
    if not np.all(np.isfinite(values)) or not np.all(
        np.isfinite(np.concatenate([np.ravel(x) for x in jax.tree_util.tree_leaves(new)]))
    ):
        warnings.warn(
            "L-BFGS produced a non-finite loss; keeping the parameters of the first stage.",
            RuntimeWarning,
            stacklevel=3,
        )
        return params, values.tolist()
    return new, values.tolist()

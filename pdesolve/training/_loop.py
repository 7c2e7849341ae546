"""The training loop: optax updates scanned in chunks on device, with fresh points every step.

Each step draws its batch from `fold_in(key, step)`, so the run is a pure function of the key
and a resumed run repeats an uninterrupted one exactly. `chunk` steps run per dispatch inside
one `lax.scan` (`_chunk.py`); the loop here evaluates, checkpoints (`_run_checkpoints.py`),
shows progress, stops on divergence or Ctrl-C (`_failures.py`) and optionally finishes with
L-BFGS (`_lbfgs.py`). The batch of a key is the one-device batch on any mesh; with JAX's
partitionable threefry generator (the default) each device draws only its share.
"""

import time

import jax
import numpy as np
from jax.sharding import Mesh

from ..parallel import replicate, to_host
from ..validation import check_key, check_optional_bool, check_positive_int, reject_unknown_options
from ._arguments import check_lbfgs_steps, check_mesh, check_optimizer, check_path
from ._checkpoint import check_keep
from ._chunk import chunk_runner, default_optimizer, local_tree
from ._failures import TrainingDiverged, TrainingInterrupted, divergence_message
from ._fingerprint import run_fingerprint
from ._lbfgs import lbfgs_finish
from ._progress import Progress, default_enabled
from ._run_checkpoints import RunCheckpoints, resume_state


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
    checkpoint, resume = check_path(checkpoint, "checkpoint"), check_path(resume, "resume")
    lbfgs_steps = check_lbfgs_steps(lbfgs_steps)
    mesh = check_mesh(mesh)
    progress = check_optional_bool(progress, "progress")
    optimizer = check_optimizer(default_optimizer() if optimizer is None else optimizer)
    run_chunk, traces = chunk_runner(loss_fn, sample, optimizer, chunk, mesh)
    traces_before = traces[0]

    initial = params
    try:
        local_params = local_tree(params)
        local_state = optimizer.init(local_params)
        fingerprint = run_fingerprint(np.asarray(jax.random.key_data(key)), local_params,
                                      local_state, optimizer, settings)
        if resume is not None:
            params, opt_state, step, history = resume_state(
                resume, fingerprint, local_params, local_state, loss_fn=loss_fn, sample=sample,
                key=key, mesh=mesh)
        else:
            params, opt_state = replicate((local_params, local_state), mesh)
            step = 0
            history = {"loss": [], "error_steps": [], "error": []}
            if evaluate is not None:
                history["error_steps"].append(0)
                history["error"].append(float(evaluate(local_params)))
    except KeyboardInterrupt:
        raise TrainingInterrupted(
            "training interrupted before its first step; nothing new to save"
            + (f": continue with resume={str(resume)!r}." if resume else "."),
            initial, 0, resume) from None

    checkpoints = RunCheckpoints(checkpoint, keep_checkpoints, fingerprint,
                                 last=(resume, step) if resume is not None else None)
    bar = Progress(steps, default_enabled() if progress is None else progress)
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
            diverged = divergence_message(losses, bool(to_host(finite)), step, count,
                                          checkpoints.last)
            if diverged:
                bar.close()
                raise TrainingDiverged(diverged, local_tree(params), step)
            history["loss"].extend(losses.tolist())
            terms = {k: float(to_host(v)[count - 1]) for k, v in aux.items()}
            old, new = step, step + count
            if evaluate is not None and (new // eval_every > old // eval_every or new == steps):
                history["error_steps"].append(new)
                history["error"].append(float(evaluate(local_tree(new_params))))
            good = (new_params, new_state, new, _lengths(history))
            params, opt_state, step = new_params, new_state, new
            if new // checkpoint_every > old // checkpoint_every or new == steps:
                checkpoints.save(params, opt_state, step, history)
            last_error = history["error"][-1] if history["error"] else None
            bar.update(step, float(losses[-1]), last_error, first_step)
    except KeyboardInterrupt:
        bar.close()
        params, opt_state, step, lengths = good
        history = {k: v[: lengths[k]] for k, v in history.items()}
        if step > first_step:
            checkpoints.save_unless_written(params, opt_state, step, history)
        saved = checkpoints.last[0] if checkpoints.last else None
        raise TrainingInterrupted(
            f"training interrupted after step {step} of {steps}; "
            + (f"the state is in {saved}: continue with resume={str(saved)!r}."
               if saved else "pass checkpoint= to be able to continue an interrupted run."),
            local_tree(params), step, saved) from None
    bar.close()
    info = {
        **history,
        "terms": terms,
        **_timings(time.perf_counter() - start, compile_time, steps - first_step, chunk),
        "compilations": traces[0] - traces_before,
    }
    params = local_tree(params)
    if lbfgs_steps:
        params, info["lbfgs_loss"] = lbfgs_finish(loss_fn, params, sample, key, steps,
                                                  lbfgs_steps, mesh)
        if evaluate is not None:
            info["error_steps"].append(steps + lbfgs_steps)
            info["error"].append(float(evaluate(params)))
    return params, info


def _lengths(history):
    return {k: len(v) for k, v in history.items()}


def _timings(train_time: float, compile_time: float, steps_run: int, chunk: int) -> dict:
    """Wall times and the speed in steps per second, the first (compiling) chunk excluded when
    more than one chunk ran."""
    speed = (steps_run / max(train_time - compile_time, 1e-9) if steps_run > chunk
             else steps_run / max(train_time, 1e-9))
    return {"compile_time_s": compile_time, "train_time_s": train_time, "it_per_s": speed}

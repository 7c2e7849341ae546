"""SFHCPINN: hard-constrained multi-scale Fourier PINNs for advection–diffusion problems."""

from .pinn import solve_variant


def solve(problem, *, key, batches=None, training=None, architecture=None, devices=None,
          **settings):
    """Train u = G + D·N with N the multi-scale Fourier subnetworks.

    G matches the initial and Dirichlet data and D vanishes on them (see
    `pdesolve.pinn.hard_constraint`), so only the PDE residual (plus Neumann data as a penalty)
    is minimised: loss = mean (u_t + a·∇u − Σ κ_k u_kk − f)² + w·mean (∂u/∂n − h)².
    N(z) = (1/K) Σ_k o_k(z)/a_k over K subnets with scales a_k (default 1–6, 8, …, 40).
    Training: Adam, η = 0.01·0.975^⌊s/100⌋, fresh points every step drawn on device.

    Args:
        problem: a `pdesolve.AdvectionDiffusion`.
        key: PRNG key.
        batches: a `pdesolve.pinn.Batches`: n_interior (interior points per step),
            n_boundary (boundary points per step, on Neumann parts only), n_initial
            (initial-slice points per step, used by the soft baselines only), sampling
            ("random", "lhs", "sobol").
        training: a `pdesolve.training.Training`: steps (optimiser steps, default 5000),
            optimizer (any optax transformation), chunk (steps per dispatch), eval_every,
            checkpoint (a file; safe archive written atomically, the last keep_checkpoints
            (default 2) kept as checkpoint, checkpoint.1, ...), checkpoint_every, resume
            (continue from the newest readable checkpoint of that rotation; a checkpoint of
            another run is a ValueError), keep_checkpoints, progress, lbfgs_steps.
        architecture: a `pdesolve.pinn.Architecture`: widths (layer widths per subnet),
            scales, activation.
        **settings: the fields of the three objects as keywords (steps=200,
            n_interior=1000, widths=(10, 20), checkpoint="run.npz", ...; a keyword that
            disagrees with the object given for it is a ValueError), and boundary_weight
            (number, "staged", or a function of the step; default 20, as in the reference; the
            best weight depends on the problem: 1 or 0.1 trained the 1D examples E4–E7 far
            better, while E9, Neumann data on every side of a square, wants more: 80 beat 20,
            20 beat 1), extension / distance (user G(x, t), D(x, t)), dtype (float32).
        devices: where to train, data-parallel: None (default: all devices, every
            process's after `jax.distributed.initialize`), an int k (the first k devices) or a
            sequence of `jax.Device`. Each step's points are split over the devices (any
            counts; uneven splits are padded with zero-weight rows), each device evaluates the
            residual and its gradient on its share, and one all-reduce adds the gradients; the
            parameters are replicated. The points drawn for a key are the same on any number
            of devices, so a run matches the one-device run up to float32 round-off (the sums
            are split). On a CPU, `XLA_FLAGS=--xla_force_host_platform_device_count=2` splits
            the host into two devices (set before JAX starts); on the 2-core test machine two
            devices ran E2 at 1.4–1.9× the one-device speed (medians of repeated runs,
            `benchmarks/results/pinn_devices.md`).

    Returns:
        A `PINNSolution` (a `pdesolve.Solution`): `sol(x, t)`, `sol.problem`, `sol.result`,
        `sol.errors(key=...)`, `sol.info` (the shared keys "method" (= "variant"),
        "time_total_s", "devices" (how many devices trained it), "backend" ("device"),
        "platform"; loss history, error history, relative_l2, squared_ratio = relative_l2²,
        max_error, timings ("wall_time_s": the training loop's), "it_per_s" (steps per second
        after compilation)).

    Raises:
        TypeError, ValueError: bad problem, key or options (devices included; a misspelled
            option name lists the valid ones), a step that cannot fit in memory, or data that
            is NaN/inf on the first batch, before any training.
        pdesolve.training.TrainingDiverged: the loss or the parameters became NaN or inf.
        pdesolve.training.TrainingInterrupted: Ctrl-C; the last good state is written to
            `checkpoint` first (a `KeyboardInterrupt`, carrying `params` and `step`).
    """
    return solve_variant(problem, key=key, variant="sfhcpinn", where="sfhcpinn.solve",
                         batches=batches, training=training, architecture=architecture,
                         devices=devices, settings=settings)

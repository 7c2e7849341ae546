"""`pdesolve.pinn.solve`: the baselines of SFHCPINN through one entry point."""

from ._solve import solve_variant


def solve(problem, *, key, variant: str = "pinn", batches=None, training=None,
          architecture=None, devices=None, **settings):
    """Train a baseline PINN on an advection–diffusion problem.

    Variants (same loop, batch sizes and defaults as `pdesolve.sfhcpinn.solve`):
    "pinn": MLP (100, 150, 80, 80, 50), tanh, u = N, with the staged penalty weight
    w = 20 → … → 10000 on the initial and boundary misfits; "hcpinn": the same MLP in the
    hard ansatz u = G + D·N (Neumann data stay a penalty); "sfpinn": the multi-scale Fourier
    subnetworks of SFHCPINN with soft penalties.

    Args:
        problem: a `pdesolve.AdvectionDiffusion`.
        key: PRNG key (initialisation, pools and every step's points derive from it).
        variant: "pinn", "hcpinn" or "sfpinn".
        batches, training, architecture: the settings objects, as for
            `pdesolve.sfhcpinn.solve` (`pdesolve.pinn.Batches`, `pdesolve.training.Training`,
            `pdesolve.pinn.Architecture`).
        **settings: their fields as keywords (steps, n_interior, n_boundary, n_initial,
            sampling, widths, scales, activation, optimizer, chunk, eval_every, checkpoint,
            checkpoint_every, resume, keep_checkpoints, progress, lbfgs_steps) and
            boundary_weight, extension, distance, dtype, as for `pdesolve.sfhcpinn.solve`.
        devices: None (all devices), an int k (the first k) or a sequence of `jax.Device`;
            each step's points are split over them (see `pdesolve.sfhcpinn.solve`) and
            `sol.info["devices"]` says how many trained.

    Returns:
        A `PINNSolution`.

    Raises:
        TypeError, ValueError: unknown variant or bad options, devices included (before any
            training).
    """
    if not isinstance(variant, str) or variant not in ("pinn", "hcpinn", "sfpinn"):
        raise ValueError(
            f"variant must be 'pinn', 'hcpinn' or 'sfpinn', got {variant!r}; for the "
            "hard-constrained Fourier method use pdesolve.sfhcpinn.solve."
        )
    return solve_variant(problem, key=key, variant=variant, where="pinn.solve", batches=batches,
                         training=training, architecture=architecture, devices=devices,
                         settings=settings)

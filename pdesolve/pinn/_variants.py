"""`pdesolve.pinn.solve`: the baselines of SFHCPINN through one entry point."""

from ..validation import check_options
from ._solve import fit, option_names


def solve(problem, *, key, steps: int = 5000, variant: str = "pinn", devices=None, **options):
    """Train a baseline PINN on an advection–diffusion problem.

    Variants (same loop, batch sizes and defaults as `pdesolve.sfhcpinn.solve`):
    "pinn": MLP (100, 150, 80, 80, 50), tanh, u = N, with the staged penalty weight
    w = 20 → … → 10000 on the initial and boundary misfits; "hcpinn": the same MLP in the
    hard ansatz u = G + D·N (Neumann data stay a penalty); "sfpinn": the multi-scale Fourier
    subnetworks of SFHCPINN with soft penalties.

    Args:
        problem: a `pdesolve.AdvectionDiffusion`.
        key: PRNG key (initialisation, pools and every step's points derive from it).
        steps: optimiser steps.
        variant: "pinn", "hcpinn" or "sfpinn".
        **options: as for `pdesolve.sfhcpinn.solve` (n_interior, n_boundary, n_initial,
            widths, activation, optimizer, sampling, boundary_weight, dtype, chunk,
            eval_every, checkpoint, checkpoint_every, resume, progress, lbfgs_steps).
        devices: None (all devices), an int k (the first k) or a sequence of `jax.Device`;
            each step's points are split over them (see `pdesolve.sfhcpinn.solve`) and
            `sol.info["devices"]` says how many trained.

    Returns:
        A `PINNSolution`.

    Raises:
        TypeError, ValueError: unknown variant or bad options, devices included (before any
            training).
    """
    check_options(options, option_names(), "pinn.solve")
    if not isinstance(variant, str) or variant not in ("pinn", "hcpinn", "sfpinn"):
        raise ValueError(
            f"variant must be 'pinn', 'hcpinn' or 'sfpinn', got {variant!r}; for the "
            "hard-constrained Fourier method use pdesolve.sfhcpinn.solve."
        )
    return fit(problem, key=key, variant=variant, steps=steps, devices=devices, **options)

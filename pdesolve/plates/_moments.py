"""Bending moments of a Kirchhoff plate from a deflection w."""

import jax
import jax.numpy as jnp
import numpy as np


def bending_moments(deflection, x, plate):
    """M_x, M_y, M_xy of the deflection at points x:

        M_x = −D (w_xx + ν w_yy),  M_y = −D (w_yy + ν w_xx),  M_xy = −D (1 − ν) w_xy,

    from the exact Hessian of w (forward-over-reverse autodiff).

    Args:
        deflection: a solution of the plate problem (`pds.Solution`, its `pointwise` is used)
            or a pointwise JAX function w(x), x of shape (2,).
        x: points (n, 2).
        plate: the `KirchhoffPlate` (D and ν).

    Returns:
        A dict {"M_x", "M_y", "M_xy"} of float64 NumPy arrays (n,).

    Raises:
        TypeError: `deflection` is neither a solution nor a function.
        ValueError: x is not of shape (n, 2).
    """
    w = getattr(deflection, "pointwise", deflection)
    if not callable(w):
        raise TypeError(f"deflection must be a plate solution or a function x (2,) -> scalar, "
                        f"got {deflection!r}.")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x must have shape (n, 2), got {x.shape}.")
    hessian = np.asarray(jax.jit(jax.vmap(jax.hessian(w)))(jnp.asarray(x)))
    wxx, wyy, wxy = hessian[:, 0, 0], hessian[:, 1, 1], hessian[:, 0, 1]
    d, nu = plate.stiffness, plate.poisson
    return {"M_x": -d * (wxx + nu * wyy), "M_y": -d * (wyy + nu * wxx),
            "M_xy": -d * (1.0 - nu) * wxy}

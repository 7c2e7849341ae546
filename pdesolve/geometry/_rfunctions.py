"""R-function compositions of normalised distance fields (Sukumar & Srivastava 2022).

With φ ≥ 0 inside each operand and |∇φ| = 1 on its boundary, these compose fields that stay
0 on the composed boundary, positive inside and first-order normalised there; they are smooth
except where two operand boundaries meet.
"""

import jax.numpy as jnp


def r_and(phi1, phi2):
    """R0 conjunction (intersection): φ1 + φ2 − √(φ1² + φ2²)."""
    return phi1 + phi2 - jnp.sqrt(phi1**2 + phi2**2)


def r_or(phi1, phi2):
    """R0 disjunction (union): φ1 + φ2 + √(φ1² + φ2²)."""
    return phi1 + phi2 + jnp.sqrt(phi1**2 + phi2**2)


def r_and_all(phis):
    """Fold `r_and` over a sequence of fields."""
    out = phis[0]
    for phi in phis[1:]:
        out = r_and(out, phi)
    return out

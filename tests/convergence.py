"""Convergence-rate assertions shared by the solver tests (the rate, not only its sign)."""

import numpy as np


def assert_exponential_rate(widths, errors, *, expected: float, tolerance: float,
                            max_misfit: float = 0.6):
    """Assert log10(error) = a + b·M with b within `tolerance` of `expected` (decades per
    feature), and that the points lie on that line within `max_misfit` decades, i.e. the
    convergence in the width M is exponential (spectral) at the expected rate, not algebraic.
    """
    widths, log_errors = np.asarray(widths, float), np.log10(np.asarray(errors, float))
    slope, intercept = np.polyfit(widths, log_errors, 1)
    misfit = np.max(np.abs(log_errors - (intercept + slope * widths)))
    assert abs(slope - expected) <= tolerance, (
        f"rate {slope:.4f} decades per feature, expected {expected} ± {tolerance}; errors "
        f"{np.asarray(errors)}")
    assert misfit <= max_misfit, (
        f"log10 errors {misfit:.2f} decades off the fitted line (not exponential): {errors}")

"""Argument checks shared by the geometry layer; each raises before any expensive work."""

import numpy as np

SAMPLING_METHODS = ("random", "sobol", "halton", "lhs", "grid")


def as_coordinates(value, name: str, dim: int | None = None) -> np.ndarray:
    """A finite float64 vector of coordinates (shape (dim,) when `dim` is given)."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a vector of coordinates, got an array of shape {arr.shape}."
        )
    if dim is not None and arr.shape[0] != dim:
        raise ValueError(f"{name} must have {dim} coordinates, got {arr.shape[0]}: {arr.tolist()}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {arr.tolist()}; replace NaN/inf coordinates.")
    return arr


def as_positive_scalar(value, name: str) -> float:
    """A finite positive float."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {value!r}.") from None
    if not np.isfinite(out) or out <= 0:
        raise ValueError(f"{name} must be a finite positive number, got {value!r}.")
    return out


def check_count(n, name: str = "n") -> int:
    """A positive integer number of points."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be a positive int, got {n!r} of type {type(n).__name__}.")
    if n <= 0:
        raise ValueError(f"{name} must be a positive number of points, got {n}.")
    return int(n)


def check_method(method) -> str:
    """One of the sampling method names."""
    if method not in SAMPLING_METHODS:
        raise ValueError(
            f"method must be one of {SAMPLING_METHODS}, got {method!r}."
        )
    return method


def check_points(x, dim: int, name: str = "x") -> np.ndarray:
    """Points of shape (n, dim); a single point of shape (dim,) is accepted as (1, dim)."""
    arr = np.asarray(x)
    if arr.ndim == 1 and arr.shape[0] == dim:
        arr = arr[None]
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise ValueError(
            f"{name} must have shape (n, {dim}) for this {dim}-dimensional domain, got {arr.shape}."
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf in {int(np.sum(~np.isfinite(arr)))} entries.")
    return arr

"""Argument checks shared by the geometry layer, the problems, the solvers and the training loop.

Each raises a `TypeError` or `ValueError` that names the argument and shows the value, before
any expensive work. PRNG keys (`check_key`) and keyword options (`reject_unknown_options`) are
checked here once for every public entry point.
"""

import dataclasses
import difflib
import functools
import inspect
import math

import jax
import numpy as np

from .parallel import Need, check_memory

SAMPLING_METHODS = ("random", "sobol", "halton", "lhs", "grid")


def describe(value, limit: int = 80) -> str:
    """`repr(value)` (shortened) with its type, for error messages: "'abc' (str)"."""
    if isinstance(value, (np.ndarray, jax.Array)):
        return f"a {value.dtype} array of shape {tuple(value.shape)}"
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{text} ({type(value).__name__})"


def as_float_array(value, name: str, what: str = "an array of real numbers") -> np.ndarray:
    """`value` as a float64 array; TypeError for strings, None, booleans, complex or objects.

    NumPy would turn "1" into 1.0 and None into NaN; both are refused here.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be {what}, got {describe(value)}.")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as err:  # ragged nesting
        raise TypeError(f"{name} must be {what}, got {describe(value)}: {err}") from None
    if raw.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be {what}, got {describe(value)} with entries of dtype {raw.dtype}."
        )
    return raw.astype(np.float64)


def as_coordinates(value, name: str, dim: int | None = None) -> np.ndarray:
    """A finite float64 vector of at least one coordinate (shape (dim,) when `dim` is given)."""
    arr = as_float_array(value, name, "a vector of real coordinates")
    if arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != 1 or arr.shape[0] == 0:
        raise ValueError(
            f"{name} must be a vector of at least one coordinate, got an array of shape "
            f"{arr.shape}: {np.asarray(value).tolist()!r}."
        )
    if dim is not None and arr.shape[0] != dim:
        raise ValueError(f"{name} must have {dim} coordinates, got {arr.shape[0]}: {arr.tolist()}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {arr.tolist()}; replace NaN/inf coordinates.")
    return arr


def as_real(value, name: str) -> float:
    """A real number (not a bool or string); may be NaN or inf."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{name} must be a real number, got {describe(value)}.")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {describe(value)}.") from None


def as_finite_scalar(value, name: str) -> float:
    """A finite real number."""
    out = as_real(value, name)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return out


def as_positive_scalar(value, name: str, hint: str | None = None) -> float:
    """A finite positive float; `hint` (what the setting is, how to fix it) ends the message."""
    try:
        out = as_real(value, name)
    except TypeError as err:
        raise TypeError(f"{err} {hint}" if hint else str(err)) from None
    if not np.isfinite(out) or out <= 0:
        raise ValueError(f"{name} must be a finite positive number, got {value!r}."
                         + (f" {hint}" if hint else ""))
    return out


def check_count(n, name: str = "n") -> int:
    """A positive integer number of points."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be a positive int, got {n!r} of type {type(n).__name__}.")
    if n <= 0:
        raise ValueError(f"{name} must be a positive number of points, got {n}.")
    return int(n)


def check_positive_int(value, name: str, upper: int | None = None, *,
                       hint: str | None = None) -> int:
    """A positive int (at most `upper`), e.g. a step count; `hint` (what the setting is, how
    to fix it) ends the message, else an example value."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive int, got {describe(value)}"
                        + (f"; {hint}" if hint else "."))
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}; {hint or f'e.g. {name}=1000.'}")
    if upper is not None and value > upper:
        raise ValueError(f"{name} must be at most {upper}, got {value}.")
    return int(value)


def check_bool(value, name: str) -> bool:
    """A bool (NumPy bools included); no truthy strings or numbers."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {describe(value)}.")
    return bool(value)


def check_optional_bool(value, name: str) -> bool | None:
    """None (automatic) or a bool, e.g. for `progress`."""
    if value is not None and not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True, False or None (automatic), got {describe(value)}.")
    return None if value is None else bool(value)


def check_choice(value, name: str, choices) -> str:
    """One of the strings `choices` (exactly: no case folding)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}.")
    return value


def check_method(method) -> str:
    """One of the sampling method names."""
    if not isinstance(method, str) or method not in SAMPLING_METHODS:
        raise ValueError(
            f"method must be one of {SAMPLING_METHODS}, got {method!r}."
        )
    return method


def check_points(x, dim: int, name: str = "x") -> np.ndarray:
    """Points of shape (n, dim); a single point of shape (dim,) is accepted as (1, dim)."""
    arr = as_float_array(x, name, f"points of shape (n, {dim})")
    if arr.ndim == 1 and arr.shape[0] == dim:
        arr = arr[None]
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise ValueError(
            f"{name} must have shape (n, {dim}) for this {dim}-dimensional domain, got {arr.shape}."
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} contains NaN or inf in {int(np.sum(~np.isfinite(arr)))} entries (shape "
            f"{arr.shape}); give finite points."
        )
    return arr


def check_sample_memory(n: int, dim: int, where: str, arrays: int = 3) -> None:
    """Refuse drawing `n` points in `dim` dimensions when `arrays` float64 (n, dim) arrays (the
    points and the sampler's temporaries) would not fit in memory."""
    check_memory([Need(f"{arrays} arrays of {n} points in {dim}-D", 8.0 * n * dim * arrays,
                       f"n (got n={n})")], where=where)


@functools.cache
def _raw_key_shape() -> tuple:
    return tuple(jax.random.PRNGKey(0).shape)


def check_key(key, name: str = "key"):
    """`key` itself when it is one JAX PRNG key, else TypeError/ValueError naming it.

    Accepted: a raw key (a uint32 array of shape (2,), as from `jax.random.PRNGKey(seed)`) and
    a typed key (a scalar from `jax.random.key(seed)`). Refused: integers (seeds), floats,
    strings, arrays of another dtype or shape, and arrays of several keys.

    Raises:
        TypeError: `key` is not an array.
        ValueError: an array of the wrong dtype or shape.
    """
    fix = f"pass one key such as {name}=jax.random.key(0) or jax.random.PRNGKey(0)"
    if not isinstance(key, (jax.Array, np.ndarray)):
        seed = " (an int is a seed: wrap it as jax.random.key(seed))" if isinstance(
            key, (int, np.integer)) and not isinstance(key, bool) else ""
        raise TypeError(f"{name} must be a JAX PRNG key, got {describe(key)}{seed}; {fix}.")
    shape = tuple(key.shape)
    if jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key):
        if shape == ():
            return key
        raise ValueError(
            f"{name} must be a single PRNG key, got an array of {math.prod(shape)} typed keys "
            f"({key.dtype}) of shape {shape}; index one of them (e.g. {name}[0]) or {fix}."
        )
    if key.dtype == np.uint32 and shape == _raw_key_shape():
        return key
    raise ValueError(
        f"{name} must be a PRNG key: a uint32 array of shape {_raw_key_shape()} or a typed key "
        f"scalar, got {describe(key)}; {fix}."
    )


def unknown_options_message(where: str, unknown, valid) -> str:
    """"`where` got unknown keyword argument(s) ...; valid: ..." with the closest matches."""
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
        hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return (
        f"{where} got unknown keyword argument{'s' if len(hints) > 1 else ''} "
        f"{', '.join(hints)}; valid keyword arguments: {', '.join(valid)}."
    )


def check_options(options: dict, valid, where: str) -> dict:
    """`options` itself when every key is in `valid`; TypeError listing the valid names."""
    unknown = [k for k in options if k not in valid]
    if unknown:
        raise TypeError(unknown_options_message(where, unknown, list(valid)))
    return options


def reject_unknown_options(fn=None, *, where: str | None = None):
    """Decorator: a keyword argument `fn` does not take is a TypeError that lists the valid
    names (with the closest match), instead of Python's bare "unexpected keyword argument".

    Args:
        fn: the function (the decorator also works as `@reject_unknown_options(where=...)`).
        where: the name used in the message (default: the qualified name, "Poisson" for
            `Poisson.__init__`).
    """
    if fn is None:
        return functools.partial(reject_unknown_options, where=where)
    params = inspect.signature(fn).parameters.values()
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    valid = tuple(p.name for p in params if p.kind in kinds and p.name not in ("self", "cls"))
    label = where or fn.__qualname__.replace(".__init__", "")

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        for k in kwargs:
            if k not in valid:
                check_options(kwargs, valid, label)
        return fn(*args, **kwargs)

    return checked


def settings_objects(where: str, keywords: dict, configs: dict, valid=()) -> dict:
    """The configuration objects of a solver call, built from its keyword arguments.

    Each configuration is a frozen dataclass whose fields are settings; a call may pass the
    object (`least_squares=LeastSquares(solver="sketch")`), the settings as keywords
    (`solver="sketch"`), or both when they agree.

    Args:
        where: the entry point's name for messages ("celm.solve").
        keywords: the call's keyword arguments beyond its own parameters.
        configs: parameter name -> (dataclass, the object given or None), e.g.
            {"least_squares": (LeastSquares, None)}.
        valid: the entry point's other parameter names (listed when a keyword is unknown).

    Returns:
        parameter name -> the object: the one given, or one built from the keywords (its
        construction checks every value).

    Raises:
        TypeError: an unknown keyword (the message lists the valid ones and the closest), or
            a given object of the wrong type.
        ValueError: a keyword that disagrees with the object given for the same setting, or a
            bad setting (from the dataclass).
    """
    fields = {param: [f.name for f in dataclasses.fields(cls)]
              for param, (cls, _) in configs.items()}
    names = [*valid, *configs, *(name for own in fields.values() for name in own)]
    check_options(keywords, names, where)
    out = {}
    for param, (cls, given) in configs.items():
        mine = {k: v for k, v in keywords.items() if k in fields[param]}
        if given is None:
            out[param] = cls(**mine)
            continue
        if not isinstance(given, cls):
            raise TypeError(f"{where}: {param} must be a {cls.__name__}, got {describe(given)}; "
                            f"e.g. {param}={cls.__name__}().")
        for name, value in mine.items():
            if not _same(value, getattr(given, name)):
                raise ValueError(
                    f"{where} got {name}={describe(value)} and {param}={cls.__name__}(...) with "
                    f"{name}={describe(getattr(given, name))}; set {name} in one place: in the "
                    f"{cls.__name__} or as a keyword."
                )
        out[param] = given
    return out


def _same(a, b) -> bool:
    """a and b are the same setting: the same object or equal plain values."""
    if a is b:
        return True
    try:
        return type(a) is type(b) and bool(a == b)
    except (TypeError, ValueError):  # arrays: only the same object counts
        return False

"""Run a named example from plain keywords: settings resolved, float64 checked, timed."""

import time
from pathlib import Path

import jax

from ..validation import check_bool, check_options


def run(example, *, quick: bool = False, seed: int = 0, out=None, **options) -> dict:
    """Solve `example` and measure it; nothing is printed and `jax.config` is left alone.

    The settings are, later ones winning: each option's default, the example's `settings`,
    its `quick` settings (when `quick`), then `options`.

    Args:
        example: an `Example` or the `ShapeGallery` (e.g. `get_example("celm_square")`).
        quick: use the example's small, fast configuration.
        seed: the PRNG seed.
        out: folder for the files the example writes itself (a CELM solution file, the
            gallery's figure), or None.
        **options: values of the example's options (`example.options`), by name.

    Returns:
        The results: JSON-ready numbers (errors, timings, settings; `total_time_s` always) and
        non-JSON objects under keys starting with "_" ("_solution", "_problem", "_figures").

    Raises:
        TypeError: an option `example` does not have (the message lists those it has).
        ValueError: an option value of the wrong type or range, or a bad `seed`.
        RuntimeError: the example needs float64 and `jax_enable_x64` is off.
    """
    where = f"run({example.name!r})"
    quick = check_bool(quick, "quick")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"{where}: seed must be an integer, got {seed!r}.")
    check_options(options, [o.name for o in example.options], where)
    by_name = {o.name: o for o in example.options}
    given = {k: by_name[k].check(v, where) for k, v in options.items()}
    if example.needs_float64 and not jax.config.jax_enable_x64:
        raise RuntimeError(
            f"{where} needs float64 (jax_enable_x64 is off): its settings and tolerances are for "
            "float64. Enable it first with `jax.config.update(\"jax_enable_x64\", True)` (the "
            "command line `python -m pdesolve run` does this itself)."
        )
    settings = {o.name: o.default for o in example.options}
    settings.update(example.settings)
    if quick:
        settings.update(example.quick)
    settings.update(given)
    start = time.perf_counter()
    results = example.compute(settings, key=jax.random.PRNGKey(seed),
                              out=None if out is None else Path(out))
    results.setdefault("total_time_s", time.perf_counter() - start)
    return results

"""One registry of named example problems, shared by `problems/*.py` scripts and the CLI."""

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jax
import numpy as np


@dataclasses.dataclass(frozen=True)
class Example:
    """A named, runnable problem.

    Attributes:
        name: registry key, also the `problems/<name>.py` script name.
        description: one line for `python -m pdesolve list`.
        run: `run(args) -> dict`; `args` is the parsed argparse namespace (always has `quick`,
            `seed`, `out`, plus what `add_arguments` adds). The dict holds JSON-ready numbers
            (errors, timings, settings) and may hold non-JSON objects under keys starting
            with "_" (e.g. "_solution", "_problem", "_figures") that are not printed.
        add_arguments: optional hook adding example-specific options to the parser.
    """

    name: str
    description: str
    run: Callable[[argparse.Namespace], dict]
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None


EXAMPLES: dict[str, Example] = {}


def register(example: Example) -> Example:
    """Add `example` to the registry; names must be unique."""
    if example.name in EXAMPLES:
        raise ValueError(f"an example named {example.name!r} is already registered.")
    EXAMPLES[example.name] = example
    return example


def get_example(name: str) -> Example:
    """The registered example `name`.

    Raises:
        ValueError: no example has that name (the message lists the known names).
    """
    if name not in EXAMPLES:
        raise ValueError(f"unknown example {name!r}; known: {', '.join(sorted(EXAMPLES))}.")
    return EXAMPLES[name]


def _argument_type(convert, accept, what: str, bad_range: str | None = None):
    """An argparse type: `convert(text)`, a usage error unless it converts and `accept`s."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
        if not accept(value):
            raise argparse.ArgumentTypeError(f"must be {bad_range or what}, got {text!r}")
        return value

    return parse


# `--steps 0` is a usage error, not a silent default
positive_int = _argument_type(int, lambda v: v > 0, "a positive integer")
non_negative_int = _argument_type(int, lambda v: v >= 0, "an integer >= 0")
positive_float = _argument_type(float, lambda v: bool(np.isfinite(v) and v > 0),
                                "a positive number", "a finite positive number")


def build_parser(example: Example, prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of one example: common options plus the example's own."""
    parser = argparse.ArgumentParser(prog=prog or example.name, description=example.description)
    parser.add_argument("--quick", action="store_true", help="small, fast configuration")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="PRNG seed (default 0)")
    parser.add_argument("--out", type=Path, default=None, help="folder for figures and files")
    if example.add_arguments is not None:
        example.add_arguments(parser)
    return parser


def public_results(results: dict) -> dict:
    """The JSON-ready part of a results dict (keys not starting with '_')."""
    return {k: _jsonable(v) for k, v in results.items() if not k.startswith("_")}


def run_example(name: str, argv: list[str] | None = None, prog: str | None = None) -> dict:
    """Parse `argv` for example `name`, run it, print a summary (or JSON) and return the results."""
    jax.config.update("jax_enable_x64", True)
    example = get_example(name)
    args = build_parser(example, prog).parse_args(argv)
    start = time.perf_counter()
    results = example.run(args)
    results.setdefault("total_time_s", time.perf_counter() - start)
    shown = public_results(results)
    if args.json:
        print(json.dumps({"example": name, **shown}))
    else:
        print(f"== {name}: {example.description}")
        for k, v in shown.items():
            print(f"  {k:>22}: {_format(v)}")
    sys.stdout.flush()
    return results


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (np.generic, jax.Array, np.ndarray)):
        arr = np.asarray(value)
        return arr.item() if arr.ndim == 0 else arr.tolist()
    return value


def _format(value) -> str:
    if isinstance(value, float):
        tiny_or_huge = value != 0 and (abs(value) < 1e-2 or abs(value) >= 1e4)
        return f"{value:.3e}" if tiny_or_huge else f"{value:.4g}"
    return str(value)

"""The command line: `python -m pdesolve list | run NAME [options] | --version`.

Every named problem comes from the one tuple `pdesolve.examples.EXAMPLES`, shared with the
`problems/*.py` scripts (which call `run_script`). This module is the only place that parses
arguments: each example's options are declared as data (`pdesolve.examples.Option`) and turned
into argparse options here; `run` then calls `pdesolve.examples.run` with plain keywords.
The command line (not the library) switches `jax_enable_x64` on and keeps JAX's persistent
compilation cache in `$PDESOLVE_CACHE_DIR`, else `$XDG_CACHE_HOME/pdesolve/jax`, else
`~/.cache/pdesolve/jax` (off with `--no-cache` or `PDESOLVE_NO_CACHE=1`).
A multi-process run starts one command per process with `--coordinator HOST:PORT
--num-processes N --process-id I` before the command; the processes join through
`jax.distributed.initialize` and solve one problem together (process 0 writes the files).
Exit codes: 0 success, 2 usage error (the message names the bad argument).
"""

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

from ._version import __version__

USAGE_ERROR = 2
# compilations shorter than this are not worth a cache file (most CELM kernels take 0.1-2 s)
CACHE_MIN_COMPILE_TIME_S = 0.1


def build_cli() -> argparse.ArgumentParser:
    """The top-level parser: `list`, `run NAME ...`, `--version`."""
    parser = argparse.ArgumentParser(
        prog="pdesolve",
        description="Machine-learning PDE solvers in JAX: run the named example problems.",
        epilog="`pdesolve run NAME --help` shows the options of one example. Compiled programs "
        "are cached in $PDESOLVE_CACHE_DIR (default ~/.cache/pdesolve/jax; off with "
        "--no-cache after NAME or PDESOLVE_NO_CACHE=1).",
    )
    parser.add_argument("--version", action="version", version=f"pdesolve {__version__}")
    group = parser.add_argument_group(
        "multi-process runs", "start the same command once per process, each with its own "
        "--process-id; all processes solve one problem together")
    group.add_argument("--coordinator", metavar="HOST:PORT",
                       help="address of process 0 (e.g. 127.0.0.1:12345)")
    group.add_argument("--num-processes", type=int, metavar="N", help="number of processes")
    group.add_argument("--process-id", type=int, metavar="I", help="this process, 0 … N-1")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    listing = commands.add_parser("list", help="the named problems with a one-line description")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    run = commands.add_parser(
        "run",
        help="solve a named problem: `run NAME [--method ...] [--quick] [--json] [--out DIR]`",
        description="Solve a named problem; the options after NAME belong to that example "
        "(see `pdesolve run NAME --help`). With --out, figures of the solution and its error, "
        "a VTU file and the solution file (when the method can save) go to that folder.",
    )
    run.add_argument("name", metavar="NAME", help="the example (see `pdesolve list`)")
    run.add_argument("options", nargs=argparse.REMAINDER, help="options of the example")
    return parser


def main(argv: list[str] | None = None, examples=None) -> int:
    """Run the command line with `argv` (default `sys.argv[1:]`) and return the exit code.

    Args:
        argv: the arguments after the program name.
        examples: the examples to choose from (default `pdesolve.examples.EXAMPLES`).

    Returns:
        0 on success, 2 on a usage error (unknown command, example or option, or a value the
        example rejects with ValueError), 1 when an output file could not be
        written; the message goes to stderr.
    """
    parser = build_cli()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return _code(exc)
    if args.command is None:
        parser.print_usage(sys.stderr)
        print("pdesolve: error: a COMMAND is required: list or run.", file=sys.stderr)
        return USAGE_ERROR
    examples = _all_examples() if examples is None else examples
    if args.command == "list":
        return _list(examples, args.json)
    if args.coordinator or args.num_processes is not None or args.process_id is not None:
        error = _initialize_distributed(args)
        if error:
            print(f"pdesolve: error: {error}", file=sys.stderr)
            return USAGE_ERROR
    return _run(examples, args.name, args.options, f"pdesolve run {args.name}")


def run_script(name: str, argv: list[str] | None = None) -> int:
    """The entry of `problems/<name>.py`: run example `name` with `argv` (default
    `sys.argv[1:]`) exactly as `python -m pdesolve run NAME ...` does; returns the exit code."""
    return _run(_all_examples(), name, sys.argv[1:] if argv is None else argv, name)


def _initialize_distributed(args) -> str | None:
    """Join the processes of a multi-process run; returns a usage error message, or None."""
    if args.coordinator is None or args.num_processes is None or args.process_id is None:
        return ("a multi-process run needs all of --coordinator HOST:PORT, --num-processes N "
                "and --process-id I")
    if args.num_processes < 1 or not 0 <= args.process_id < args.num_processes:
        return (f"--process-id must be in 0 … {args.num_processes - 1} and --num-processes "
                f"at least 1, got --process-id {args.process_id} --num-processes "
                f"{args.num_processes}")
    if ":" not in args.coordinator:
        return f"--coordinator must be HOST:PORT, got {args.coordinator!r}"
    import jax

    jax.distributed.initialize(args.coordinator, num_processes=args.num_processes,
                               process_id=args.process_id)
    return None


def _all_examples():
    from .examples import EXAMPLES

    return EXAMPLES


def _list(examples, as_json: bool) -> int:
    ordered = sorted(examples, key=lambda e: e.name)
    if as_json:
        print(json.dumps({e.name: e.description for e in ordered}))
        return 0
    width = max((len(e.name) for e in ordered), default=0)
    for e in ordered:
        print(f"{e.name:<{width}}  {e.description}")
    return 0


def build_parser(example, prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of one example: the common options plus one per `example.options`.

    An option the user does not give is absent from the parsed namespace, so the example's
    own settings apply; `--help` shows them ("default 5000; 200 with --quick").
    """
    parser = argparse.ArgumentParser(prog=prog or example.name, description=example.description)
    parser.add_argument("--quick", action="store_true", help="small, fast configuration")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="PRNG seed (default 0)")
    parser.add_argument("--out", type=Path, default=None, help="folder for figures and files")
    parser.add_argument("--no-cache", action="store_true",
                        help="do not use the persistent compilation cache (see `pdesolve --help`)")
    for option in example.options:
        flag = "--" + option.name.replace("_", "-")
        text = option.help + _defaults_text(example, option)
        if option.type is bool:
            parser.add_argument(flag, dest=option.name, action="store_true",
                                default=argparse.SUPPRESS, help=text)
        else:
            parser.add_argument(flag, dest=option.name, type=_argument_type(option),
                                choices=option.choices or None, default=argparse.SUPPRESS,
                                help=text)
    return parser


def _defaults_text(example, option) -> str:
    value = example.settings.get(option.name, option.default)
    quick = example.quick.get(option.name, value)
    if value is None or option.type is bool:
        return ""
    return f" (default {value}" + (f"; {quick} with --quick)" if quick != value else ")")


def _argument_type(option):
    """An argparse type for `option`: converts the text and checks it (a usage error if not)."""

    def parse(text: str):
        try:
            return option.check(option.type(text), option.name)
        except ValueError:
            message = f"must be {option.requirement}, got {text!r}"
            raise argparse.ArgumentTypeError(message) from None

    parse.__name__ = option.requirement  # argparse names the type in some messages
    return parse


def cache_folder(environ=None) -> Path:
    """Where the command line keeps JAX's compiled programs: `$PDESOLVE_CACHE_DIR`, else
    `$XDG_CACHE_HOME/pdesolve/jax`, else `~/.cache/pdesolve/jax`."""
    environ = os.environ if environ is None else environ
    if environ.get("PDESOLVE_CACHE_DIR"):
        return Path(environ["PDESOLVE_CACHE_DIR"]).expanduser()
    base = environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "pdesolve" / "jax"


def enable_compilation_cache(environ=None) -> Path | None:
    """Switch on JAX's persistent compilation cache in `cache_folder()` (the command line does
    this before running an example; importing pdesolve never does). A later run in a fresh
    process then loads its compiled programs instead of compiling them again.

    Returns:
        The folder, or None when `PDESOLVE_NO_CACHE` is set to anything but "" or "0".
    """
    environ = os.environ if environ is None else environ
    if environ.get("PDESOLVE_NO_CACHE", "") not in ("", "0"):
        return None
    import jax

    folder = cache_folder(environ)
    jax.config.update("jax_compilation_cache_dir", str(folder))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", CACHE_MIN_COMPILE_TIME_S)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    return folder


def _run(examples, name: str, argv: list[str], prog: str) -> int:
    from .examples import get_example, public_results, run

    try:
        example = get_example(name, examples)
    except ValueError:
        known = ", ".join(sorted(e.name for e in examples)) or "(none)"
        print(f"pdesolve run: error: argument NAME: unknown example {name!r}; known examples: "
              f"{known}. See `pdesolve list`.", file=sys.stderr)
        return USAGE_ERROR
    try:
        args = vars(build_parser(example, prog).parse_args(argv))
    except SystemExit as exc:
        return _code(exc)
    quick, as_json, seed = args.pop("quick"), args.pop("json"), args.pop("seed")
    out = args.pop("out")
    if not args.pop("no_cache"):
        enable_compilation_cache()
    import jax

    jax.config.update("jax_enable_x64", True)
    try:
        results = run(example, quick=quick, seed=seed, out=out, **args)
    except ValueError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if as_json:
        print(json.dumps({"example": name, **public_results(results)}))
    else:
        print(example.format_text(results))
    sys.stdout.flush()
    if out is None or _process_index() != 0:
        return 0
    written, failed = write_outputs(results, Path(out), name)
    stream = sys.stderr if as_json else sys.stdout
    for path in written:
        print(f"wrote {path}", file=stream)
    for path, error in failed:
        print(f"{prog}: could not write {path}: {error}", file=sys.stderr)
    return 1 if failed else 0


def write_outputs(results: dict, out: Path, name: str):
    """Write the files and pictures of one example run into `out`.

    In this order (a failure of one item does not stop the others): `<name>_solution.npz` when
    the run returned a `_solution` that can save itself and did not report a `solution_file`,
    `<name>.vtu` (solution, exact, error), `<name>_solution.png` (solution and pointwise error),
    `<name>_history.png` when the solution's info holds loss/error histories. Figures of the
    example itself are its own business (examples write them to `--out`).

    Returns:
        `(written, failed)`: the paths written, and `(path, exception)` pairs that failed.
    """
    from . import io, plotting

    out.mkdir(parents=True, exist_ok=True)
    sol = results.get("_solution")
    jobs = []
    if sol is not None:
        if callable(getattr(sol, "save", None)) and not results.get("solution_file"):
            jobs.append((out / f"{name}_solution.npz", lambda p: io.save_solution(p, sol)))
        jobs.append((out / f"{name}.vtu", lambda p: io.export_solution_vtu(p, sol)))
        jobs.append((out / f"{name}_solution.png",
                     lambda p: plotting.save_figure(plotting.plot_solution(sol), p, dpi=120)))
        history = _loss_history(getattr(sol, "info", {}))
        if history:
            jobs.append((out / f"{name}_history.png", lambda p: plotting.save_figure(
                plotting.plot_history(history, ylabel="loss / error"), p, dpi=120)))
    written, failed = [], []
    for path, write in jobs:
        try:
            write(path)
        except Exception as exc:  # keep the other outputs of a long run
            failed.append((path, exc))
        else:
            written.append(path)
    return written, failed


def _process_index() -> int:
    import jax

    return jax.process_index()


def _loss_history(info) -> dict:
    """Histories in a solution's info: "loss" (one value per step) and "error" (values at the
    steps "error_steps"), as `plot_history` curves."""
    if not isinstance(info, dict):
        return {}
    curves = {}
    loss = info.get("loss")
    if loss is not None and np.ndim(loss) == 1 and len(loss):
        curves["loss"] = np.asarray(loss, dtype=np.float64)
    error, steps = info.get("error"), info.get("error_steps")
    if error is not None and steps is not None and np.ndim(error) == 1 and len(error):
        curves["relative L2 error"] = (np.asarray(steps), np.asarray(error, dtype=np.float64))
    return curves


def _code(exc: SystemExit) -> int:
    return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else USAGE_ERROR)

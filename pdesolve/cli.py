"""The command line: `python -m pdesolve list | run NAME [options] | --version`.

Every named problem comes from the one registry `pdesolve.examples.EXAMPLES`, shared with the
`problems/*.py` scripts; `run` parses the example's own options with the registry's parser.
A multi-process run starts one command per process with `--coordinator HOST:PORT
--num-processes N --process-id I` before the command; the processes join through
`jax.distributed.initialize` and solve one problem together (process 0 writes the files).
Exit codes: 0 success, 2 usage error (the message names the bad argument).
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ._version import __version__

USAGE_ERROR = 2


def build_cli() -> argparse.ArgumentParser:
    """The top-level parser: `list`, `run NAME ...`, `--version`."""
    parser = argparse.ArgumentParser(
        prog="pdesolve",
        description="Machine-learning PDE solvers in JAX: run the named example problems.",
        epilog="`pdesolve run NAME --help` shows the options of one example.",
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


def main(argv: list[str] | None = None) -> int:
    """Run the command line with `argv` (default `sys.argv[1:]`) and return the exit code.

    Returns:
        0 on success, 2 on a usage error (unknown command, example or option, or a value the
        example rejects with ValueError); the message goes to stderr.
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
    if args.command == "list":
        return _list(args.json)
    if args.coordinator or args.num_processes is not None or args.process_id is not None:
        error = _initialize_distributed(args)
        if error:
            print(f"pdesolve: error: {error}", file=sys.stderr)
            return USAGE_ERROR
    return _run(args.name, args.options)


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


def _list(as_json: bool) -> int:
    from .examples import EXAMPLES

    if as_json:
        print(json.dumps({name: EXAMPLES[name].description for name in sorted(EXAMPLES)}))
        return 0
    width = max((len(name) for name in EXAMPLES), default=0)
    for name in sorted(EXAMPLES):
        print(f"{name:<{width}}  {EXAMPLES[name].description}")
    return 0


def _run(name: str, options: list[str]) -> int:
    from .examples import EXAMPLES, build_parser, run_example

    prog = f"pdesolve run {name}"
    if name not in EXAMPLES:
        known = ", ".join(sorted(EXAMPLES)) or "(none registered)"
        print(f"pdesolve run: error: argument NAME: unknown example {name!r}; known examples: "
              f"{known}. See `pdesolve list`.", file=sys.stderr)
        return USAGE_ERROR
    try:
        args = build_parser(EXAMPLES[name], prog).parse_args(options)
    except SystemExit as exc:
        return _code(exc)
    try:
        results = run_example(name, options, prog)
    except SystemExit as exc:
        return _code(exc)
    except ValueError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if args.out is None or _process_index() != 0:
        return 0
    written, failed = write_outputs(results, Path(args.out), name)
    stream = sys.stderr if args.json else sys.stdout
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

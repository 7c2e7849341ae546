"""Bad input, exhaustively (issue 15).

Every public constructor and solver argument is fed bad values — wrong types, NaN/inf, empty or
wrongly shaped arrays, zero, negative and absurd sizes, keys that are not PRNG keys, functions
that return the wrong shape or NaN or raise, misspelled option names, garbage and truncated mesh
files, self-intersecting polygons — drawn by hypothesis or listed. Each must be refused with a
`TypeError` or `ValueError` whose message names the argument and shows the value (or its type,
shape or what went wrong), before any expensive work: the least-squares assembly and the training
steps are replaced by a sentinel that fails the case when reached.

Every input tried is counted once (by case and value); `pytest -s` prints the tally at the end
of the session ("bad inputs tried / passed"). Cases whose fix belongs to files owned by others
(the training loop, checkpoints, solution files) are listed in `OWNED_ELSEWHERE` and run by
`test_owned_elsewhere`; they are not xfailed.
"""

import collections
import dataclasses
import math
import os
import re
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
MESH_FILE = ROOT / "geometry" / "porous_plate.msh"
VTU_FILE = ROOT / "geometry" / "l_block.vtu"
# a memory limit for the size cases, so that "absurd" means the same on every machine
SMALL_MACHINE = "16G"


def hyp(n: int):
    """Bounded, reproducible hypothesis settings (the inputs are the same on every run)."""
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


# -- the tally -------------------------------------------------------------------------------
class ExpensiveWork(BaseException):
    """Raised by the sentinels standing in for the least squares and the training steps."""


@dataclasses.dataclass
class Tally:
    """Outcome of every distinct bad input: (case, value) -> None (passed) or what went wrong."""

    outcomes: dict = dataclasses.field(default_factory=dict)
    slowest: tuple = (0.0, "")

    def record(self, case, value, problem, seconds):
        self.outcomes[(case, _short(value))] = problem
        if seconds > self.slowest[0]:
            self.slowest = (seconds, case)

    def report(self) -> str:
        tried = len(self.outcomes)
        failed = {k: v for k, v in self.outcomes.items() if v is not None}
        by_group = collections.Counter(case.split(":")[0] for case, _ in self.outcomes)
        bad_group = collections.Counter(case.split(":")[0] for case, _ in failed)
        lines = ["", "=" * 78,
                 f"bad inputs tried: {tried}, passed: {tried - len(failed)}, "
                 f"failed: {len(failed)} (slowest refusal {self.slowest[0]:.2f} s, "
                 f"{self.slowest[1]})"]
        for group in sorted(by_group):
            lines.append(f"  {group:<28} tried {by_group[group]:>4}  passed "
                         f"{by_group[group] - bad_group[group]:>4}")
        for (case, value), problem in sorted(failed.items())[:400]:
            lines.append(f"  FAILED {case} [{value}]: {problem}")
        lines.append("=" * 78)
        return "\n".join(lines)


TALLY = Tally()


@pytest.fixture(scope="session", autouse=True)
def _print_tally():
    yield
    print(TALLY.report())


def _short(value) -> str:
    if isinstance(value, (np.ndarray, jax.Array)):
        return f"{type(value).__name__} {value.dtype} {tuple(value.shape)}"
    text = getattr(value, "__name__", None) if callable(value) else None
    text = text or repr(value)
    return text if len(text) <= 90 else text[:87] + "..."


_CUE = r"(\s*(=|\[|\(|:)|\s+(must|is|are|has|have|gave|needs|names|of|and|or|was|does|"
_CUE += r"cannot|failed|returned|holds|contains)\b|['`])"


def names_argument(arg, message: str) -> bool:
    """Whether `message` names `arg` (one name or a tuple of alternatives).

    Names of one or two letters (a, b, f, g, n, lo, t0, ...) count only with a syntactic cue
    ("n must", "a=", "'f'"), so that the article "a" does not name the argument a.
    """
    for name in (arg,) if isinstance(arg, str) else arg:
        escaped = re.escape(name)
        if len(name) >= 3 and re.search(rf"(?<![\w]){escaped}(?!\w)", message):
            return True
        if re.search(rf"(?<![\w]){escaped}{_CUE}", message) or f"'{name}'" in message:
            return True
    return False


def evidence(value) -> list[str]:
    """Substrings of which one must appear in the message: the value, its shape or its type."""
    out = []
    if isinstance(value, str):
        out.append(repr(value))
    elif value is None or isinstance(value, (bool, int, float, complex, np.number)):
        out += [repr(value), str(value)]
        if isinstance(value, (float, np.floating)) and math.isfinite(value) and value == int(
                value) and abs(value) < 1e15:
            out.append(str(int(value)))
    elif isinstance(value, (list, tuple, dict)):
        out += [repr(value), str(value)]
        try:  # messages show numbers after conversion: [1, 2] as [1.0, 2.0]
            out.append(str(np.asarray(value, dtype=np.float64).tolist()))
        except Exception:
            pass
    if isinstance(value, (np.ndarray, jax.Array, list, tuple)):
        try:
            shape = tuple(np.shape(value))
            out += [f"shape {shape}", str(shape)]
        except Exception:
            pass
    if isinstance(value, (np.ndarray, jax.Array)) and value.size <= 6:
        try:
            out.append(str(np.asarray(value).tolist()))
        except Exception:
            pass
    if not isinstance(value, (bool, int, float, str, type(None), list, tuple, dict)):
        out.append(type(value).__name__)
        text = repr(value)
        if len(text) < 80 and " at 0x" not in text:
            out.append(text)
    return [e for e in out if e.strip()]


def shows_value(candidates, message: str) -> bool:
    for c in candidates:
        if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w])", message) or (
                not c[-1].isalnum() and c in message):
            return True
    return False


class Checker:
    """Runs bad inputs of one test, records each in the tally, fails the test at `done()`."""

    def __init__(self, name):
        self.name, self.failures = name, []

    def check(self, case, arg, value, call, *, shows=None):
        """`call()` must raise TypeError/ValueError naming `arg` and showing `value` (for a file
        that does not exist, FileNotFoundError naming the path)."""
        case = f"{self.name}:{case}"
        start = time.perf_counter()
        problem = None
        try:
            call()
        except (TypeError, ValueError, FileNotFoundError) as err:
            message = f"{type(err).__name__}: {err}"
            if not names_argument(arg, str(err)):
                problem = f"does not name {arg!r}: {message[:300]}"
            elif not shows_value(evidence(value) + list(shows or ()), str(err)):
                problem = f"does not show the value {_short(value)}: {message[:300]}"
        except ExpensiveWork:
            problem = "accepted: reached the expensive work (assembly / training steps)"
        except KeyboardInterrupt:
            raise
        except BaseException as err:  # noqa: B036 - SystemExit from a library counts as a failure
            problem = f"{type(err).__name__}: {str(err)[:300]}"
        else:
            problem = "accepted without an error"
        seconds = time.perf_counter() - start
        if problem is None and seconds > 10:
            problem = f"refused only after {seconds:.1f} s"
        TALLY.record(case, value, problem, seconds)
        if problem is not None:
            self.failures.append(f"{case} [{_short(value)}]: {problem}")

    def values(self, case, arg, values, call, *, shows=None):
        for value in values:
            self.check(case, arg, value, lambda v=value: call(v), shows=shows)

    def misspelled(self, case, wrong, right, call):
        """`call({wrong: ...})` must raise TypeError naming `wrong` and listing `right`."""
        self.check(case, right, wrong, lambda: call({wrong: 1}))

    def explore(self, case, arg, strategy, call, *, n=15, shows=None):
        @hyp(n)
        @given(strategy)
        def run(value):
            self.check(case, arg, value, lambda: call(value), shows=shows)

        run()

    def done(self):
        assert not self.failures, f"{len(self.failures)} bad inputs not refused properly:\n" + (
            "\n".join(self.failures[:60]))


@pytest.fixture
def reject(request):
    return Checker(request.node.name.removeprefix("test_"))


@pytest.fixture(autouse=True)
def _no_expensive_work(monkeypatch):
    """The least squares and the training steps raise `ExpensiveWork` when reached."""

    def refuse(*args, **kwargs):
        raise ExpensiveWork

    monkeypatch.setattr("pdesolve.elm._celm.solve_system", refuse)
    monkeypatch.setattr("pdesolve.elm._pielm.solve_system", refuse)
    real_train = pds.training.train

    def train(loss_fn, params, **kwargs):
        kwargs["evaluate"] = refuse if kwargs.get("evaluate") is not None else None
        return real_train(refuse, params, **kwargs)

    monkeypatch.setattr("pdesolve.pinn._solve.train", train)


def reaches_work(call):
    """A valid call must get as far as the sentinel (so bad inputs are refused for themselves)."""
    with pytest.raises(ExpensiveWork):
        call()


# -- shared bad values -------------------------------------------------------------------------
NAN, INF = float("nan"), float("inf")
NOT_NUMBERS = ["1", "abc", "", None, [], [1.0, 2.0], {"a": 1}, object(), b"1", 1 + 1j]
BAD_COUNTS = [0, -1, -10**6, 1.5, 2.0, NAN, INF, True, False, "10", None, np.float64(5.0),
              [10], 10 + 0j]
BAD_POSITIVE = [0, 0.0, -1, -1e-300, NAN, INF, -INF, "5", "abc", True, [5.0], 1j, object()]
counts = st.one_of(st.integers(max_value=0), st.floats(allow_nan=True, allow_infinity=True),
                   st.text(max_size=4), st.booleans())
non_positive = st.one_of(st.floats(max_value=0.0), st.integers(max_value=0),
                         st.just(NAN), st.just(INF), st.text(min_size=1, max_size=4))
keys = jax.random.PRNGKey(0)
_typed = jax.random.key(0)
BAD_KEYS = [0, 5, -1, 2**40, 1.5, NAN, "0", "key", None, True, [0, 0], (0, 0), object(),
            np.zeros(3, np.uint32), np.zeros(1, np.uint32), np.zeros((2, 2), np.uint32),
            np.zeros((), np.uint32), np.zeros(2, np.int32), np.zeros(2, np.float32),
            np.zeros(2, np.int64), jnp.zeros(4, jnp.uint32), jnp.zeros(2, jnp.float32),
            jax.random.split(_typed), jax.random.split(keys), _typed[None]]
bad_key_arrays = hnp.arrays(
    st.sampled_from([np.uint32, np.int32, np.int64, np.float64, np.uint8]),
    hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
).filter(lambda a: not (a.dtype == np.uint32 and a.shape == (2,)))
bad_keys = st.one_of(st.integers(), st.floats(), st.text(max_size=3), bad_key_arrays)


def key_evidence(value):
    return [type(value).__name__, *([str(tuple(value.shape))] if hasattr(value, "shape") else [])]


# -- fixtures: valid objects -------------------------------------------------------------------
SQUARE = geo.Rectangle((0, 0), (1, 1))
DISK = geo.Disk((0, 0), 1)
L_SHAPE = geo.Polygon([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)])
TWO_TRIANGLES = geo.Mesh(np.array([[0.0, 0], [1, 0], [1, 1], [0, 1]]),
                         np.array([[0, 1, 2], [0, 2, 3]]))
UNION = DISK | geo.Rectangle((0, -0.5), (2, 0.5))
LINE = geo.Interval(0, 1)
SPACETIME = geo.SpaceTime(SQUARE, 0, 1)
u2 = lambda x: jnp.sin(x[0]) * jnp.cos(x[1])
u_xt = lambda x, t: jnp.exp(-t) * jnp.sin(jnp.pi * x[0])
one = lambda x: 1.0


def biharmonic():
    return _cached("bih", lambda: pds.Biharmonic.manufactured(SQUARE, u2))


def poisson():
    return _cached("poi", lambda: pds.Poisson.manufactured(DISK, u2))


def ade():
    return _cached("ade", lambda: pds.AdvectionDiffusion.manufactured(LINE, (0, 1), 0.1, 1.0,
                                                                       u_xt))


_CACHE = {}


def _cached(name, build):
    if name not in _CACHE:
        _CACHE[name] = build()
    return _CACHE[name]


def returns_vector(x, *rest):
    return jnp.stack([x[0], x[0]])


def raises_inside(x, *rest):
    raise ZeroDivisionError("boom in a user function")


def not_traceable(x, *rest):
    return float(x[0])


def returns_nan(x, *rest):
    return jnp.nan * x[0]


BAD_FUNCTIONS = [(5, ["int"]), (None, ["None"]), ("x**2", ["'x**2'"]), ([1.0], ["[1.0]"]),
                 (returns_vector, ["(2,)"]), (raises_inside, ["ZeroDivisionError"]),
                 (not_traceable, ["Concretization", "TracerArrayConversion", "Tracer",
                                  "float"]),
                 (lambda: 1.0, ["positional", "argument"])]


# ==============================================================================================
# geometry
# ==============================================================================================
def test_interval(reject):
    reject.values("a", "a", [NAN, INF, -INF, *NOT_NUMBERS], lambda v: geo.Interval(v, 1))
    reject.values("b", "b", [NAN, INF, -INF, *NOT_NUMBERS], lambda v: geo.Interval(0, v))
    reject.explore("a>=b", ("a", "b"), st.tuples(st.floats(-1e6, 1e6), st.floats(0, 1e6)),
                   lambda ab: geo.Interval(ab[0], ab[0] - ab[1]), shows=[">="])
    reject.done()


def test_box_and_rectangle(reject):
    reject.values("rectangle lo", "lo", [[0], [0, 0, 0], [NAN, 0], [0, INF], "ab", None, [],
                                         [[0, 0]], ["a", "b"]],
                  lambda v: geo.Rectangle(v, (1, 1)))
    reject.values("rectangle hi", "hi", [[1], [1, 1, 1], [NAN, 1], None, "1", []],
                  lambda v: geo.Rectangle((0, 0), v))
    reject.values("box lo", "lo", [[], np.zeros((0,)), [[0, 0], [1, 1]], [NAN] * 3, "abc",
                                   None, object()],
                  lambda v: geo.Box(v, np.ones(3)))
    reject.values("box hi", "hi", [[1, 1], [1, 1, 1, 1], [1, NAN, 1], [], None],
                  lambda v: geo.Box(np.zeros(3), v))
    reject.explore("box lo>=hi", ("lo", "hi"),
                   st.lists(st.floats(-100, 100), min_size=1, max_size=4).flatmap(
                       lambda lo: st.tuples(st.just(lo), st.integers(0, len(lo) - 1),
                                            st.floats(0, 10))),
                   lambda v: geo.Box(v[0], [x + 1 if i != v[1] else x - v[2]
                                            for i, x in enumerate(v[0])]), shows=[">="])
    reject.done()


def test_disk_and_ball(reject):
    reject.values("disk center", "center", [[0], [0, 0, 0], [NAN, 0], [INF, 0], "xy", None,
                                            [], [[0, 0]]],
                  lambda v: geo.Disk(v, 1))
    reject.values("disk radius", "radius", BAD_POSITIVE + [None, [], [1, 2]],
                  lambda v: geo.Disk((0, 0), v))
    reject.explore("disk radius drawn", "radius", non_positive, lambda v: geo.Disk((0, 0), v))
    reject.values("ball center", "center", [[], [NAN] * 3, "abc", None, np.zeros((2, 3))],
                  lambda v: geo.Ball(v, 1))
    reject.values("ball radius", "radius", BAD_POSITIVE, lambda v: geo.Ball((0, 0, 0), v))
    reject.done()


def _rotations(n):
    base = list(range(n))
    rots = [base[i:] + base[:i] for i in range(n)]
    return rots + [r[::-1] for r in rots]


def test_polygon(reject):
    explicit = [
        [(0, 0), (1, 1), (1, 0), (0, 1)],                     # bowtie
        [(0, 0), (1, 0), (2, 0)],                             # collinear
        [(0, 0), (1, 0), (1, 1), (0, 0)],                     # first vertex repeated
        [(0, 0), (1, 0)],                                     # two vertices
        [],
        [(0, 0), (1, 0), (NAN, 1)],
        [(0, 0), (1, 0), (INF, 1)],
        [(0, 0, 0), (1, 0, 0), (0, 1, 0)],
        [0, 1, 2, 3],
        "square",
        None,
        [("a", "b"), ("c", "d"), ("e", "f")],
        [(0, 0), (2, 0), (2, 2), (1, 2), (1, -1), (0, 2)],    # an edge crosses back
        [(0, 0), (2, 0), (1, 0), (1, 1)],                     # folded edge
    ]
    reject.values("vertices", "vertices", explicit, lambda v: geo.Polygon(v),
                  shows=["edge", "collinear", "zero area", "distinct", "at least 3", "finite",
                         "shape"])
    reject.values("exponent", "exponent", [0, -1, 1.5, "2", True, None, NAN],
                  lambda v: geo.Polygon([(0, 0), (1, 0), (0, 1)], exponent=v))

    @st.composite
    def crossing(draw):
        n = draw(st.integers(4, 8))
        angles = np.sort(draw(st.lists(st.floats(0, 2 * np.pi), min_size=n, max_size=n,
                                       unique=True)))
        gaps = np.diff(np.r_[angles, angles[0] + 2 * np.pi])
        if np.min(gaps) < 0.05:
            angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
        i, j = draw(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
            lambda p: p[0] != p[1]))
        order = list(range(n))
        order[i], order[j] = order[j], order[i]
        if order in _rotations(n):
            order = [1, 0, *range(2, n)] if n > 4 else [0, 2, 1, 3]
        pts = np.stack([np.cos(angles), np.sin(angles)], axis=1)
        return pts[order]

    reject.explore("self-intersecting", "vertices", crossing(),
                   lambda v: geo.Polygon(v), shows=["edge"], n=25)
    reject.explore("collinear", "vertices",
                   st.tuples(st.floats(-10, 10), st.floats(-10, 10), st.floats(0.1, 5),
                             st.floats(0, 2 * np.pi), st.integers(3, 7)),
                   lambda v: geo.Polygon([(v[0] + k * v[2] * np.cos(v[3]) * (1 + k),
                                           v[1] + k * v[2] * np.sin(v[3]) * (1 + k))
                                          for k in range(v[4])]),
                   shows=["edge", "collinear", "zero area"], n=10)
    square = [(0, 0), (1, 0), (1, 1), (0, 1)]
    reject.explore("duplicate vertex", "vertices", st.integers(0, 3),
                   lambda k: geo.Polygon(square + [square[k]]), shows=["distinct", "edge"], n=4)
    reject.done()


def test_mesh_arrays(reject):
    pts = np.array([[0.0, 0], [1, 0], [1, 1], [0, 1]])
    cells = np.array([[0, 1, 2], [0, 2, 3]])
    reject.values("points", "points", [pts[:, :1], np.zeros((4, 4)), pts.ravel(), None, "pts",
                                       np.where(pts == 1, NAN, pts), np.where(pts == 1, INF, pts),
                                       np.zeros((0, 2)), [["a", "b"]] * 4],
                  lambda v: geo.Mesh(v, cells), shows=["[nan,", "[inf,"])
    reject.values("cells", "cells", [cells.astype(float), cells[:, :2], cells.ravel(),
                                     np.array([[0, 1, 7]]), np.array([[0, -1, 2]]),
                                     np.zeros((0, 3), int), None, "cells",
                                     np.array([[0, 1, 1]]), np.array([[0, 0, 0]]),
                                     cells + 0.5],
                  lambda v: geo.Mesh(pts, v),
                  shows=["float64", "degenerate", "0..3", "empty", "positive volume"])
    reject.values("degenerate cell", "cells", [np.array([[0, 1, 2], [0, 1, 4]])],
                  lambda v: geo.Mesh(np.r_[pts, [[2.0, 0.0]]], v), shows=["degenerate"])
    reject.values("exponent", "exponent", [0, 1.5, "2"],
                  lambda v: geo.Mesh(pts, cells, exponent=v))
    reject.done()


def test_mesh_files(reject, tmp_path):
    raw = MESH_FILE.read_bytes()
    vtu = VTU_FILE.read_bytes()
    files = {
        "garbage.msh": b"garbage\x00\x01 not a mesh",
        "empty.msh": b"",
        "empty.vtu": b"",
        "truncated.msh": raw[: len(raw) // 3],
        "truncated2.msh": raw[: len(raw) * 2 // 3],
        "truncated.vtu": vtu[: len(vtu) // 2],
        "garbage.vtu": b"<VTKFile><nonsense",
        "garbage.vtk": b"# vtk DataFile Version\nnonsense\n",
        "notes.txt": b"hello",
        "porous.xyz": raw,
        "noextension": raw,
        "garbage.xdmf": b"<?xml version='1.0'?><Xdmf><Domain><Grid>",
        "lines.msh": (b"$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n2\n1 0 0 0\n2 1 0 0\n"
                      b"$EndNodes\n$Elements\n1\n1 1 2 0 1 1 2\n$EndElements\n"),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        reject.check(f"from_file {name}", "path", path, lambda p=path: geo.Mesh.from_file(p),
                     shows=[name])
    reject.check("from_file folder", "path", tmp_path, lambda: geo.Mesh.from_file(tmp_path),
                 shows=[tmp_path.name])
    missing = tmp_path / "missing.msh"
    reject.check("from_file missing", "path", missing, lambda: geo.Mesh.from_file(missing),
                 shows=["missing.msh"])
    reject.values("from_file not a path", "path", [5, None, 1.5, ["a.msh"]],
                  lambda v: geo.Mesh.from_file(v))

    def random_file(args):
        data, suffix = args
        path = tmp_path / f"random{suffix}"
        path.write_bytes(data)
        return geo.Mesh.from_file(path)

    reject.explore("from_file random bytes", "path",
                   st.tuples(st.binary(max_size=200), st.sampled_from(
                       [".msh", ".vtu", ".vtk", ".xdmf", ".obj", ".off", ".stl", ".ply"])),
                   random_file, shows=["random"], n=20)

    def truncated(args):
        fraction, which = args
        src = raw if which == ".msh" else vtu
        path = tmp_path / f"cut{which}"
        path.write_bytes(src[: int(len(src) * fraction)])
        return geo.Mesh.from_file(path)

    reject.explore("from_file truncated", "path",
                   st.tuples(st.floats(0.05, 0.9), st.sampled_from([".msh", ".vtu"])),
                   truncated, shows=["cut"], n=12)
    reject.done()


def test_spacetime_and_csg(reject):
    reject.values("spacetime domain", "domain", [5, None, "square", SPACETIME, [0, 1]],
                  lambda v: geo.SpaceTime(v, 0, 1))
    reject.values("spacetime t0", "t0", [NAN, INF, "abc", None, [0, 1], "0"],
                  lambda v: geo.SpaceTime(SQUARE, v, 1))
    reject.values("spacetime t1", "t1", [NAN, -INF, "x", None, 0, -1],
                  lambda v: geo.SpaceTime(SQUARE, 0, v), shows=["t1=0.0", "t1=-1.0"])
    reject.explore("spacetime t1<=t0", ("t0", "t1"), st.floats(0, 1e6),
                   lambda d: geo.SpaceTime(SQUARE, 1.0, 1.0 - d), shows=["t0=1.0"])
    operand = [5, None, "disk", 1.5, SPACETIME, np.zeros(2)]
    reject.values("union operand", ("operand", "b"), operand, lambda v: DISK | v)
    reject.values("intersection operand", ("operand", "b"), operand, lambda v: DISK & v)
    reject.values("difference operand", ("operand", "b"), operand, lambda v: DISK - v)
    reject.values("Union a", ("operand", "a"), operand, lambda v: geo.Union(v, DISK))
    reject.values("dimension mismatch", ("operand", "operands", "dimension"),
                  [LINE, geo.Ball((0, 0, 0), 1)], lambda v: geo.Difference(DISK, v),
                  shows=["1-D", "3-D"])
    reject.done()


DOMAINS = {"rectangle": SQUARE, "disk": DISK, "polygon": L_SHAPE, "mesh": TWO_TRIANGLES,
           "union": UNION, "spacetime": SPACETIME, "ball3": geo.Ball((0, 0, 0), 1)}


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_sampling(reject, name):
    dom = DOMAINS[name]
    for kind in ("interior", "boundary"):
        sample = getattr(dom, f"sample_{kind}")
        reject.values(f"{kind} n", "n", BAD_COUNTS, lambda v, s=sample: s(v, key=keys))
        reject.explore(f"{kind} n drawn", "n", counts, lambda v, s=sample: s(v, key=keys), n=8)
        reject.values(f"{kind} key", "key", BAD_KEYS, lambda v, s=sample: s(8, key=v),
                      shows=None)
        reject.explore(f"{kind} key drawn", "key", bad_keys, lambda v, s=sample: s(8, key=v),
                       n=8)
        reject.values(f"{kind} method", "method", ["foo", "Random", "", 5, None, ["sobol"]],
                      lambda v, s=sample: s(8, key=keys, method=v))
        reject.misspelled(f"{kind} misspelled", "methd", "method",
                          lambda kw, s=sample: s(8, key=keys, **kw))
    if name == "spacetime":
        reject.values("initial key", "key", BAD_KEYS[:8], lambda v: dom.sample_initial(8, key=v))
    reject.done()


def test_sampling_sizes(reject, monkeypatch):
    monkeypatch.setenv("PDESOLVE_MEMORY_LIMIT", SMALL_MACHINE)
    for name in ("rectangle", "disk", "polygon", "mesh"):
        dom = DOMAINS[name]
        assert dom.sample_interior(10**5, key=keys).shape == (10**5, 2)  # fits: not refused
        reject.explore(f"{name} absurd n", "n", st.integers(10**10, 10**15),
                       lambda v, d=dom: d.sample_interior(v, key=keys), n=4,
                       shows=["GiB", "TiB", "PiB"])
        reject.values(f"{name} absurd boundary n", "n", [10**11],
                      lambda v, d=dom: d.sample_boundary(v, key=keys),
                      shows=["GiB", "TiB", "PiB"])
    reject.done()


def test_contains_and_distance(reject):
    reject.values("contains x", "x", [np.zeros((3, 3)), np.zeros(5), [[NAN, 0]], "x", None,
                                      np.zeros((2, 2, 2))],
                  lambda v: DISK.contains(v), shows=["NaN", "(n, 2)"])
    reject.values("distance x", "x", [np.zeros((3, 3)), np.zeros((2, 2, 2)), np.zeros(3)],
                  lambda v: DISK.distance(v))
    reject.done()


# ==============================================================================================
# problems
# ==============================================================================================
def test_poisson(reject):
    reject.values("domain", "domain", [5, None, "disk", SPACETIME, (0, 1)],
                  lambda v: pds.Poisson(v, one, one))
    for arg in ("f", "g"):
        for fn, shows in BAD_FUNCTIONS:
            reject.check(f"{arg} function", arg, fn,
                         lambda fn=fn, arg=arg: pds.Poisson(DISK, **{"f": one, "g": one,
                                                                      arg: fn}),
                         shows=shows)
    reject.values("bc", "bc", ["Dirichlet", "foo", "", 5, None, ["dirichlet"]],
                  lambda v: pds.Poisson(DISK, one, one, bc=v))
    reject.values("alpha", "alpha", [NAN, INF, -1, 0, "abc", "1", [1.0], True],
                  lambda v: pds.Poisson(DISK, one, lambda x, n: 1.0, bc="robin", alpha=v))
    reject.values("alpha without robin", "alpha", [1.0],
                  lambda v: pds.Poisson(DISK, one, one, alpha=v))
    reject.values("robin without alpha", "alpha", [None],
                  lambda v: pds.Poisson(DISK, one, lambda x, n: 1.0, bc="robin", alpha=v))
    for fn, shows in BAD_FUNCTIONS:
        if fn is not None:
            reject.check("exact", "exact", fn,
                         lambda fn=fn: pds.Poisson(DISK, one, one, exact=fn), shows=shows)
        reject.check("manufactured exact", "exact", fn,
                     lambda fn=fn: pds.Poisson.manufactured(DISK, fn), shows=shows)
    reject.values("manufactured bc", "bc", ["Neumann", "foo", 5, None],
                  lambda v: pds.Poisson.manufactured(DISK, u2, bc=v))
    reject.values("manufactured alpha", "alpha", [NAN, -1.0, "x"],
                  lambda v: pds.Poisson.manufactured(DISK, u2, bc="robin", alpha=v))
    reject.misspelled("misspelled", "excat", "exact", lambda kw: pds.Poisson(DISK, one, one, **kw))
    reject.misspelled("manufactured misspelled", "bcs", "bc",
                      lambda kw: pds.Poisson.manufactured(DISK, u2, **kw))
    reject.done()


def test_biharmonic(reject):
    reject.values("domain", "domain", [5, None, "square", SPACETIME],
                  lambda v: pds.Biharmonic(v, one, one, h=one))
    for arg in ("f", "g", "h"):
        for fn, shows in BAD_FUNCTIONS:
            reject.check(f"{arg} function", arg, fn,
                         lambda fn=fn, arg=arg: pds.Biharmonic(
                             SQUARE, **{"f": one, "g": one, "h": one, arg: fn}), shows=shows)
    for fn, shows in BAD_FUNCTIONS[2:-1]:
        reject.check("dudn function", "dudn", fn,
                     lambda fn=fn: pds.Biharmonic(SQUARE, one, one, dudn=fn), shows=shows)
    reject.check("dudn arity", "dudn", one, lambda: pds.Biharmonic(SQUARE, one, one, dudn=one),
                 shows=["positional", "argument", "(x, n)"])
    reject.check("both h and dudn", ("h", "dudn"), one,
                 lambda: pds.Biharmonic(SQUARE, one, one, h=one, dudn=lambda x, n: 0.0),
                 shows=["h=", "dudn="])
    reject.check("neither h nor dudn", ("h", "dudn"), None,
                 lambda: pds.Biharmonic(SQUARE, one, one))
    reject.values("manufactured bc", "bc", ["Navier", "simply", "", 5, None],
                  lambda v: pds.Biharmonic.manufactured(SQUARE, u2, bc=v))
    for fn, shows in BAD_FUNCTIONS:
        reject.check("manufactured exact", "exact", fn,
                     lambda fn=fn: pds.Biharmonic.manufactured(SQUARE, fn), shows=shows)
    reject.misspelled("misspelled", "bcs", "bc",
                      lambda kw: pds.Biharmonic.manufactured(SQUARE, u2, **kw))
    reject.misspelled("constructor misspelled", "dudN", "dudn",
                      lambda kw: pds.Biharmonic(SQUARE, one, one, h=one, **kw))
    reject.done()


def _ade(**changes):
    args = dict(domain=LINE, t_span=(0, 1), diffusivity=0.1, velocity=1.0,
                source=lambda x, t: 0.0, initial=lambda x: jnp.sin(x[0]),
                dirichlet=lambda x, t: 0.0)
    args.update(changes)
    return pds.AdvectionDiffusion(**args)


def _ade_manufactured(**changes):
    args = dict(domain=LINE, t_span=(0, 1), diffusivity=0.1, velocity=1.0, exact=u_xt)
    args.update(changes)
    return pds.AdvectionDiffusion.manufactured(**args)


def test_advection_diffusion(reject):
    reject.values("domain", "domain", [5, None, "line", SPACETIME],
                  lambda v: _ade(domain=v))
    bad_spans = [(1, 0), (0, 0), (0, NAN), (0, INF), (NAN, 1), "ab", 5, (0,), (0, 1, 2),
                 ("a", "b"), [None, 1], {}, -1.0]
    reject.values("t_span", "t_span", bad_spans, lambda v: _ade(t_span=v))
    reject.values("t_span manufactured", "t_span", bad_spans,
                  lambda v: _ade_manufactured(t_span=v))
    reject.explore("t_span drawn", "t_span", st.tuples(st.floats(allow_nan=True),
                                                       st.floats(allow_nan=True)).filter(
        lambda s: not (math.isfinite(s[0]) and math.isfinite(s[1]) and s[1] > s[0])),
        lambda v: _ade(t_span=v), n=10)
    bad_kappa = [NAN, INF, -1, -1e-9, "abc", None, [0.1, 0.2], [[0.1]], 1j, [NAN], [-0.1],
                 True, object()]
    reject.values("diffusivity", "diffusivity", bad_kappa, lambda v: _ade(diffusivity=v))
    reject.values("diffusivity manufactured", "diffusivity", bad_kappa,
                  lambda v: _ade_manufactured(diffusivity=v))
    reject.explore("diffusivity drawn", "diffusivity",
                   st.one_of(st.floats(max_value=-1e-12), st.just(NAN), st.just(INF)),
                   lambda v: _ade(diffusivity=v), n=8)
    bad_velocity = [NAN, [NAN], INF, [-INF], "abc", None, [1.0, 2.0], [[1.0]], 1j, object()]
    reject.values("velocity", "velocity", bad_velocity, lambda v: _ade(velocity=v))
    reject.values("velocity manufactured", "velocity", bad_velocity,
                  lambda v: _ade_manufactured(velocity=v))
    reject.values("velocity 2D", "velocity", [[1.0, NAN], [NAN, NAN], [1.0], [1.0, 2.0, 3.0]],
                  lambda v: pds.AdvectionDiffusion.manufactured(
                      SQUARE, (0, 1), 0.1, v, lambda x, t: x[0] * x[1] * t))
    vector3 = lambda x, t: jnp.ones(3)
    reject.values("velocity function", "velocity", [vector3, raises_inside, not_traceable],
                  lambda v: _ade(velocity=v),
                  shows=["(3,)", "ZeroDivisionError", "Concretization", "Tracer"])
    for arg in ("source", "exact", "dirichlet", "initial", "neumann"):
        for fn, shows in BAD_FUNCTIONS:
            if fn is None and arg != "source":
                continue  # None is the default (or "not given") of these
            extra = {"dirichlet": None} if arg == "neumann" else {}
            reject.check(f"{arg} function", arg, fn,
                         lambda fn=fn, arg=arg, extra=extra: _ade(**{arg: fn, **extra}),
                         shows=shows)
    reject.check("initial missing", "initial", None, lambda: _ade(initial=None),
                 shows=["t_span"])
    reject.check("initial with steady", ("initial", "t_span"), None,
                 lambda: _ade(t_span=None, source=lambda x: 0.0, dirichlet=lambda x: 0.0))
    reject.check("no boundary condition", ("dirichlet", "neumann"), None,
                 lambda: _ade(dirichlet=None))
    reject.check("both conditions", ("dirichlet", "neumann"), "left",
                 lambda: _ade(neumann={"left": lambda x, t: 0.0}), shows=["both"])
    reject.values("unknown part", ("dirichlet",), [{"nope": lambda x, t: 0.0},
                                                   {5: lambda x, t: 0.0}],
                  lambda v: _ade(dirichlet=v), shows=["'nope'", "5"])
    reject.values("part function", ("dirichlet",), [{"left": 5, "right": one},
                                                    {"boundary": "zero"}],
                  lambda v: _ade(dirichlet=v), shows=["5", "'zero'"])
    reject.values("manufactured bc", "bc", ["Dirichlet", "robin", "", 5, None,
                                            {"left": "foo", "right": "dirichlet"},
                                            {"nope": "dirichlet"}, {"left": "dirichlet"},
                                            ["dirichlet"]],
                  lambda v: _ade_manufactured(bc=v), shows=["'foo'", "'nope'", "['right']"])
    for fn, shows in BAD_FUNCTIONS:
        reject.check("manufactured exact", "exact", fn,
                     lambda fn=fn: _ade_manufactured(exact=fn), shows=shows)
    reject.misspelled("misspelled", "diffusion", "diffusivity",
                      lambda kw: pds.AdvectionDiffusion.manufactured(
                          LINE, (0, 1), velocity=1.0, exact=u_xt, **kw))
    reject.misspelled("constructor misspelled", "neuman", "neumann",
                      lambda kw: _ade(**kw))
    reject.done()


# ==============================================================================================
# solvers
# ==============================================================================================
def _elm_cases(reject, solve, problem, extra=()):
    """The settings shared by celm.solve and pielm.solve."""
    call = lambda **kw: solve(problem, **{"key": keys, **kw})
    reaches_work(call)
    reject.values("problem", "problem", [5, None, "problem", ade(), SQUARE],
                  lambda v: solve(v, key=keys))
    reject.values("key", "key", BAD_KEYS, lambda v: call(key=v))
    reject.explore("key drawn", "key", bad_keys, lambda v: call(key=v), n=10)
    int_settings = {"hidden": BAD_COUNTS[:-2] + [(100,), "100"],
                    "n_interior": BAD_COUNTS, "n_boundary": BAD_COUNTS,
                    "block_rows": [0, -1, 1.5, "4096", True, NAN]}
    for name, values in int_settings.items():
        reject.values(name, name, [v for v in values if v is not None], lambda v, n=name: call(
            **{n: v}))
        reject.explore(f"{name} drawn", name, counts, lambda v, n=name: call(**{n: v}), n=6)
    for name in ("scale", "rcond", "sketch_factor"):
        reject.values(name, name, BAD_POSITIVE, lambda v, n=name: call(**{n: v}))
        reject.explore(f"{name} drawn", name, non_positive, lambda v, n=name: call(**{n: v}),
                       n=6)
    reject.values("rcond >= 1", "rcond", [1.0, 2.0, 1e3], lambda v: call(rcond=v))
    reject.values("sketch_factor < 1", "sketch_factor", [0.5, 0.999],
                  lambda v: call(sketch_factor=v))
    choices = {"activation": ["relu", "SIN", "", 5, None, ["sin"]],
               "init": ["gaussian", "", 5, None], "sampling": ["foo", "Halton", "", 7, None],
               "solver": ["lstsq", "QR", 5, None], "finish": ["qr", "", None],
               "row_scaling": ["max", 0, None], "backend": ["gpu", "cuda", "Device", 5, None],
               **dict(extra)}
    for name, values in choices.items():
        reject.values(name, name, values, lambda v, n=name: call(**{n: v}))
    reject.values("booleans normalize", "normalize", ["yes", "False", 1.5, None, [True]],
                  lambda v: call(normalize=v))
    reject.values("booleans residuals", "residuals", ["no", 2, None],
                  lambda v: call(residuals=v))
    reject.values("devices", "devices", [0, -1, 99, "cpu", 1.5, [], [0], True, "all"],
                  lambda v: call(devices=v))
    d = problem.dim
    reject.values("interior_points", "interior_points",
                  [np.zeros((10, d + 1)), np.zeros((0, d)), np.full((10, d), NAN),
                   np.full((4, d), INF), "points", np.zeros(d), [[None] * d]],
                  lambda v: call(interior_points=v), shows=["NaN", "inf", "non-finite"])
    pts, nrm = SQUARE.sample_boundary(20, key=keys) if d == 2 else DISK.sample_boundary(
        20, key=keys)
    reject.values("boundary_points", "boundary_points",
                  [pts, (pts,), (pts, nrm, nrm), (pts, nrm[:5]), (np.full_like(pts, NAN), nrm),
                   (pts, np.full_like(nrm, NAN)), (pts[:, :1], nrm[:, :1]), "x",
                   (pts, "normals")],
                  lambda v: call(boundary_points=v),
                  shows=["NaN", "non-finite", "tuple", "shape", "'normals'", "(20, 1)"])
    for wrong, right in (("hiden", "hidden"), ("n_interiors", "n_interior"), ("keys", "key"),
                         ("activations", "activation"), ("scael", "scale"),
                         ("backed", "backend")):
        reject.misspelled(f"misspelled {wrong}", wrong, right, lambda kw: call(**kw))


def test_celm_solve(reject):
    _elm_cases(reject, pds.celm.solve, biharmonic(),
               extra={"formulation": ["Coupled", "mixed", 5, None]})
    reject.values("poisson for celm", "problem", [poisson()],
                  lambda v: pds.celm.solve(v, key=keys), shows=["Poisson"])
    reject.done()


def test_pielm_solve(reject):
    _elm_cases(reject, pds.pielm.solve, poisson())
    reject.values("biharmonic for pielm", "problem", [biharmonic()],
                  lambda v: pds.pielm.solve(v, key=keys), shows=["Biharmonic"])
    reject.done()


def test_elm_data_functions(reject):
    """Data that is NaN or fails at the collocation points is refused before the assembly."""
    nan_f = pds.Poisson(DISK, returns_nan, one)
    reject.check("f NaN", "f", returns_nan, lambda: pds.pielm.solve(nan_f, key=keys),
                 shows=["non-finite"])
    nan_g = pds.Poisson(DISK, one, lambda x: jnp.log(x[0] - 2.0))
    reject.check("g NaN", "g", "log", lambda: pds.pielm.solve(nan_g, key=keys),
                 shows=["non-finite"])
    nan_h = pds.Biharmonic(SQUARE, one, one, h=lambda x: jnp.inf * x[0])
    reject.check("h inf", "h", "inf", lambda: pds.celm.solve(nan_h, key=keys),
                 shows=["non-finite"])
    nan_dudn = pds.Biharmonic(SQUARE, one, one, dudn=lambda x, n: jnp.nan * n[0])
    reject.check("dudn NaN", "dudn", "nan", lambda: pds.celm.solve(nan_dudn, key=keys),
                 shows=["non-finite"])
    reject.done()


def test_elm_sizes(reject, monkeypatch):
    monkeypatch.setenv("PDESOLVE_MEMORY_LIMIT", SMALL_MACHINE)
    call = lambda **kw: pds.celm.solve(biharmonic(), key=keys, **kw)
    reaches_work(call)
    units = ["GiB", "TiB", "PiB", "EiB"]
    reject.values("n_interior 1e9", "n_interior", [10**9, 10**12], lambda v: call(n_interior=v),
                  shows=units)
    reject.explore("n_interior drawn", "n_interior", st.integers(10**9, 10**16),
                   lambda v: call(n_interior=v), n=5, shows=units)
    reject.values("n_boundary", "n_boundary", [10**9, 10**13], lambda v: call(n_boundary=v),
                  shows=units)
    reject.explore("hidden drawn", "hidden", st.integers(10**5, 10**9),
                   lambda v: call(hidden=v), n=5, shows=units)
    reject.values("dense solver", ("n_interior", "solver"), [10**8],
                  lambda v: call(n_interior=v, solver="gelsd"), shows=units)
    reject.values("pielm n_interior", "n_interior", [10**9],
                  lambda v: pds.pielm.solve(poisson(), key=keys, n_interior=v), shows=units)
    reject.done()


def test_elm_sizes_this_machine(reject):
    """Without an override the limit is this machine's memory: 10**12 points never fit."""
    reject.values("n_interior 1e12", "n_interior", [10**12],
                  lambda v: pds.celm.solve(biharmonic(), key=keys, n_interior=v),
                  shows=["GiB", "TiB", "PiB"])
    reject.values("hidden 1e7", "hidden", [10**7],
                  lambda v: pds.pielm.solve(poisson(), key=keys, hidden=v),
                  shows=["GiB", "TiB", "PiB"])
    reject.done()


def test_memory_estimates(monkeypatch):
    """The shared check: the limit's sources, the message, and legitimate sizes let through."""
    from pdesolve.elm._driver import memory_needs
    from pdesolve.parallel import Need, check_memory, host_memory

    monkeypatch.delenv("PDESOLVE_MEMORY_LIMIT", raising=False)
    physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert 0 < host_memory() <= physical
    monkeypatch.setenv("PDESOLVE_MEMORY_LIMIT", "24G")
    assert host_memory() == 24 * 2**30
    # the large benchmark (benchmarks/celm_large.py): 400 000 rows x 6000 columns in blocks
    for backend in ("host", "device"):
        needs = memory_needs(dim=3, n_interior=195_000, n_boundary=5_000, layout=(2, 2, 2),
                             hidden=3000, width=3000, solver="qr", block_rows=4096,
                             backend=backend, sketch_factor=2.0, devices=1)
        # below the 2.3 / 2.2 GiB peak RSS recorded in benchmarks/results/celm_large.md
        assert sum(n.bytes for n in needs) < 2.2 * 2**30
        check_memory(needs, where="celm.solve")
    with pytest.raises(ValueError) as err:
        check_memory([Need("a factor", 30 * 2**30, "hidden=99999"), Need("points", 2**30, "n")],
                     where="celm.solve")
    message = str(err.value)
    assert "31.0 GiB" in message and "24.0 GiB" in message and "lower hidden=99999" in message
    monkeypatch.setenv("PDESOLVE_MEMORY_LIMIT", "off")
    assert host_memory() is None
    check_memory([Need("huge", 1e30, "n")], where="x")  # the check is off
    monkeypatch.setenv("PDESOLVE_MEMORY_LIMIT", "lots")
    with pytest.raises(ValueError, match="PDESOLVE_MEMORY_LIMIT must be"):
        host_memory()


def _pinn_cases(reject, solve, prefix=""):
    problem = ade()
    call = lambda **kw: solve(problem, **{"key": keys, "steps": 10, **kw})
    reaches_work(call)
    reject.values(prefix + "problem", "problem", [5, None, poisson(), SQUARE, "ade"],
                  lambda v: solve(v, key=keys))
    reject.values(prefix + "key", "key", BAD_KEYS, lambda v: call(key=v))
    reject.explore(prefix + "key drawn", "key", bad_keys, lambda v: call(key=v), n=8)
    for name in ("steps", "n_interior", "n_boundary", "n_initial"):
        reject.values(prefix + name, name, BAD_COUNTS, lambda v, n=name: call(**{n: v}))
        reject.explore(prefix + f"{name} drawn", name, counts, lambda v, n=name: call(**{n: v}),
                       n=5)
    reject.values(prefix + "steps beyond int32", "steps", [2**31, 10**15],
                  lambda v: call(steps=v))
    reject.values(prefix + "widths", "widths",
                  [(), [], (0,), (-1, 5), (1.5, 2), "abc", 5, ("a",), (10, None), (NAN,),
                   (True, 3), {"a": 1}], lambda v: call(widths=v))
    reject.values(prefix + "activation", "activation", ["relu", "SIN", "", 5, ["sin"]],
                  lambda v: call(activation=v))
    reject.values(prefix + "optimizer", "optimizer",
                  ["adam", 5, optax.adam, {"lr": 1e-3}, lambda p: p, 0.01, object()],
                  lambda v: call(optimizer=v))
    reject.values(prefix + "sampling", "sampling", ["halton", "grid", "", 5, None],
                  lambda v: call(sampling=v))
    reject.values(prefix + "boundary_weight", "boundary_weight",
                  [NAN, INF, -1, -1e-3, "abc", "-1", "Staged", [1.0], True, 1j],
                  lambda v: call(boundary_weight=v))
    reject.values(prefix + "dtype", "dtype", ["abc", "int32", jnp.int32, 5, "complex64",
                                              np.bool_], lambda v: call(dtype=v))
    reject.values(prefix + "chunk", "chunk", [0, -1, 1.5, "100", True], lambda v: call(chunk=v))
    reject.values(prefix + "eval_every", "eval_every", [0, -5, 2.5, "10"],
                  lambda v: call(eval_every=v))
    reject.values(prefix + "lbfgs_steps", "lbfgs_steps", [-1, 1.5, "5", True, NAN],
                  lambda v: call(lbfgs_steps=v))
    reject.values(prefix + "devices", "devices", [0, -1, 99, "cpu", 1.5, [], [0]],
                  lambda v: call(devices=v))
    for wrong, right in (("hiden", "widths"), ("optimiser", "optimizer"), ("step", "steps"),
                         ("n_interiors", "n_interior"), ("width", "widths"),
                         ("checkpoint_evry", "checkpoint_every")):
        reject.misspelled(prefix + f"misspelled {wrong}", wrong, right,
                          lambda kw: solve(problem, key=keys, **kw))


def test_sfhcpinn_solve(reject):
    _pinn_cases(reject, pds.sfhcpinn.solve)
    call = lambda **kw: pds.sfhcpinn.solve(ade(), **{"key": keys, "steps": 10, **kw})
    reject.values("scales", "scales", [(), [], (0,), (-1,), (NAN,), (INF,), ("a",), "abc", 5,
                                       [1, NAN], (True,)], lambda v: call(scales=v))
    reject.explore("scales drawn", "scales",
                   st.lists(st.floats(allow_nan=True), min_size=1, max_size=4).filter(
                       lambda s: not all(math.isfinite(a) and a > 0 for a in s)),
                   lambda v: call(scales=v), n=8)
    reject.check("extension without distance", ("extension", "distance"), None,
                 lambda: call(extension=lambda x, t: 0.0))
    for fn, shows in BAD_FUNCTIONS[2:-1]:
        reject.check("extension", "extension", fn,
                     lambda fn=fn: call(extension=fn, distance=lambda x, t: t), shows=shows)
        reject.check("distance", "distance", fn,
                     lambda fn=fn: call(extension=lambda x, t: 0.0, distance=fn), shows=shows)
    reject.done()


def test_pinn_solve(reject):
    _pinn_cases(reject, pds.pinn.solve, prefix="pinn ")
    reject.values("variant", "variant", ["PINN", "sfhcpinn", "", 5, None, "hc-pinn"],
                  lambda v: pds.pinn.solve(ade(), key=keys, steps=10, variant=v))
    reject.done()


def test_pinn_data_functions(reject):
    """Data functions giving NaN/inf at the collocation points are refused before training."""
    cases = {
        "source": lambda: _ade(source=returns_nan),
        "initial": lambda: _ade(initial=lambda x: jnp.inf * x[0]),
        "dirichlet": lambda: _ade(dirichlet=returns_nan),
        "velocity": lambda: _ade(velocity=lambda x, t: jnp.stack([jnp.nan * x[0]])),
        "exact": lambda: _ade(exact=returns_nan),
        "neumann": lambda: _ade(dirichlet=None, neumann=lambda x, t: jnp.log(x[0] - 5.0)),
    }
    for name, build in cases.items():
        problem = build()
        reject.check(f"{name} NaN", name, name,
                     lambda p=problem: pds.sfhcpinn.solve(p, key=keys, steps=10),
                     shows=["non-finite", "NaN"])
    reject.done()


def test_pinn_sizes(reject, monkeypatch):
    monkeypatch.setenv("PDESOLVE_MEMORY_LIMIT", SMALL_MACHINE)
    problem = ade()
    call = lambda **kw: pds.sfhcpinn.solve(problem, **{"key": keys, "steps": 10, **kw})
    reaches_work(call)
    units = ["GiB", "TiB", "PiB", "EiB"]
    for name in ("n_interior", "n_boundary", "n_initial"):
        reject.values(f"{name} 1e9", name, [10**9, 10**12],
                      lambda v, n=name: pds.pinn.solve(problem, key=keys, steps=10,
                                                       **{n: v}), shows=units)
    reject.explore("n_interior drawn", "n_interior", st.integers(10**9, 10**15),
                   lambda v: call(n_interior=v), n=4, shows=units)
    reject.values("widths", "widths", [(10**6, 10**6), (10, 10**7, 10)],
                  lambda v: call(widths=v), shows=units)
    reject.values("mlp widths", "widths", [(10**6, 10**6)],
                  lambda v: pds.pinn.solve(problem, key=keys, steps=10, widths=v), shows=units)
    reject.done()


def test_evaluation_points(reject):
    reject.values("key", "key", [k for k in BAD_KEYS[:12] if k is not None],  # None: default
                  lambda v: pds.pinn.evaluation_points(ade(), key=v))
    reject.values("n", "n", [0, -1, 1.5, "10"],
                  lambda v: pds.pinn.evaluation_points(
                      pds.AdvectionDiffusion.manufactured(SQUARE, (0, 1), 0.1, (1.0, 0.0),
                                                          lambda x, t: x[0] * t), v))
    reject.done()


def test_metrics(reject):
    good = np.ones(5)
    for fn in (pds.metrics.relative_l2, pds.metrics.max_error):
        name = fn.__name__
        reject.values(f"{name} pred", "pred", [np.ones(4), np.ones((5, 2)), "abc", None,
                                               np.full(5, NAN), [1, 2, "x", 4, 5]],
                      lambda v, fn=fn: fn(v, good), shows=["NaN", "non-finite"])
        reject.values(f"{name} ref", "ref", [np.ones(6), "abc", None, np.full(5, INF)],
                      lambda v, fn=fn: fn(good, v), shows=["inf", "non-finite"])
    reject.values("relative_l2 zero ref", "ref", [np.zeros(5)],
                  lambda v: pds.metrics.relative_l2(good, v), shows=["zero"])
    reject.done()


# ==============================================================================================
# the command line
# ==============================================================================================
def test_cli(reject, capsys, monkeypatch):
    monkeypatch.setenv("PDESOLVE_MEMORY_LIMIT", SMALL_MACHINE)

    def run(argv):
        code = cli_main(argv)
        captured = capsys.readouterr()
        if code != 2:
            raise AssertionError(f"exit code {code}, not the usage error 2")
        if "== " in captured.out:
            raise AssertionError("the example ran")
        raise ValueError(captured.err)

    cases = [
        ("sfhcpinn_e1", "--steps", ["0", "-5", "abc", "1.5", "nan", ""]),
        ("sfhcpinn_e1", "--n-interior", ["0", "-1", "abc", "1e3"]),
        ("sfhcpinn_e1", "--n-boundary", ["0", "-3"]),
        ("sfhcpinn_e1", "--lbfgs-steps", ["-1", "x"]),
        ("sfhcpinn_e1", "--variant", ["PINN"]),
        ("celm_square", "--hidden", ["0", "-3", "abc"]),
        ("celm_square", "--scale", ["0", "-1", "nan", "inf", "abc"]),
        ("celm_square", "--n-test", ["0", "-1"]),
        ("celm_square", "--devices", ["0", "-1", "99"]),
        ("celm_square", "--n-interior", ["0", "1000000000"]),
        ("gallery", "--n-mc", ["0", "-1", "many"]),
        ("gallery", "--seed", ["abc", "1.5"]),
    ]
    for example, option, values in cases:
        for v in values:  # a command-line value shows as typed (no quotes), or quoted
            reject.check(f"{example} {option}", (option, option.lstrip("-").replace("-", "_")),
                         v, lambda e=example, o=option, v=v: run(["run", e, "--quick", o, v]),
                         shows=[v] if v else None)
    reject.check("unknown option", "--hiden", "10",
                 lambda: run(["run", "celm_square", "--hiden", "10"]), shows=["10"])
    reject.done()


# ==============================================================================================
# cases whose fix belongs to files owned by others (training loop, checkpoints, solution files)
# ==============================================================================================
def _train_direct(**changes):
    params = {"w": jnp.zeros(2)}
    loss = lambda p, batch, step: (jnp.sum((p["w"] - batch["x"].mean()) ** 2), {})
    sample = lambda k: {"x": jax.random.uniform(k, (8,))}
    args = dict(key=keys, steps=5, sample=sample)
    args.update(changes)
    return pds.training.train(loss, params, **args)


def _fit(**changes):
    return pds.sfhcpinn.solve(ade(), **{"key": keys, "steps": 10, **changes})


def _garbage(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


OWNED_ELSEWHERE = [
    # (id, argument, value, call(tmp_path))
    ("sfhcpinn checkpoint_every=0", "checkpoint_every", 0,
     lambda tmp: _fit(checkpoint=tmp / "c", checkpoint_every=0)),
    ("sfhcpinn checkpoint_every=-1", "checkpoint_every", -1,
     lambda tmp: _fit(checkpoint=tmp / "c", checkpoint_every=-1)),
    ("sfhcpinn checkpoint_every=1.5", "checkpoint_every", 1.5,
     lambda tmp: _fit(checkpoint=tmp / "c", checkpoint_every=1.5)),
    ("sfhcpinn checkpoint=5", "checkpoint", 5, lambda tmp: _fit(checkpoint=5)),
    ("sfhcpinn checkpoint=1.5", "checkpoint", 1.5, lambda tmp: _fit(checkpoint=1.5)),
    ("sfhcpinn resume=5", "resume", 5, lambda tmp: _fit(resume=5)),
    ("sfhcpinn resume missing", "resume", "missing.ckpt",
     lambda tmp: _fit(resume=str(tmp / "missing.ckpt"))),
    ("sfhcpinn resume garbage", "resume", "garbage.ckpt",
     lambda tmp: _fit(resume=_garbage(tmp, "garbage.ckpt", b"\x80\x04garbage"))),
    ("sfhcpinn resume empty", "resume", "empty.ckpt",
     lambda tmp: _fit(resume=_garbage(tmp, "empty.ckpt", b""))),
    ("sfhcpinn progress='yes'", "progress", "yes", lambda tmp: _fit(progress="yes")),
    ("train steps=0", "steps", 0, lambda tmp: _train_direct(steps=0)),
    ("train chunk=0", "chunk", 0, lambda tmp: _train_direct(chunk=0)),
    ("train checkpoint_every=0", "checkpoint_every", 0,
     lambda tmp: _train_direct(checkpoint=tmp / "c", checkpoint_every=0)),
    ("train optimizer='adam'", "optimizer", "adam", lambda tmp: _train_direct(optimizer="adam")),
    ("train key=5", "key", 5, lambda tmp: _train_direct(key=5)),
    ("train key uint32 (3,)", "key", np.zeros(3, np.uint32),
     lambda tmp: _train_direct(key=np.zeros(3, np.uint32))),
    ("train mesh='cpu'", "mesh", "cpu", lambda tmp: _train_direct(mesh="cpu")),
    ("train lbfgs_steps=-1", "lbfgs_steps", -1, lambda tmp: _train_direct(lbfgs_steps=-1)),
    ("train hiden=", "steps", "hiden", lambda tmp: _train_direct(hiden=10)),
    # a file error names the argument by naming the file
    ("ELMSolution.load garbage", ("path", "garbage.npz"), "garbage.npz",
     lambda tmp: pds.celm.ELMSolution.load(_garbage(tmp, "garbage.npz", b"PK\x03\x04junk"))),
    ("ELMSolution.load empty", ("path", "empty.npz"), "empty.npz",
     lambda tmp: pds.celm.ELMSolution.load(_garbage(tmp, "empty.npz", b""))),
]


@pytest.mark.parametrize("case", OWNED_ELSEWHERE, ids=[c[0] for c in OWNED_ELSEWHERE])
def test_owned_elsewhere(case, tmp_path):
    """Bad inputs whose checks live in the training loop and the solution files."""
    name, arg, value, call = case
    checker = Checker("owned elsewhere")
    checker.check(name, arg, value, lambda: call(tmp_path), shows=[str(value), "ckpt", "npz"])
    checker.done()

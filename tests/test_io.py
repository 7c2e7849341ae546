import jax.numpy as jnp
import meshio
import numpy as np
import pytest
from test_plotting_support import FakeProblem, FakeSolution, Segment, Shell, TriangleMesh, smooth

from pdesolve import geometry as geo
from pdesolve import io


def test_export_vtu_round_trip(tmp_path):
    points = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    cells = np.array([[0, 1, 2], [1, 3, 2]])
    u = np.array([0.0, 1.0, 2.0, 3.0])
    path = io.export_vtu(tmp_path / "sub" / "square", {"u": u}, points, cells)
    assert path.name == "square.vtu" and path.exists()
    mesh = meshio.read(path)
    np.testing.assert_array_equal(mesh.points[:, :2], points)
    np.testing.assert_array_equal(mesh.points[:, 2], 0.0)
    np.testing.assert_array_equal(mesh.cells_dict["triangle"], cells)
    np.testing.assert_array_equal(mesh.point_data["u"], u)


def test_export_vtu_rejects_bad_input(tmp_path):
    points, cells = np.zeros((3, 2)), np.array([[0, 1, 2]])
    with pytest.raises(ValueError, match=r"values_by_name\['u'\] must have shape \(3,\)"):
        io.export_vtu(tmp_path / "a.vtu", {"u": np.zeros(4)}, points, cells)
    with pytest.raises(ValueError, match="outside 0..2"):
        io.export_vtu(tmp_path / "a.vtu", {}, points, np.array([[0, 1, 3]]))
    with pytest.raises(ValueError, match="4 vertices"):
        io.export_vtu(tmp_path / "a.vtu", {}, points, np.array([[0, 1, 2, 0]]))
    with pytest.raises(ValueError, match="NaN"):
        io.export_vtu(tmp_path / "a.vtu", {"u": [0.0, np.nan, 1.0]}, points, cells)
    with pytest.raises(TypeError, match="values_by_name"):
        io.export_vtu(tmp_path / "a.vtu", [1.0], points, cells)


def test_export_solution_on_domain_with_hole(tmp_path):
    exact = lambda x: jnp.sin(x[0]) * jnp.cos(x[1])
    sol = FakeSolution(lambda x: smooth(x) + 1e-3 * x[:, 0], FakeProblem(Shell(2), exact))
    mesh = meshio.read(io.export_solution_vtu(tmp_path / "annulus.vtu", sol, n=30))
    pts = mesh.points[:, :2]
    r = np.linalg.norm(pts, axis=1)
    assert (r >= 0.4 - 1e-9).all() and (r <= 1 + 1e-9).all()
    tris = mesh.cells_dict["triangle"]
    assert (np.linalg.norm(pts[tris].mean(axis=1), axis=1) > 0.4).all()  # no cell in the hole
    np.testing.assert_allclose(mesh.point_data["solution"], smooth(pts) + 1e-3 * pts[:, 0])
    np.testing.assert_allclose(mesh.point_data["exact"], smooth(pts), atol=1e-15)
    np.testing.assert_allclose(mesh.point_data["error"], 1e-3 * np.abs(pts[:, 0]), atol=1e-14)


def test_export_solution_on_mesh_3d_and_time(tmp_path):
    sol = FakeSolution(smooth, FakeProblem(Shell(2), None))
    mesh = meshio.read(io.export_solution_vtu(tmp_path / "m", sol, TriangleMesh()))
    assert set(mesh.point_data) == {"solution"} and len(mesh.points) == 4

    ball = geo.Ball((0.0, 0.0, 0.0), 1.0)
    sol = FakeSolution(lambda x: x[:, 2], FakeProblem(ball, lambda x: x[2]))
    mesh = meshio.read(io.export_solution_vtu(tmp_path / "ball", sol, n=8))
    tets = mesh.cells_dict["tetra"]
    assert np.linalg.norm(mesh.points, axis=1).max() <= 1 + 1e-9
    volume = np.abs(np.linalg.det(mesh.points[tets[:, 1:]] - mesh.points[tets[:, :1]])).sum() / 6
    assert 0.8 * 4 / 3 * np.pi < volume <= 4 / 3 * np.pi + 1e-9
    np.testing.assert_allclose(mesh.point_data["error"], 0.0, atol=1e-15)

    u = lambda x, t: np.sin(np.pi * x[:, 0]) * t
    exact_t = lambda x, t: jnp.sin(jnp.pi * x[0]) * t
    sol = FakeSolution(u, FakeProblem(Segment(), exact_t, t_span=(0.0, 2.0)))
    mesh = meshio.read(io.export_solution_vtu(tmp_path / "line", sol, n=11))
    x = mesh.points[:, 0]
    np.testing.assert_allclose(mesh.point_data["solution"], 2.0 * np.sin(np.pi * x))  # t = t1
    mesh = meshio.read(io.export_solution_vtu(tmp_path / "line", sol, n=11, t=0.5))
    np.testing.assert_allclose(mesh.point_data["solution"], 0.5 * np.sin(np.pi * x))


def test_export_solution_refuses_nonfinite_values(tmp_path):
    sol = FakeSolution(lambda x: np.full(len(x), np.nan), FakeProblem(Shell(2), None))
    with pytest.raises(ValueError, match="non-finite"):
        io.export_solution_vtu(tmp_path / "nan", sol, n=10)


def test_export_solution_needs_a_domain(tmp_path):
    with pytest.raises(TypeError, match="mesh_or_domain"):
        io.export_solution_vtu(tmp_path / "x", lambda x: x[:, 0])


def test_save_and_load_solution_errors(tmp_path):
    with pytest.raises(TypeError, match="no save"):
        io.save_solution(tmp_path / "x.npz", lambda x: x[:, 0])
    with pytest.raises(FileNotFoundError, match="no file at .*missing.npz"):
        io.load_solution(tmp_path / "missing.npz")
    np.savez(tmp_path / "other.npz", a=np.zeros(3))
    with pytest.raises(io.FileFormatError, match="other.npz: no manifest.json: not a pdesolve"):
        io.load_solution(tmp_path / "other.npz")
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(io.FileFormatError, match="text.npz: the file is truncated or corrupted"):
        io.load_solution(tmp_path / "text.npz")
    io.write_archive(tmp_path / "ckpt.npz", {}, {}, kind="checkpoint")
    with pytest.raises(io.FileFormatError, match="holds a 'checkpoint', not a solution"):
        io.load_solution(tmp_path / "ckpt.npz")


def test_celm_solution_round_trip(tmp_path, key):
    import pdesolve as pds

    exact = lambda x: jnp.sin(x[0]) * jnp.exp(x[1])
    problem = pds.Biharmonic.manufactured(geo.Rectangle((0, 0), (1, 1)), exact)
    sol = pds.celm.solve(problem, key=key, hidden=20, n_interior=60, n_boundary=40)
    path = io.save_solution(tmp_path / "sol.npz", sol)
    back = io.load_solution(path, problem=problem)
    x = np.random.default_rng(0).random((50, 2))
    np.testing.assert_array_equal(np.asarray(back(x)), np.asarray(sol(x)))
    assert back.problem is problem


def test_export_on_the_3d_mesh_from_geometry_folder(tmp_path):
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "geometry" / "l_block.vtu"
    block = geo.Mesh.from_file(path)
    sol = FakeSolution(lambda x: x[:, 0] * x[:, 1], FakeProblem(block, lambda x: x[0] * x[1]))
    mesh = meshio.read(io.export_solution_vtu(tmp_path / "block", sol))
    np.testing.assert_array_equal(mesh.cells_dict["tetra"], block.cells)
    np.testing.assert_allclose(mesh.points, block.points)
    np.testing.assert_allclose(mesh.point_data["solution"], block.points[:, 0] * block.points[:, 1])
    np.testing.assert_allclose(mesh.point_data["error"], 0.0, atol=1e-15)

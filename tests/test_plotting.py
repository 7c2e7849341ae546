import io

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from test_plotting_support import FakeProblem, FakeSolution, Segment, Shell, TriangleMesh, smooth

from pdesolve import plotting


@pytest.fixture(autouse=True)
def no_show(monkeypatch):
    """Plotting must never call plt.show() nor leave pyplot figures behind."""

    def fail(*args, **kwargs):
        raise AssertionError("plt.show() was called")

    monkeypatch.setattr(plt, "show", fail)
    before = set(plt.get_fignums())
    yield
    assert set(plt.get_fignums()) == before


def colorbars(fig):
    return [m.colorbar for ax in fig.axes for m in ax.collections if m.colorbar is not None]


def test_triangulation_masks_the_hole():
    dom = Shell(2, r_in=0.4)
    tri = plotting.domain_triangulation(dom, n=40)
    assert tri.mask is not None and tri.mask.any()
    pts = np.column_stack([tri.x, tri.y])
    assert dom.contains(pts).all()
    kept = tri.get_masked_triangles()
    centroids = pts[kept].mean(axis=1)
    assert (np.linalg.norm(centroids, axis=1) >= 0.4 - 1e-12).all()
    find = tri.get_trifinder()
    assert find(0.1, 0.05) == -1  # inside the hole: no visible triangle
    assert find(0.0, 0.0) == -1
    assert find(0.7, 0.0) >= 0  # in the ring
    assert find(0.0, -0.7) >= 0


def test_plot_field_on_domain_with_hole():
    fig = plotting.plot_field(smooth, Shell(2), n=40, label="u [m]", title="u")
    assert isinstance(fig, Figure)
    main = fig.axes[0]
    assert main.get_xlabel() and main.get_ylabel() and main.get_title() == "u"
    (cbar,) = colorbars(fig)
    assert cbar.ax.get_ylabel() == "u [m]"
    assert len(fig.axes) == 2  # the field and its colour bar
    values = main.collections[0].get_array()
    assert np.isfinite(values).all() and np.ptp(values) > 0.5


def test_plot_error_uses_log_scale_and_handles_zeros():
    exact = lambda x: smooth(x) + 1e-6 * x[:, 0] ** 2
    fig = plotting.plot_error(smooth, exact, Shell(2), n=30)
    (cbar,) = colorbars(fig)
    assert isinstance(cbar.mappable.norm, LogNorm)
    assert "exact" in cbar.ax.get_ylabel()
    assert cbar.mappable.norm.vmax == pytest.approx(1e-6, rel=1e-3)
    assert cbar.mappable.norm.vmin >= 1e-16  # exact zeros do not stretch the scale


def test_shared_colour_scale_limits():
    exact = lambda x: smooth(x) + 1e-6 * x[:, 0] ** 2
    fig = plotting.plot_error(smooth, exact, Shell(2), n=20, vmin=1e-12, vmax=1e-3)
    norm = colorbars(fig)[0].mappable.norm
    assert (norm.vmin, norm.vmax) == (1e-12, 1e-3)
    fig = plotting.plot_field(smooth, Shell(2), n=20, vmin=-2.0, vmax=2.0)
    assert colorbars(fig)[0].mappable.norm.vmax == 2.0
    with pytest.raises(ValueError, match="vmin"):
        plotting.plot_error(smooth, exact, Shell(2), n=20, vmin=0.0)


def test_plot_field_on_mesh_uses_its_triangles():
    dom = TriangleMesh()
    tri = plotting.domain_triangulation(dom)
    np.testing.assert_array_equal(tri.triangles, dom.cells)
    fig = plotting.plot_field(smooth, dom)
    assert len(colorbars(fig)) == 1


def test_plot_field_draws_into_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plotting.plot_field(smooth, Shell(2), n=20, ax=ax) is fig


def test_plot_slice_of_a_shell_masks_the_cavity():
    dom = Shell(3, r_in=0.5)
    tri, lift, value = plotting.slice_triangulation(dom, n=40)
    assert value == 0.0
    assert tri.get_trifinder()(0.1, 0.1) == -1
    assert tri.get_trifinder()(0.75, 0.0) >= 0
    u = lambda x: x[:, 0] + x[:, 1] * x[:, 2]
    fig = plotting.plot_slice(u, dom, n=30, axis=2, value=0.25, label="u")
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_0$", "$x_1$")
    assert "0.25" in ax.get_title()
    assert colorbars(fig)[0].ax.get_ylabel() == "u"
    with pytest.raises(ValueError, match="value=2.0"):
        plotting.plot_slice(u, dom, value=2.0)
    with pytest.raises(ValueError, match="axis"):
        plotting.plot_slice(u, dom, axis=3)


def test_plot_spacetime_1d():
    u = lambda x, t: np.sin(np.pi * x[:, 0]) * np.exp(-t)
    fig = plotting.plot_spacetime(u, Segment(), (0.0, 2.0), n=30, nt=20, label="c")
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x$", "$t$")
    assert colorbars(fig)[0].ax.get_ylabel() == "c"
    assert ax.get_ylim() == (0.0, 2.0)
    with pytest.raises(ValueError, match="t_span"):
        plotting.plot_spacetime(u, Segment(), (1.0, 0.0))


def test_plot_snapshots_1d_and_2d():
    u1 = lambda x, t: np.sin(np.pi * x[:, 0]) * np.exp(-t)
    fig = plotting.plot_snapshots(u1, Segment(), [0.0, 0.5, 1.0], exact=u1)
    ax = fig.axes[0]
    assert len(ax.lines) == 6 and ax.get_ylabel() == "u"
    assert ax.get_title() == "snapshots (dashed: exact)"
    fig = plotting.plot_snapshots(u1, Segment(), [0.0], title="PINN")
    assert fig.axes[0].get_title() == "PINN"
    u2 = lambda x, t: smooth(x) * np.exp(-t)
    fig = plotting.plot_snapshots(u2, Shell(2), [0.0, 1.0], n=20, label="u")
    assert len(fig.axes) == 3  # two panels and one shared colour bar
    assert len(colorbars(fig)) == 1
    with pytest.raises(ValueError, match="times"):
        plotting.plot_snapshots(u2, Shell(2), [])


def test_plot_history_log_axis_and_pairs():
    loss = np.exp(-np.linspace(0, 5, 50))
    fig = plotting.plot_history({"loss": loss, "error": (np.arange(0, 50, 10), loss[::10])})
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    assert ax.get_legend() is not None
    np.testing.assert_allclose(ax.lines[1].get_xdata(), np.arange(0, 50, 10))
    assert ax.lines[0].get_marker() == "None" and ax.lines[1].get_marker() == "o"
    single = plotting.plot_history({"error": ([150], [3e-3])}).axes[0].lines[0]
    assert single.get_marker() == "o"  # one evaluation is still drawn
    with pytest.raises(ValueError, match="steps"):
        plotting.plot_history(([0, 1], [1.0]))
    with pytest.raises(ValueError, match="positive"):
        plotting.plot_history(np.zeros(3))


def test_plot_convergence_scales():
    m = np.array([50, 100, 200, 400])
    fig = plotting.plot_convergence(m, {"sin": 10.0 ** -np.arange(4), "tanh": m**-2.0})
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlabel() == "M" and len(ax.lines) == 2
    fig = plotting.plot_convergence(m, m**-1.0, scale="semilogy")
    assert fig.axes[0].get_xscale() == "linear"
    with pytest.raises(ValueError, match="one error per size"):
        plotting.plot_convergence(m, [1.0, 2.0])
    with pytest.raises(ValueError, match="scale"):
        plotting.plot_convergence(m, m**-1.0, scale="log")


def test_plot_solution_dispatches_on_dimension_and_time():
    exact2 = lambda x: jnp.sin(x[0]) * jnp.cos(x[1])  # pointwise, as problems store it
    sol = FakeSolution(lambda x: smooth(x) + 1e-3, FakeProblem(Shell(2), exact2))
    fig = plotting.plot_solution(sol, n=25)
    assert len(fig.axes) == 4 and len(colorbars(fig)) == 2
    assert isinstance(colorbars(fig)[1].mappable.norm, LogNorm)

    exact3 = lambda x: x[0] * x[2]
    sol = FakeSolution(lambda x: x[:, 0] * x[:, 2], FakeProblem(Shell(3), exact3))
    fig = plotting.plot_solution(sol, n=25)  # zero error everywhere: still a valid picture
    assert len(colorbars(fig)) == 2
    fig.savefig(io.BytesIO(), format="png")

    exact_t = lambda x, t: jnp.sin(jnp.pi * x[0]) * jnp.exp(-t)
    u_t = lambda x, t: np.sin(np.pi * x[:, 0]) * np.exp(-t) * 1.01
    sol = FakeSolution(u_t, FakeProblem(Segment(), exact_t, t_span=(0.0, 1.0)))
    fig = plotting.plot_solution(sol, n=20)
    assert [a.get_ylabel() for a in fig.axes[:2]] == ["$t$", "$t$"]

    exact_xt = lambda x, t: x[0] ** 2  # steady problems may store exact(x, t)
    sol = FakeSolution(lambda x: x[:, 0] ** 2, FakeProblem(Segment(), exact_xt))
    assert plotting.plot_solution(sol).axes[1].get_yscale() == "log"

    sol = FakeSolution(lambda x: smooth(x), FakeProblem(Shell(2), None))
    assert len(plotting.plot_solution(sol, n=20).axes) == 2  # no exact: one panel + colour bar

    sol = FakeSolution(lambda x: x[:, 0] ** 2, FakeProblem(Segment(), lambda x: x[0] ** 2))
    fig = plotting.plot_solution(sol)
    assert fig.axes[1].get_yscale() == "log"


def test_nonfinite_values_warn_and_are_left_blank():
    def holey(x):
        out = smooth(x)
        out[x[:, 0] > 0.6] = np.nan
        return out

    with pytest.warns(RuntimeWarning, match="non-finite values"):
        fig = plotting.plot_field(holey, Shell(2), n=30)
    (cbar,) = colorbars(fig)
    assert np.isfinite([cbar.mappable.norm.vmin, cbar.mappable.norm.vmax]).all()
    with pytest.warns(RuntimeWarning):
        fig = plotting.plot_error(holey, smooth, Shell(2), n=30)
    assert np.isfinite(colorbars(fig)[0].mappable.norm.vmax)
    with pytest.warns(RuntimeWarning):
        plotting.plot_spacetime(lambda x, t: holey(np.column_stack([x[:, 0], t])), Segment(),
                                (0.0, 1.0), n=10, nt=10).savefig(io.BytesIO(), format="png")


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="2D"):
        plotting.plot_field(smooth, Shell(3))
    with pytest.raises(TypeError, match="domain"):
        plotting.plot_field(smooth, object())
    with pytest.raises(ValueError, match=r"u must return one value per point"):
        plotting.plot_field(lambda x: x, Shell(2), n=10)
    with pytest.raises(TypeError, match="n must be an int"):
        plotting.plot_field(smooth, Shell(2), n=10.5)
    with pytest.raises(TypeError, match="sol"):
        plotting.plot_solution(3)


def test_real_csg_annulus_and_shell_show_their_holes():
    from pdesolve import geometry as geo

    annulus = geo.Disk((0.0, 0.0), 1.0) - geo.Disk((0.3, 0.0), 0.4)
    tri = plotting.domain_triangulation(annulus, n=50)
    find = tri.get_trifinder()
    assert find(0.3, 0.05) == -1 and find(-0.6, 0.0) >= 0
    fig = plotting.plot_field(smooth, annulus, triangulation=tri)
    assert len(colorbars(fig)) == 1

    shell = geo.Ball((0.0, 0.0, 0.0), 1.0) - geo.Ball((0.0, 0.0, 0.0), 0.5)
    tri, _, _ = plotting.slice_triangulation(shell, n=40)
    assert tri.get_trifinder()(0.1, -0.1) == -1 and tri.get_trifinder()(0.0, 0.75) >= 0


def test_mesh_with_holes_from_geometry_folder():
    from pathlib import Path

    from pdesolve import geometry as geo

    path = Path(__file__).resolve().parent.parent / "geometry" / "porous_plate.msh"
    mesh = geo.Mesh.from_file(path)
    tri = plotting.domain_triangulation(mesh)
    np.testing.assert_array_equal(tri.triangles, mesh.cells)  # the mesh's own triangles
    centroids = mesh.points[mesh.cells].mean(axis=1)
    assert mesh.contains(centroids).all()
    fig = plotting.plot_field(smooth, mesh, label="u")
    assert colorbars(fig)[0].ax.get_ylabel() == "u"

"""ELM least squares on the device: same accuracy as the host path, sharded over forced host
devices and over two processes, and clear errors for bad device settings."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from multidevice import run_cli_processes, run_devices, run_processes

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve.elm._device_lstsq import group_layout

EXACT = lambda x: jnp.sin(jnp.pi * x[0]) * jnp.cos(0.5 * jnp.pi * x[1])

# The 2D example of the README (polygon with a hole), solved on 1 device and on 4, or by two
# processes; the predictions are reported at fixed points.
SOLVE_2D = """
import jax.numpy as jnp, numpy as np
import pdesolve as pds
from pdesolve import geometry as geo
exact = lambda x: jnp.sin(jnp.pi * x[0]) * jnp.cos(0.5 * jnp.pi * x[1])
dom = (geo.Polygon([(0, 0), (2, 0), (2, 0.8), (1.2, 1), (1.6, 2), (0, 1.6)])
       - geo.Disk((0.6, 0.7), 0.3))
x = dom.sample_interior(2000, key=jax.random.PRNGKey(1))
ref = np.asarray(jax.vmap(exact)(x))
celm = pds.celm.solve(pds.Biharmonic.manufactured(dom, exact, bc="clamped"),
                      key=jax.random.PRNGKey(0), hidden=300, n_interior=900, n_boundary=300)
pielm = pds.pielm.solve(pds.Poisson.manufactured(dom, exact), key=jax.random.PRNGKey(0))
report(celm=np.asarray(celm(x)).tolist(), pielm=np.asarray(pielm(x)).tolist(), ref=ref.tolist(),
       backend=celm.info["backend"], devices=celm.info["devices"],
       processes=celm.info["processes"], rank=celm.info["rank"],
       residuals=celm.info["residuals"])
"""


def _rel(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


@pytest.fixture(scope="module")
def one_device():
    return run_devices(SOLVE_2D, 1)


@pytest.mark.parametrize("finish", ["pivoted", "svd"])
@pytest.mark.parametrize("bc", ["navier", "clamped"])
def test_device_matches_host_accuracy(bc, finish, key):
    dom = geo.Disk((0, 0), 1)
    problem = pds.Biharmonic.manufactured(dom, EXACT, bc=bc)
    x = dom.sample_interior(3000, key=jax.random.PRNGKey(1))
    ref = jax.vmap(EXACT)(x)
    errors = {}
    for backend in ("host", "device"):
        sol = pds.celm.solve(problem, key=key, backend=backend, finish=finish)
        assert sol.info["backend"] == backend and sol.info["devices"] == 1
        errors[backend] = pds.metrics.relative_l2(sol(x), ref)
    # both reach round-off; the device error may exceed the host one by at most 3×
    assert errors["host"] < 1e-12
    assert errors["device"] < 3 * errors["host"]


def test_device_residuals_match_host(key):
    dom = geo.Rectangle((0, 0), (1, 1))
    problem = pds.Poisson.manufactured(dom, EXACT)
    host = pds.pielm.solve(problem, key=key, backend="host", hidden=120)
    device = pds.pielm.solve(problem, key=key, backend="device", hidden=120, block_rows=256)
    assert host.info["residuals"].keys() == device.info["residuals"].keys()
    for name, value in host.info["residuals"].items():
        # residuals of equally good solutions: same order of magnitude
        ratio = device.info["residuals"][name]["rms"] / value["rms"]
        assert 0.1 < ratio < 10, (name, ratio)
    assert device.info["rank"] == pytest.approx(host.info["rank"], rel=0.05)


def test_auto_backend_is_host_on_one_cpu(key):
    sol = pds.pielm.solve(pds.Poisson.manufactured(geo.Interval(0, 1), lambda x: jnp.sin(x[0])),
                          key=key)
    assert sol.info["backend"] == "host" and sol.info["devices"] == 1
    assert sol.info["processes"] == 1


@pytest.mark.parametrize("size,devices,block", [(1, 1, 4096), (1200, 4, 4096), (10001, 3, 1000),
                                                 (4096, 1, 4096), (7, 4, 2)])
def test_group_layout_pads_and_never_drops(size, devices, block):
    blocks, rows = group_layout(size, devices, block)
    assert rows % 8 == 0 and rows <= max(block, 8) + 7
    assert devices * blocks * rows >= size
    # padding stays below one aligned block per device plus alignment
    assert devices * blocks * rows - size < devices * (rows + 8)


def test_bad_device_settings_fail_before_work(key):
    problem = pds.Poisson.manufactured(geo.Interval(0, 1), lambda x: jnp.sin(x[0]))
    with pytest.raises(ValueError, match=r"backend must be one of .*'gpu'"):
        pds.pielm.solve(problem, key=key, backend="gpu")
    with pytest.raises(ValueError, match=r"backend='device' runs solver='qr' only.*'sketch'"):
        pds.pielm.solve(problem, key=key, backend="device", solver="sketch")
    with pytest.raises(ValueError, match=r"devices=99 but JAX sees 1 device.*device_count=99"):
        pds.pielm.solve(problem, key=key, devices=99)
    with pytest.raises(ValueError, match=r"devices must be a positive int, got 0"):
        pds.celm.solve(pds.Biharmonic.manufactured(geo.Interval(0, 1), lambda x: jnp.sin(x[0])),
                       key=key, devices=0)
    with pytest.raises(TypeError, match=r"devices must be None.*'cpu'"):
        pds.pielm.solve(problem, key=key, devices="cpu")


def test_multiprocess_request_without_distributed(monkeypatch, key):
    problem = pds.Poisson.manufactured(geo.Interval(0, 1), lambda x: jnp.sin(x[0]))
    monkeypatch.setenv("JAX_NUM_PROCESSES", "2")
    with pytest.raises(RuntimeError, match=r"JAX_NUM_PROCESSES='2'.*jax.distributed.initialize"):
        pds.pielm.solve(problem, key=key)


def test_use_devices_context(key):
    problem = pds.Poisson.manufactured(geo.Interval(0, 1), lambda x: jnp.sin(x[0]))
    with pds.parallel.use_devices(1):
        sol = pds.pielm.solve(problem, key=key, backend="device")
    assert sol.info["devices"] == 1
    with pytest.raises(ValueError, match="devices=5"), pds.parallel.use_devices(5):
        pass


def test_four_forced_devices_agree_with_one(one_device):
    four = run_devices(SOLVE_2D, 4)
    assert four["backend"] == "device" and four["devices"] == 4
    assert one_device["backend"] == "host" and one_device["devices"] == 1
    assert _rel(four["celm"], one_device["celm"]) <= 1e-10
    assert _rel(four["pielm"], one_device["pielm"]) <= 1e-10
    assert _rel(four["celm"], four["ref"]) < 1e-11


def test_two_processes_agree_with_one(one_device):
    results = run_processes(SOLVE_2D, 2)
    assert [r["processes"] for r in results] == [2, 2]
    assert [r["devices"] for r in results] == [2, 2]
    assert results[0]["backend"] == "device"
    # every process ends with the same solution
    assert results[0]["celm"] == results[1]["celm"]
    assert results[0]["residuals"] == results[1]["residuals"]
    assert _rel(results[0]["celm"], one_device["celm"]) <= 1e-10
    assert _rel(results[0]["pielm"], one_device["pielm"]) <= 1e-10


@pytest.mark.slow  # 10-20 s; kept out of the default suite's 10-minute budget
def test_command_line_two_processes():
    results = run_cli_processes(["run", "celm_square", "--quick", "--json"])
    assert [r["devices"] for r in results] == [2, 2]
    assert [r["backend"] for r in results] == ["device", "device"]
    assert results[0]["relative_l2"] == results[1]["relative_l2"] < 1e-8


def test_command_line_multiprocess_usage_errors(capsys):
    from pdesolve.cli import main

    assert main(["--coordinator", "127.0.0.1:1", "run", "celm_square"]) == 2
    assert "needs all of --coordinator" in capsys.readouterr().err
    assert main(["--coordinator", "127.0.0.1:1", "--num-processes", "2", "--process-id", "2",
                 "run", "celm_square"]) == 2
    assert "--process-id must be in 0 … 1" in capsys.readouterr().err
    assert main(["--coordinator", "nohost", "--num-processes", "2", "--process-id", "0",
                 "run", "celm_square"]) == 2
    assert "HOST:PORT, got 'nohost'" in capsys.readouterr().err


def test_device_memory_does_not_grow_with_rows():
    from pdesolve.elm import celm_row_groups
    from pdesolve.elm._device_lstsq import DeviceSystem, _factor_and_solve
    from pdesolve.elm._driver import make_networks
    from pdesolve.parallel import device_mesh

    dom = geo.Rectangle((0, 0), (1, 1))
    nets = make_networks(jax.random.PRNGKey(0), 2, dom, hidden=100, activation="sin", scale=4.0,
                         init="uniform", normalize=True)
    rng = np.random.default_rng(0)
    temp = {}
    for n in (2048, 32768):
        xb = rng.random((256, 2))
        groups = celm_row_groups("navier", "coupled", rng.random((n, 2)), xb, np.ones_like(xb),
                         np.ones(n), np.ones(256), np.ones(256))
        s = DeviceSystem(nets, groups, mesh=device_mesh(1), block_rows=512)
        compiled = _factor_and_solve.lower(
            s.weights, s.biases, s.data, 1e-14, 0, structure=s.structure,
            activations=s.activations, widths=s.widths, mesh=s.mesh, finish="svd").compile()
        temp[n] = compiled.memory_analysis().temp_size_in_bytes
    # only factors and one block are alive: 16× the rows, the same working memory, and far
    # below the dense [A | b] of the larger system (2·32768 rows × 201 columns, 105 MB)
    assert temp[32768] == temp[2048]
    assert temp[32768] < 0.1 * (2 * 32768 * 201 * 8)

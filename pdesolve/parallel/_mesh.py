"""The device mesh a solve runs on: all devices by default, restricted by `devices=`.

Every solver takes `devices=None | int | sequence of jax.Device`; `device_mesh` turns it into a
one-axis `jax.sharding.Mesh` and checks it before any work. After
`jax.distributed.initialize(...)` the default spans the devices of every process.
"""

import contextlib
import contextvars
import os

import jax
import numpy as np
from jax.sharding import Mesh

AXIS = "shards"
_DEFAULT = contextvars.ContextVar("pdesolve_devices", default=None)


@contextlib.contextmanager
def use_devices(devices):
    """Within the block, solves that get no `devices=` run on `devices` (see `device_mesh`).

    Example:
        with pds.parallel.use_devices(1):   # one device, whatever jax.devices() holds
            sol = pds.celm.solve(problem, key=key)
    """
    check_devices(devices)
    token = _DEFAULT.set(devices)
    try:
        yield
    finally:
        _DEFAULT.reset(token)


def check_distributed() -> None:
    """Refuse to run one process of a multi-process launch alone.

    Raises:
        RuntimeError: JAX_NUM_PROCESSES (or JAX_COORDINATOR_ADDRESS) asks for several
            processes but `jax.distributed.initialize` was not called, so each process would
            silently solve the whole problem on its own.
    """
    wanted = os.environ.get("JAX_NUM_PROCESSES")
    asked = (wanted is not None and wanted.strip() not in ("", "1")) or bool(
        os.environ.get("JAX_COORDINATOR_ADDRESS"))
    if asked and jax.process_count() == 1:
        raise RuntimeError(
            f"a multi-process run was requested (JAX_NUM_PROCESSES={wanted!r}, "
            f"JAX_COORDINATOR_ADDRESS={os.environ.get('JAX_COORDINATOR_ADDRESS')!r}) but "
            "jax.distributed is not initialised, so this process would solve alone; call "
            "jax.distributed.initialize() before the first solve (or unset those variables)."
        )


def check_devices(devices) -> None:
    """Validate a `devices=` value without building a mesh.

    Raises:
        TypeError, ValueError: not None, a positive int or a non-empty sequence of distinct
            `jax.Device`s; more devices than exist; or a strict subset of devices in a
            multi-process run (every process must take part).
    """
    available = jax.devices()
    if devices is None:
        return
    if isinstance(devices, bool) or not isinstance(devices, (int, np.integer, list, tuple)):
        raise TypeError(
            f"devices must be None (all devices), a positive int or a sequence of jax.Device, "
            f"got {devices!r}."
        )
    if isinstance(devices, (int, np.integer)):
        if devices <= 0:
            raise ValueError(f"devices must be a positive int, got {devices}; use 1 for one "
                             "device.")
        if devices > len(available):
            raise ValueError(
                f"devices={devices} but JAX sees {len(available)} device(s) "
                f"({available[0].platform}); lower devices, or on CPU start Python with "
                f"XLA_FLAGS=--xla_force_host_platform_device_count={devices} (or "
                f"JAX_NUM_CPU_DEVICES={devices}) to split the host into that many devices."
            )
        count = int(devices)
    else:
        if not devices:
            raise ValueError(f"devices must not be empty, got {devices!r}; pass None for all "
                             "devices.")
        bad = [d for d in devices if not isinstance(d, jax.Device)]
        if bad:
            raise TypeError(f"devices must hold jax.Device objects (e.g. jax.devices()[:2]), "
                            f"got {devices!r} with the entry {bad[0]!r}.")
        if len(set(devices)) != len(devices):
            raise ValueError(f"devices lists a device twice: {list(devices)}.")
        count = len(devices)
    if jax.process_count() > 1 and count != len(available):
        raise ValueError(
            f"devices={devices!r} selects {count} of the {len(available)} devices of a "
            f"{jax.process_count()}-process run; every process must take part, so pass "
            "devices=None."
        )


def device_mesh(devices=None) -> Mesh:
    """A one-axis mesh (axis name `AXIS`) over the chosen devices.

    Args:
        devices: None (the `use_devices` default, else all of `jax.devices()`, every process's
            after `jax.distributed.initialize`), an int k (the first k devices) or a sequence
            of `jax.Device`.

    Returns:
        `jax.sharding.Mesh` of shape (k,).

    Raises:
        TypeError, ValueError, RuntimeError: see `check_devices` and `check_distributed`.
    """
    check_distributed()
    if devices is None:
        devices = _DEFAULT.get()
    check_devices(devices)
    available = jax.devices()
    if devices is None:
        chosen = available
    elif isinstance(devices, (int, np.integer)):
        chosen = available[: int(devices)]
    else:
        chosen = list(devices)
    return Mesh(np.array(chosen), (AXIS,))

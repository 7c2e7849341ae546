"""Memory estimates checked before a solve allocates: a request that cannot fit fails at once.

A solver lists what it will hold at its peak (`Need`s: collocation points, one assembled block,
the least-squares factor, a training step's activations, ...) and calls `check_memory` before
drawing a single point. The limit is the memory this machine can still give: the
`PDESOLVE_MEMORY_LIMIT` environment variable when set (bytes, or a number with a K/M/G/T suffix;
"off" disables the check), else MemAvailable of /proc/meminfo, else the available (then the
total) physical pages from `os.sysconf`. Accelerators are checked against their own free memory
(`Device.memory_stats`). The estimates are lower bounds of what the solvers allocate, so a
refusal means the request would not have fitted, and a legitimate size is never refused.
"""

import dataclasses
import os

ENV = "PDESOLVE_MEMORY_LIMIT"
_SUFFIXES = {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40, "p": 2**50}


@dataclasses.dataclass(frozen=True)
class Need:
    """One item a computation holds at its peak.

    Attributes:
        what: what it is, for the message (e.g. "least-squares factor (801 × 801)").
        bytes: its size in bytes.
        settings: the settings that drive it, named in the message as the ones to lower
            (e.g. "hidden").
        on_device: held in accelerator memory (checked against the device) rather than host.
    """

    what: str
    bytes: float
    settings: str
    on_device: bool = False


def format_bytes(n: float) -> str:
    """`n` bytes as a short human-readable string ("1.5 GiB")."""
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PiB"


def _parse_limit(text: str) -> float | None:
    value = text.strip().lower()
    if value in ("off", "none", "0", ""):
        return None
    number, suffix = value.rstrip("ib"), ""
    if number and number[-1] in _SUFFIXES:
        number, suffix = number[:-1], number[-1]
    try:
        limit = float(number) * _SUFFIXES[suffix]
    except (ValueError, KeyError):
        raise ValueError(
            f"{ENV} must be a number of bytes with an optional K/M/G/T suffix (e.g. '16G') or "
            f"'off', got {text!r}."
        ) from None
    if not limit > 0:
        raise ValueError(f"{ENV} must be positive (or 'off'), got {text!r}.")
    return limit


def host_memory() -> float | None:
    """Bytes of host memory a computation may still allocate, or None when not limited/known.

    Returns:
        `PDESOLVE_MEMORY_LIMIT` when set (None for "off"); else MemAvailable of /proc/meminfo;
        else available physical pages × page size; else total physical memory; else None.

    Raises:
        ValueError: `PDESOLVE_MEMORY_LIMIT` is not a valid size.
    """
    override = os.environ.get(ENV)
    if override is not None:
        return _parse_limit(override)
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    for pages in ("SC_AVPHYS_PAGES", "SC_PHYS_PAGES"):
        try:
            return float(os.sysconf(pages) * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError, AttributeError):
            continue
    return None


def device_memory(device) -> float | None:
    """Free bytes of an accelerator (`bytes_limit − bytes_in_use` of its memory stats).

    Returns:
        None for CPU devices (they use host memory) and when the device reports no stats.
    """
    if getattr(device, "platform", "cpu") == "cpu":
        return None
    try:
        stats = device.memory_stats() or {}
    except Exception:  # some backends do not implement memory_stats
        return None
    if "bytes_limit" not in stats:
        return None
    return float(stats["bytes_limit"] - stats.get("bytes_in_use", 0))


def check_memory(needs, *, where: str, devices=()) -> float:
    """Refuse a computation whose estimated peak memory exceeds what is available.

    Host items are summed and compared with `host_memory()`. Items `on_device` are per-device
    sizes: on CPU devices they are host memory (times the number of devices); on accelerators
    each is compared with the smallest free memory among `devices`.

    Args:
        needs: iterable of `Need`.
        where: the entry point, for the message (e.g. "celm.solve").
        devices: the `jax.Device`s the on-device items live on (one each).

    Returns:
        The estimated host bytes.

    Raises:
        ValueError: the estimate exceeds the available memory; the message gives the sizes,
            the largest item and the settings to lower.
    """
    needs = [n for n in needs if n.bytes > 0]
    devices = list(devices) or [None]
    free = [device_memory(d) for d in devices if d is not None]
    on_accelerator = bool(free) and all(f is not None for f in free)
    host_items = [n for n in needs if not (n.on_device and on_accelerator)]
    count = 1 if on_accelerator else len(devices)
    host = sum(n.bytes * (count if n.on_device else 1) for n in host_items)
    limit = host_memory()
    if limit is not None and host > limit:
        _refuse(where, host_items, host, limit, "of host memory is available",
                scale={n: count for n in host_items if n.on_device})
    if on_accelerator:
        device_items = [n for n in needs if n.on_device]
        per_device = sum(n.bytes for n in device_items)
        if per_device > min(free):
            _refuse(where, device_items, per_device, min(free),
                    f"is free on {devices[int(free.index(min(free)))]}", scale={})
    return host


def _refuse(where, items, total, limit, place, scale):
    items = sorted(items, key=lambda n: -n.bytes * scale.get(n, 1))
    parts = "; ".join(f"{n.what}: {format_bytes(n.bytes * scale.get(n, 1))}" for n in items[:4])
    settings = items[0].settings
    source = f"{ENV}={os.environ[ENV]!r}" if ENV in os.environ else "this machine"
    raise ValueError(
        f"{where} needs about {format_bytes(total)} of memory ({parts}), but only "
        f"{format_bytes(limit)} {place} ({source}); lower {settings}. Set {ENV} to override "
        "the limit (e.g. '64G', or 'off')."
    )

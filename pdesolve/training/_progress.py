"""A dependency-free progress line for terminals and Jupyter (carriage-return updates on stderr)."""

import sys
import time


def default_enabled() -> bool:
    """Show progress when stderr is a terminal or the code runs in a Jupyter kernel."""
    return bool(getattr(sys.stderr, "isatty", lambda: False)()) or "ipykernel" in sys.modules


class Progress:
    """One status line rewritten in place: bar, count, loss, rate.

    Args:
        total: number of steps (or rows, ...).
        enabled: write nothing when False.
        stream: output stream (default stderr).
        unit: what is counted, for the rate ("it" per second by default; e.g. "rows").
    """

    def __init__(self, total: int, enabled: bool = True, stream=None, width: int = 24,
                 unit: str = "it"):
        self.total, self.enabled, self.width, self.unit = total, enabled, width, unit
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()

    def update(self, step: int, loss: float | None = None, error: float | None = None,
               first: int = 0):
        if not self.enabled:
            return
        done = int(self.width * step / max(self.total, 1))
        rate = (step - first) / max(time.perf_counter() - self.start, 1e-9)
        loss = "" if loss is None else f" loss {loss:.3e}"
        err = "" if error is None else f" err {error:.2e}"
        line = (
            f"\r[{'#' * done}{'.' * (self.width - done)}] {step}/{self.total}"
            f"{loss}{err} {rate:.1f} {self.unit}/s"
        )
        self.stream.write(line)
        self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

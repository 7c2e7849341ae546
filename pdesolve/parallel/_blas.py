"""How many threads the host BLAS/LAPACK (SciPy's OpenBLAS) may use inside pdesolve's calls.

The streamed least squares factorises on the host while XLA assembles the next row block on its
own thread pool. Both pools at full width oversubscribe the cores: on the 2-core test machine the
CELM hexagram's solve took 4-20 s with OpenBLAS's default 2 threads against 0.6-0.7 s with 1
(benchmarks/results/blas_threads.md). Inside `blas_threads()` the BLAS pool is limited to
`PDESOLVE_BLAS_THREADS` threads when that variable is set (a positive integer), else to half the
cores (at least 1), leaving the rest to XLA; the caller's own limit applies again on exit. The
thread count can change the last bits of a factorisation (reduction order), so the same count
gives the same numbers.
"""

import contextlib
import os

ENV = "PDESOLVE_BLAS_THREADS"


def blas_thread_count() -> int:
    """The BLAS thread limit pdesolve uses: `PDESOLVE_BLAS_THREADS`, else max(1, cores // 2).

    Raises:
        ValueError: `PDESOLVE_BLAS_THREADS` is set to something other than a positive integer.
    """
    text = os.environ.get(ENV, "").strip()
    if not text:
        return max(1, (os.cpu_count() or 1) // 2)
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(
            f"{ENV} must be a positive integer (BLAS threads), got {text!r}; unset it for the "
            "default (half the cores).")
    return value


@contextlib.contextmanager
def blas_threads():
    """Context manager: the host BLAS pool limited to `blas_thread_count()` threads inside."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=blas_thread_count(), user_api="blas"):
        yield

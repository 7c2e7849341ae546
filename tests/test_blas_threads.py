"""The BLAS thread limit around host LAPACK calls (pdesolve.parallel.blas_threads)."""

import os
import re

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from pdesolve.parallel import blas_thread_count, blas_threads


def _blas_threads_now() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_default_is_half_the_cores(monkeypatch):
    monkeypatch.delenv("PDESOLVE_BLAS_THREADS", raising=False)
    assert blas_thread_count() == max(1, os.cpu_count() // 2)


def test_limit_applies_inside_and_is_lifted_after(monkeypatch):
    np.ones(4) @ np.ones(4)  # BLAS loaded
    before = _blas_threads_now()
    monkeypatch.setenv("PDESOLVE_BLAS_THREADS", "1")
    with blas_threads():
        assert _blas_threads_now() == {1}
    assert _blas_threads_now() == before


@pytest.mark.parametrize("text", ["0", "-2", "two", "1.5"])
def test_bad_setting_is_a_clear_error(monkeypatch, text):
    monkeypatch.setenv("PDESOLVE_BLAS_THREADS", text)
    message = rf"PDESOLVE_BLAS_THREADS must be a positive integer .*{re.escape(text)}"
    with pytest.raises(ValueError, match=message):
        blas_thread_count()

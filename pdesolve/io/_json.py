"""Plain JSON data from the values solvers put in `info` dicts."""

import numpy as np


def json_data(value):
    """`value` as JSON data: dicts and sequences recursively, arrays and numpy scalars as
    lists and numbers, str/int/float/bool/None unchanged, any other object as its text."""
    if isinstance(value, dict):
        return {str(k): json_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_data(v) for v in value]
    if isinstance(value, (np.generic, np.ndarray)):
        return np.asarray(value).tolist()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)

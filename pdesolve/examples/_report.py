"""Results of an example run as JSON data and as a text summary."""

from ..io import json_data


def public_results(results: dict) -> dict:
    """The JSON-ready part of a results dict: keys not starting with "_", NumPy arrays and
    scalars as lists and numbers (`pdesolve.io.json_data`), in the order of `results`."""
    return json_data({k: v for k, v in results.items() if not k.startswith("_")})


def format_summary(example, results: dict, hidden: tuple[str, ...] = ()) -> str:
    """A header line with the example's name and description, then one line per public result
    except those named in `hidden`."""
    lines = [f"== {example.name}: {example.description}"]
    for k, v in public_results(results).items():
        if k not in hidden:
            lines.append(f"  {k:>22}: {_format(v)}")
    return "\n".join(lines)


def _format(value) -> str:
    if isinstance(value, float):
        tiny_or_huge = value != 0 and (abs(value) < 1e-2 or abs(value) >= 1e4)
        return f"{value:.3e}" if tiny_or_huge else f"{value:.4g}"
    return str(value)

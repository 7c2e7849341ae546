"""Every CELM example with the least squares on the host and on the device, side by side.

Run: `python benchmarks/celm_backends.py [--names celm_square,...] [--quick] [--out FILE]`.

Each example runs at its script's defaults in a fresh process per backend (`--backend host`,
then `--backend device`), twice per process (seed 0 with compilation, seed 1 warm), as in
`celm_examples.py`. The table gives both errors, their ratio (device / host, worst of the two
seeds) and both warm times; the last line states the worst error ratio over all examples.
"""

import argparse
import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import celm_examples  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from pdesolve.examples import EXAMPLES

    names = (args.names.split(",") if args.names
             else sorted(e.name for e in EXAMPLES if e.name.startswith("celm_")))
    load = os.getloadavg()
    lines = [
        "# CELM examples: least squares on the host vs on the device", "",
        f"`python benchmarks/celm_backends.py {' '.join(argv or sys.argv[1:])}`; "
        f"{platform.machine()}, {os.cpu_count()} CPUs, BLAS threads "
        f"{os.environ.get('OPENBLAS_NUM_THREADS', 'default')}, load average before "
        f"{'/'.join(f'{v:.2f}' for v in load)}. One CPU device: the device path is the JAX "
        "fold of the row blocks (`backend=\"device\"`), the host path SciPy's dtpqrt.", "",
        "| example | bc | rows × unknowns | rel L2 host (seeds 1 / 0) "
        "| rel L2 device (seeds 1 / 0) | ratio device / host (worst seed) "
        "| warm time host (s) | warm time device (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    ratios = {}
    for name in names:
        res = {b: celm_examples.run(name, args.quick, ("--backend", b))
               for b in ("host", "device")}
        print(name, json.dumps(res), flush=True)
        if any("error" in r for r in res.values()):
            lines.append(f"| {name} | failed: {res} |" + " |" * 6)
            continue
        h, d = res["host"], res["device"]
        worst = lambda r: max(r["relative_l2"], r["first_relative_l2"])
        ratios[name] = worst(d) / worst(h)
        lines.append(
            f"| {name} | {h['bc']} | {h['rows']} × {h['unknowns']} | {h['relative_l2']:.2e} / "
            f"{h['first_relative_l2']:.2e} | {d['relative_l2']:.2e} / "
            f"{d['first_relative_l2']:.2e} | {ratios[name]:.2f} | {h['wall_time_s']:.2f} | "
            f"{d['wall_time_s']:.2f} |")
    if ratios:
        name = max(ratios, key=ratios.get)
        lines += ["", f"Worst error ratio device / host: {ratios[name]:.2f} ({name}); best "
                  f"{min(ratios.values()):.2f}. Load average after: "
                  f"{'/'.join(f'{v:.2f}' for v in os.getloadavg())}."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()

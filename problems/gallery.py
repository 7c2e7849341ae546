"""Geometry gallery: sample every kind of domain and check measures, distances and normals.
Run `python problems/gallery.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("gallery"))

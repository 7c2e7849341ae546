"""Geometry gallery: sample every kind of domain and check measures, distances and normals.
Run `python problems/gallery.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("gallery", sys.argv[1:])

"""CELM example celm_shell. Run `python problems/celm_shell.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("celm_shell"))

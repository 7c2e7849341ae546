"""Layering rules checked on the source: no module reaches into another package's private
modules, and only the geometry layer switches on the type of a geometry shape."""

import ast
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCANNED = ("pdesolve", "problems", "benchmarks")
# the top-level package's version attribute, read by the archive writer and the CLI
ALLOWED_PRIVATE = {"pdesolve._version"}
SHAPES = {"Box", "Interval", "Rectangle", "Ball", "Disk", "Polygon", "Mesh", "Union",
          "Intersection", "Difference", "SpaceTime"}
GEOMETRY = "pdesolve.geometry"


def _modules():
    """(path, dotted module name, dotted package name, parsed tree) of every scanned file."""
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            package = parts[:-1]
            if parts[-1] == "__init__":
                parts, package = parts[:-1], parts[:-1]
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            yield path, ".".join(parts), ".".join(package), tree


def _absolute(node, package):
    """The absolute dotted module of an `ImportFrom` (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imported(tree, package):
    """(line, dotted name) of every module or name imported by the tree."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _private_owner(name):
    """The package that owns the first private component of `name`, or None if none is private."""
    parts = name.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not (part.startswith("__") and part.endswith("__")):
            return ".".join(parts[:i])
    return None


def private_import_violations():
    found = []
    for path, _, package, tree in _modules():
        for line, name in _imported(tree, package):
            owner = _private_owner(name)
            if owner is None or owner == package or not owner.startswith("pdesolve"):
                continue
            if any(name == allowed or name.startswith(allowed + ".")
                   for allowed in ALLOWED_PRIVATE):
                continue
            found.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
    return found


def _shape_names(tree, package):
    """Names bound to geometry shape classes and names bound to the geometry package."""
    classes, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            for alias in node.names:
                bound = alias.asname or alias.name
                if module.startswith(GEOMETRY) and alias.name in SHAPES:
                    classes.add(bound)
                elif f"{module}.{alias.name}" == GEOMETRY:
                    modules.add(bound)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(GEOMETRY):
                    modules.add(alias.asname or alias.name)
    return classes, modules


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return inner and f"{inner}.{node.attr}"
    return None


def _class_refs(node):
    """The expressions naming classes in isinstance's second argument (tuples, `A | B`)."""
    if isinstance(node, ast.Tuple):
        return [ref for item in node.elts for ref in _class_refs(item)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _class_refs(node.left) + _class_refs(node.right)
    return [node]


def shape_isinstance_violations():
    found = []
    for path, module, package, tree in _modules():
        if module == GEOMETRY or module.startswith(GEOMETRY + "."):
            continue
        classes, modules = _shape_names(tree, package)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _dotted(node.func) == "isinstance"
                    and len(node.args) == 2):
                continue
            for ref in _class_refs(node.args[1]):
                name = _dotted(ref) or ""
                head, _, last = name.rpartition(".")
                if name in classes or (last in SHAPES and (head in modules or head == GEOMETRY)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: isinstance(…, {name})")
    return found


def test_no_module_imports_another_packages_private_modules():
    violations = private_import_violations()
    assert not violations, "private imports across packages:\n" + "\n".join(violations)


def test_only_the_geometry_layer_switches_on_shape_classes():
    violations = shape_isinstance_violations()
    assert not violations, (
        "isinstance on geometry shapes outside pdesolve/geometry (use a Domain capability "
        "method instead):\n" + "\n".join(violations)
    )


def test_the_checks_see_violations():
    tree = ast.parse("from ..geometry._sampling import unit_cube\nfrom ._x import y\n")
    names = [name for _, name in _imported(tree, "pdesolve.pinn")]
    assert names == ["pdesolve.geometry._sampling.unit_cube", "pdesolve.pinn._x.y"]
    assert _private_owner(names[0]) == "pdesolve.geometry"
    assert _private_owner(names[1]) == "pdesolve.pinn"
    tree = ast.parse("from pdesolve import geometry as geo\nfrom ..geometry import Box\n")
    assert _shape_names(tree, "pdesolve.pinn") == ({"Box"}, {"geo"})


def test_importing_the_geometry_layer_does_not_import_matplotlib_or_meshio():
    code = ("import sys, pdesolve.geometry; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'meshio'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]"

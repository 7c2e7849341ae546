"""Files: atomic writes, saved solutions, VTU export (ParaView).

Every file pdesolve writes goes through `atomic_path`: a temporary name in the same folder,
renamed over the target once complete, so an interrupted write never leaves a half file.
"""

from ._archive import FileFormatError as FileFormatError
from ._archive import archive_kind as archive_kind
from ._archive import npz_path as npz_path
from ._archive import read_archive as read_archive
from ._archive import write_archive as write_archive
from ._atomic import atomic_path as atomic_path
from ._atomic import remove_orphans as remove_orphans
from ._atomic import write_bytes_atomic as write_bytes_atomic
from ._json import json_data as json_data
from ._solution_files import load_solution as load_solution
from ._solution_files import save_solution as save_solution
from ._trees import leaf_name as leaf_name
from ._trees import tree_arrays as tree_arrays
from ._trees import tree_like as tree_like
from ._vtu import export_solution_vtu as export_solution_vtu
from ._vtu import export_vtu as export_vtu

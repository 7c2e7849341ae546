"""Training: an optax loop scanned on device, schedules, samplers, checkpoints, progress."""

from ..geometry import box_points as box_points
from ..geometry import pool_subset as pool_subset
from ..geometry import unit_points as unit_points
from ._checkpoint import Checkpoint as Checkpoint
from ._checkpoint import checkpoint_paths as checkpoint_paths
from ._checkpoint import latest_checkpoint as latest_checkpoint
from ._checkpoint import load_checkpoint as load_checkpoint
from ._checkpoint import save_checkpoint as save_checkpoint
from ._failures import TrainingDiverged as TrainingDiverged
from ._failures import TrainingInterrupted as TrainingInterrupted
from ._fingerprint import run_fingerprint as run_fingerprint
from ._loop import train as train
from ._progress import Progress as Progress
from ._progress import default_enabled as default_enabled
from ._schedules import as_weight as as_weight
from ._schedules import reference_schedule as reference_schedule
from ._schedules import staged_weight as staged_weight
from ._training_settings import MAX_STEPS as MAX_STEPS
from ._training_settings import Training as Training

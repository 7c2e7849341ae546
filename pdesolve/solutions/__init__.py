"""The contract every solver's result keeps: `Solution` (call, problem, info, errors, save,
load, result) and its status `Status`."""

from ._solution import SHARED_INFO as SHARED_INFO
from ._solution import Solution as Solution
from ._status import Status as Status

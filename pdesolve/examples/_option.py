"""One tunable setting of an example, declared as data (the CLI turns it into `--name`)."""

import dataclasses
import math

from ..validation import describe


@dataclasses.dataclass(frozen=True)
class Option:
    """A setting an example exposes to its caller (keyword of `run`, `--kebab-name` on the CLI).

    Attributes:
        name: the keyword, a Python identifier (`n_interior`; the CLI spells it
            `--n-interior`).
        type: `int`, `float`, `str` or `bool` (a `bool` option is a flag on the CLI).
        default: the value when neither the example's settings nor the caller set one; None
            when every example using the option sets it.
        help: one line for `--help`.
        choices: the allowed values, or () for any value of `type`.
        lower: the smallest allowed value (numbers only), or None.
        lower_inclusive: whether `lower` itself is allowed.
    """

    name: str
    type: type
    default: object
    help: str
    choices: tuple = ()
    lower: float | None = None
    lower_inclusive: bool = True

    @property
    def requirement(self) -> str:
        """What a valid value is, in words: "a positive integer", "one of 'qr', 'svd'"."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.type is int:
            if self.lower == 1 and self.lower_inclusive:
                return "a positive integer"
            return "an integer" if self.lower is None else f"an integer >= {self.lower:g}"
        if self.type is float:
            if self.lower == 0 and not self.lower_inclusive:
                return "a finite positive number"
            if self.lower is None:
                return "a finite number"
            return f"a finite number {'>=' if self.lower_inclusive else '>'} {self.lower:g}"
        return "True or False" if self.type is bool else f"a {self.type.__name__}"

    def check(self, value, where: str):
        """`value` when it is valid for this option (an int is accepted for a float option).

        Raises:
            ValueError: `value` has the wrong type, is not among `choices`, or is below `lower`
                (the message names `where`, the option, the value and what is allowed).
        """
        number = self.type in (int, float)
        ok = isinstance(value, self.type) and not (number and isinstance(value, bool))
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if ok and self.choices:
            ok = value in self.choices
        if ok and self.type is float:
            ok = math.isfinite(value)
        if ok and number and self.lower is not None:
            ok = value >= self.lower if self.lower_inclusive else value > self.lower
        if not ok:
            raise ValueError(f"{where}: {self.name} must be {self.requirement}, got "
                             f"{describe(value)}.")
        return value

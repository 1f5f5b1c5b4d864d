"""Which format a stored model's BLOB was written in (the learned sentiment model, text/learned.py;
the themes' model, text/themes.py), read without loading the model: the checks after every import
that decide whether a model is due (loaders/learning.py) would otherwise load scikit-learn and
unpickle the model for nothing."""
from __future__ import annotations

import pickletools

# the learned sentiment model's format (text/learned.py)
FORMAT = 2
# the themes' model's format (text/themes.py ThemeModel)
THEME_FORMAT = 1

_INTEGER_OPS = {"BININT1", "BININT2", "BININT", "INT", "LONG1"}


def format_of(blob: bytes) -> int:
    """The format number a model's to_bytes pickled first, `(format, model)`: the first integer in the
    pickle's opcodes (read one at a time, nothing built)."""
    for opcode, argument, _ in pickletools.genops(blob):
        if opcode.name in _INTEGER_OPS:
            return int(argument)
    raise ValueError("a stored model without a format number")

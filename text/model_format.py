"""Which format a stored model's BLOB was written in (the learned sentiment model, text/learned.py;
the themes' model, text/themes.py), read without loading the model: the checks after every import
that decide whether a model is due (loaders/learning.py) would otherwise load scikit-learn and
unpickle the model for nothing."""
from __future__ import annotations

import pickle
import pickletools

# the learned sentiment model's format (text/learned.py)
FORMAT = 3
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


def read_model(blob: bytes, current: int, what: str):
    """The model of a BLOB written as `(format, model)`, or None for one of a format older than
    `current` (found or learned again at the next import, loaders/learning.py); a newer format is an
    error naming `what`. The store's own BLOB only: never bytes from outside the store."""
    version, model = pickle.loads(blob)
    if version < current:
        return None
    if version != current:
        raise ValueError(f"a {what} of format {version}; this version reads format {current}")
    return model

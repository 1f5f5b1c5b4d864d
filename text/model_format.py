"""Which format a stored learned model's BLOB (text/learned.py) was written in, read without loading
the model: the check after every import that decides whether a model is due (loaders/learning.py)
would otherwise load scikit-learn and unpickle the model for nothing."""
from __future__ import annotations

import pickletools

FORMAT = 2

_INTEGER_OPS = {"BININT1", "BININT2", "BININT", "INT", "LONG1"}


def format_of(blob: bytes) -> int:
    """The format number LearnedSentiment.to_bytes pickled first, `(FORMAT, model)`: the first integer
    in the pickle's opcodes (read one at a time, nothing built)."""
    for opcode, argument, _ in pickletools.genops(blob):
        if opcode.name in _INTEGER_OPS:
            return int(argument)
    raise ValueError("a stored sentiment model without a format number")

"""The errors every layer shares: each says what went wrong in words an analyst can act on."""
from __future__ import annotations


class FeedbackError(Exception):
    """Base of every error the dashboard raises on purpose."""


class QueryError(FeedbackError):
    """The store refused or failed a query."""


class StoreBusy(QueryError):
    """Another import or undo held the store at the same moment."""

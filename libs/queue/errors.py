"""Errors a job handler raises to report an expected failure."""

from __future__ import annotations


class JobFailed(Exception):
    """Report that a job failed for a reason worth showing to its submitter."""

    def __init__(self, reason: str) -> None:
        """Keep ``reason`` as the failure reason of the job's result."""
        super().__init__(reason)
        self.reason = reason

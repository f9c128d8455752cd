"""Lint, build, test and report the academy monorepo's Docker images from one manifest."""

__version__ = "0.1.0"

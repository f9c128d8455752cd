"""Start a worker from the command line: parse flags, set up logging, run the loop."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from libs.queue.consumer import Consumer, Handler
from libs.settings import ConfigError, Settings

log = logging.getLogger(__name__)

# Loggers of the academy's own code; third-party libraries stay at WARNING.
OWN_LOGGERS = ("libs", "apps")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        msg = f"expected a whole number, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if value < 1:
        msg = f"must be at least 1, got {value}"
        raise argparse.ArgumentTypeError(msg)
    return value


def configure_logging() -> None:
    """Log one line per record to stdout at ACADEMY_LOG_LEVEL (default INFO)."""
    level_name = os.environ.get("ACADEMY_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        level = logging.INFO
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)


def run_worker(
    kind: str,
    make_handler: Callable[[Settings], Handler],
    argv: Sequence[str] | None = None,
    *,
    prog: str,
) -> int:
    """Run the ``kind`` worker with the handler ``make_handler`` builds; return its exit code."""
    parser = argparse.ArgumentParser(
        prog=prog, description=f"Consume academy {kind} jobs from SQS."
    )
    parser.add_argument(
        "--max-jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="exit with status 0 after N jobs (default: run until SIGTERM or SIGINT)",
    )
    args = parser.parse_args(argv)
    configure_logging()
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        log.error("bad configuration: %s", exc)
        return 2
    consumer = Consumer(kind, make_handler(settings), settings, max_jobs=args.max_jobs)
    return consumer.run()

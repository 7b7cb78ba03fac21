"""Logging to stderr in hclog's JSON line format.

go-plugin parses JSON lines with ``@level``/``@message`` from the plugin's stderr and
re-logs them at that level, so provider warnings show up under ``TF_LOG=warn`` and
multi-line tracebacks stay one entry. Other stderr lines are logged at debug level.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime

LOGGER_NAME = "riconnect.terraform"

_LEVELS = {
    logging.DEBUG: "debug",
    logging.INFO: "info",
    logging.WARNING: "warn",
    logging.ERROR: "error",
    logging.CRITICAL: "error",
}


def get_logger(suffix: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER_NAME}.{suffix}" if suffix else LOGGER_NAME)


class HclogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message = f"{message}\n{self.formatException(record.exc_info)}"
        stamp = datetime.fromtimestamp(record.created).astimezone()
        return json.dumps(
            {
                "@level": _LEVELS.get(record.levelno, "info"),
                "@message": f"{record.name}: {message}",
                "@timestamp": stamp.isoformat(timespec="microseconds"),
            }
        )


def configure_logging() -> None:
    """Send our loggers (and the provider's) to stderr; TF_LOG=trace/debug adds debug."""
    level_name = (os.environ.get("TF_LOG_PROVIDER") or os.environ.get("TF_LOG") or "").upper()
    level = logging.DEBUG if level_name in ("TRACE", "DEBUG", "JSON") else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(HclogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)

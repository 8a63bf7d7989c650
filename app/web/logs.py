"""Structured logs: structlog events and the standard library's records (uvicorn's, SQLAlchemy's,
``logging.getLogger("chaindock")``) all leave as one JSON object a line.

structlog hands its events to the standard library, so one handler writes everything and the
log level and tests' ``caplog`` work as usual. ``chaindock serve`` gives uvicorn
:func:`uvicorn_log_config`, which every worker process applies at its start.
"""

import logging
from typing import Any

import structlog
from structlog.typing import Processor

# Fields added to every line, structlog's and the standard library's alike. merge_contextvars
# brings the request id bound by the request-context middleware.
_SHARED: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_structlog() -> None:
    """Route structlog through the standard library (idempotent; each process calls it)."""
    if structlog.is_configured():
        return
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def json_formatter() -> logging.Formatter:
    """One JSON object a line; exceptions as a ``exception`` text field."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
    )


def console_formatter() -> logging.Formatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.dev.ConsoleRenderer(),
        ],
    )


def uvicorn_log_config(level: str, log_format: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn: everything to stderr through our formatter.

    Only strings, so uvicorn can hand it to worker processes.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"chaindock": {"()": f"app.web.logs.{log_format}_formatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "chaindock",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's own loggers write through the root handler, not a second one.
            name: {"handlers": [], "level": level, "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }

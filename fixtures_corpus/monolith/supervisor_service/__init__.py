"""Agent supervisor web service.

The service exposes a small HTTP + WebSocket API in front of an agent
``Supervisor``.  Every request is executed inside a ``UserExecutionContext`` so
that state never leaks between users, threads or runs.
"""

from supervisor_service.config import Settings
from supervisor_service.context import InvalidContextError, UserExecutionContext

__all__ = ["InvalidContextError", "Settings", "UserExecutionContext", "__version__"]

__version__ = "2.7.1"

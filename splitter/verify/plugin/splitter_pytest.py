"""Start pytest the way its ``pytest`` console script does (standalone, stdlib + pytest).

``python -m pytest`` and ``python -c`` put the working directory (the project's
rootdir) first on ``sys.path``, where a package's ``typing/`` or ``signal/``
shadows the standard library and a test imports what the user's own ``pytest``
run could not. Run as a script, ``sys.path[0]`` is this directory instead — it
holds only splitter's snapshot plugin — and pytest's own rules (rootdir,
``--import-mode``, ``pythonpath``) decide what else is importable.
"""

import sys

import pytest

if __name__ == "__main__":
    sys.exit(pytest.console_main())

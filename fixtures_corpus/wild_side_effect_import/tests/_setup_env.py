"""Imported by the conftest for its side effect: the test environment."""

import os

os.environ["WILD_ENV_READY"] = "1"

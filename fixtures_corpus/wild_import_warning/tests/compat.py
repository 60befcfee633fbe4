"""A compatibility shim, as some libraries ship: importing it shows DeprecationWarnings
instead of hiding them (it calls ``warnings.simplefilter("default", DeprecationWarning)``)."""

import warnings

warnings.simplefilter("default", DeprecationWarning)

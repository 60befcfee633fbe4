# As sqlmesh's tests/__init__.py: the test package sets the application up when it is imported.
import numpy

numpy.seterr(all="raise")

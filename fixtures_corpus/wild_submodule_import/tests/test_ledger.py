import sys


def test_total_is_read_from_the_models_module(ledger_total):
    assert ledger_total == 40
    assert sys.modules["ledger.models"].TABLE[:1] == b"m"

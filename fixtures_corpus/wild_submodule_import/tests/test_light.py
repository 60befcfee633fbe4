def test_a_label(currency):
    assert currency == "EUR"

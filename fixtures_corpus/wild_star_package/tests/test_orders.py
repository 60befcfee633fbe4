def test_admin(admin):
    assert admin == {"id": 1, "name": "ada", "admin": True}


def test_invoice(invoice):
    assert [line["total"] for line in invoice["lines"]] == [12, 5] and invoice["currency"] == "EUR"

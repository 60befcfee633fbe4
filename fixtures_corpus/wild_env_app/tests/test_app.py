"""A test of the application itself, through the `app` fixture."""


def test_report_sums_orders_per_region(app, region):
    report = app.report()
    assert report.to_dict("records") == [{"region": region, "amount": 50.0}]

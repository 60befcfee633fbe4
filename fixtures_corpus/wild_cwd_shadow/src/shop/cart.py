from shop.typing import Cents, Sku


class Cart:
    def __init__(self):
        self.lines: dict[Sku, Cents] = {}

    def add(self, sku: Sku, price: Cents) -> None:
        self.lines[sku] = Cents(self.lines.get(sku, 0) + price)

    def total(self) -> Cents:
        return Cents(sum(self.lines.values()))

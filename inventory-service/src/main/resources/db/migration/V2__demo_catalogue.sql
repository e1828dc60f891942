-- The demo catalogue. Stock of 1000 lets a load test run a while; SKU-DOCK has only 5 units, so concurrent
-- orders for it show that stock is never oversold; SKU-SOLDOUT has none, so ordering it is rejected.
INSERT INTO product (sku, name, price, currency) VALUES
    ('SKU-KEYBOARD', 'Mechanical keyboard', 89.90, 'EUR'),
    ('SKU-MOUSE', 'Wireless mouse', 29.90, 'EUR'),
    ('SKU-MONITOR', '27-inch 4K monitor', 349.00, 'EUR'),
    ('SKU-HEADSET', 'Noise-cancelling headset', 149.00, 'EUR'),
    ('SKU-WEBCAM', 'Full HD webcam', 59.90, 'EUR'),
    ('SKU-DOCK', 'USB-C docking station (last units)', 129.00, 'EUR'),
    ('SKU-SOLDOUT', 'Retro console (sold out)', 199.00, 'EUR');

INSERT INTO stock (sku, stocked, available, reserved, shipped) VALUES
    ('SKU-KEYBOARD', 1000, 1000, 0, 0),
    ('SKU-MOUSE', 1000, 1000, 0, 0),
    ('SKU-MONITOR', 1000, 1000, 0, 0),
    ('SKU-HEADSET', 1000, 1000, 0, 0),
    ('SKU-WEBCAM', 1000, 1000, 0, 0),
    ('SKU-DOCK', 5, 5, 0, 0),
    ('SKU-SOLDOUT', 0, 0, 0, 0);

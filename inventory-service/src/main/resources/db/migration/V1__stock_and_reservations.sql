-- inventory-service: the catalogue, the stock per SKU and the reservations held for orders.
-- Portable between PostgreSQL and H2 in PostgreSQL mode.

CREATE TABLE product (
    sku      VARCHAR(64)   NOT NULL PRIMARY KEY,
    name     VARCHAR(200)  NOT NULL,
    price    NUMERIC(12,2) NOT NULL,
    currency VARCHAR(3)    NOT NULL,
    CONSTRAINT product_price_not_negative CHECK (price >= 0)
);

-- Stock is conserved: every unit ever stocked is available, reserved for an order, or shipped. The database
-- refuses any change that would break that or drive a count below zero, whatever code issues it.
CREATE TABLE stock (
    sku       VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES product (sku),
    stocked   INTEGER     NOT NULL,
    available INTEGER     NOT NULL,
    reserved  INTEGER     NOT NULL,
    shipped   INTEGER     NOT NULL,
    CONSTRAINT stock_not_negative CHECK (available >= 0 AND reserved >= 0 AND shipped >= 0),
    CONSTRAINT stock_conserved CHECK (available + reserved + shipped = stocked)
);

-- One reservation per order: what was asked for and what became of it
-- (RESERVED, RELEASED, SHIPPED, REJECTED, or CANCELLED when the cancellation arrived before the order).
CREATE TABLE reservation (
    order_id       VARCHAR(255)             NOT NULL PRIMARY KEY,
    reservation_id UUID                     NOT NULL UNIQUE,
    status         VARCHAR(16)              NOT NULL,
    reason         VARCHAR(2000),
    correlation_id VARCHAR(255)             NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The order's lines merged per SKU. A rejected order's lines are kept too; "unavailable" marks the ones that
-- could not be served. No foreign key to product: an order may name a SKU the catalogue does not have.
CREATE TABLE reservation_line (
    order_id    VARCHAR(255) NOT NULL REFERENCES reservation (order_id),
    sku         VARCHAR(255) NOT NULL,
    quantity    BIGINT       NOT NULL,
    unavailable BOOLEAN      NOT NULL,
    PRIMARY KEY (order_id, sku),
    CONSTRAINT reservation_line_quantity_positive CHECK (quantity > 0)
);

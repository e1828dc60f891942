-- One row per order: the join of OrderPlaced (address), OrderPayed (go-ahead) and OrderCancelled, and the
-- outcome. The primary key is what makes "at most one shipment per order" hold, and the row lock is what
-- serialises the handlers of one order's events when they arrive on two topics at once.
CREATE TABLE shipment (
    order_id            VARCHAR(100)             NOT NULL PRIMARY KEY,
    status              VARCHAR(20)              NOT NULL,
    recipient_name      VARCHAR(200),
    street              VARCHAR(200),
    city                VARCHAR(100),
    postal_code         VARCHAR(20),
    country             VARCHAR(60),
    payment_id          VARCHAR(100),
    -- the OrderPayed this shipment answers: the cause of OrderShipped / ShippingFailed, whichever event came last
    payment_event_id    UUID,
    shipment_id         VARCHAR(60),
    carrier             VARCHAR(100),
    tracking_number     VARCHAR(60),
    failure_reason      VARCHAR(500),
    cancellation_reason VARCHAR(500),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT shipment_status_check
        CHECK (status IN ('AWAITING_PAYMENT', 'AWAITING_ADDRESS', 'SHIPPED', 'FAILED', 'CANCELLED')),
    CONSTRAINT shipment_shipment_id_key UNIQUE (shipment_id),
    CONSTRAINT shipment_tracking_number_key UNIQUE (tracking_number)
);

CREATE INDEX shipment_updated_at_idx ON shipment (updated_at);

-- One payment per order. A row appears with the first event payment-service sees for the order: OrderPlaced
-- (the order's facts: amount, currency, card), InventoryUpdated (the go-ahead to charge) or OrderCancelled. The
-- charge happens when both OrderPlaced and InventoryUpdated have been seen, in whichever order they arrived.
CREATE TABLE payment (
    order_id          VARCHAR(100)             NOT NULL PRIMARY KEY,
    payment_id        VARCHAR(40)              NOT NULL,
    status            VARCHAR(16)              NOT NULL,
    -- from OrderPlaced; null until it is seen
    customer_id       VARCHAR(100),
    amount            NUMERIC(12, 2),
    currency          VARCHAR(3),
    -- the full card number is kept only while a charge is pending, then dropped; the last 4 digits stay
    card_number       VARCHAR(32),
    card_last4        VARCHAR(4),
    order_placed_at   TIMESTAMP WITH TIME ZONE,
    -- when inventory's go-ahead (InventoryUpdated) was seen; null until then
    go_ahead_at       TIMESTAMP WITH TIME ZONE,
    -- the gateway's references of the charge and of its refund
    charge_reference  VARCHAR(64),
    refund_reference  VARCHAR(64),
    -- why it was declined, refunded or cancelled
    reason            VARCHAR(500),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    charged_at        TIMESTAMP WITH TIME ZONE,
    declined_at       TIMESTAMP WITH TIME ZONE,
    refunded_at       TIMESTAMP WITH TIME ZONE,
    cancelled_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT payment_payment_id_uk UNIQUE (payment_id),
    CONSTRAINT payment_status_ck CHECK (status IN ('PENDING', 'CHARGED', 'DECLINED', 'REFUNDED', 'CANCELLED')),
    -- a charge is recorded at most once, and only a charge can be refunded
    CONSTRAINT payment_charged_ck CHECK (status NOT IN ('CHARGED', 'REFUNDED')
        OR (charged_at IS NOT NULL AND charge_reference IS NOT NULL)),
    CONSTRAINT payment_card_dropped_ck CHECK (status = 'PENDING' OR card_number IS NULL)
);

-- GET /payments?status=...: newest first
CREATE INDEX payment_status_created_idx ON payment (status, created_at);
CREATE INDEX payment_created_idx ON payment (created_at);

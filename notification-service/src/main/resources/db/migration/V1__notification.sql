-- The join: which customer placed each order (from OrderPlaced). A trigger that arrives first creates the row
-- without a customer; the row lock serialises the handlers of one order's events arriving on several topics.
CREATE TABLE order_recipient (
    order_id    VARCHAR(100)             NOT NULL PRIMARY KEY,
    customer_id VARCHAR(100),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- What the customer is told, at most once per order and kind. HELD until OrderPlaced names the customer.
CREATE TABLE notification (
    notification_id    VARCHAR(60)              NOT NULL PRIMARY KEY,
    order_id           VARCHAR(100)             NOT NULL,
    kind               VARCHAR(30)              NOT NULL,
    channel            VARCHAR(30)              NOT NULL,
    status             VARCHAR(10)              NOT NULL,
    customer_id        VARCHAR(100),
    subject            VARCHAR(200)             NOT NULL,
    message            VARCHAR(2000)            NOT NULL,
    -- the process and the event this notification answers: the correlation and causation ids of CustomerNotified
    correlation_id     VARCHAR(100)             NOT NULL,
    trigger_event_id   UUID                     NOT NULL,
    trigger_event_type VARCHAR(60)              NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at            TIMESTAMP WITH TIME ZONE,
    CONSTRAINT notification_status_check CHECK (status IN ('HELD', 'SENT')),
    CONSTRAINT notification_kind_check CHECK (kind IN ('ORDER_COMPLETED', 'ORDER_REJECTED', 'ORDER_CANCELLED')),
    CONSTRAINT notification_order_kind_key UNIQUE (order_id, kind)
);

CREATE INDEX notification_customer_idx ON notification (customer_id, created_at);
CREATE INDEX notification_created_at_idx ON notification (created_at);

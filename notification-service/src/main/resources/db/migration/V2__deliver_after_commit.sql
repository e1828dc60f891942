-- A notification is delivered after the transaction that decided it has committed (Deliveries): DUE between the
-- two, with the trace the delivery and its CustomerNotified belong to.
ALTER TABLE notification DROP CONSTRAINT notification_status_check;
ALTER TABLE notification ADD CONSTRAINT notification_status_check CHECK (status IN ('HELD', 'DUE', 'SENT'));
ALTER TABLE notification ADD COLUMN traceparent VARCHAR(64);
CREATE INDEX notification_status_idx ON notification (status, created_at);

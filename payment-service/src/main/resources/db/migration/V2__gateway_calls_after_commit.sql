-- The payment gateway is called after the event's transaction has committed, never while the payment's row is
-- locked (Payments, GatewayCalls). Between the two, a payment waits in CHARGING or REFUNDING with what the call's
-- answer needs: the process, the event the answer reacts to and its trace.
ALTER TABLE payment DROP CONSTRAINT payment_status_ck;
ALTER TABLE payment ADD CONSTRAINT payment_status_ck
    CHECK (status IN ('PENDING', 'CHARGING', 'CHARGED', 'DECLINED', 'REFUNDING', 'REFUNDED', 'CANCELLED'));
ALTER TABLE payment DROP CONSTRAINT payment_charged_ck;
ALTER TABLE payment ADD CONSTRAINT payment_charged_ck CHECK (status NOT IN ('CHARGED', 'REFUNDING', 'REFUNDED')
    OR (charged_at IS NOT NULL AND charge_reference IS NOT NULL));
-- the card is needed until the gateway has answered the charge
ALTER TABLE payment DROP CONSTRAINT payment_card_dropped_ck;
ALTER TABLE payment ADD CONSTRAINT payment_card_dropped_ck CHECK (status IN ('PENDING', 'CHARGING') OR card_number IS NULL);
ALTER TABLE payment ADD COLUMN correlation_id VARCHAR(100);
ALTER TABLE payment ADD COLUMN gateway_cause_event_id UUID;
ALTER TABLE payment ADD COLUMN gateway_traceparent VARCHAR(64);
ALTER TABLE payment ADD CONSTRAINT payment_gateway_call_ck CHECK (status NOT IN ('CHARGING', 'REFUNDING')
    OR (correlation_id IS NOT NULL AND gateway_cause_event_id IS NOT NULL));

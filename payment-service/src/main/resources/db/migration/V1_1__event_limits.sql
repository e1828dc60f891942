-- Columns follow the events' limits (dev.choreo.events.Limits): ID 64 for the payment id this service mints and
-- publishes. (V1_1: next to V1, whatever later versions the service adds.)
ALTER TABLE payment ALTER COLUMN payment_id SET DATA TYPE VARCHAR(64);

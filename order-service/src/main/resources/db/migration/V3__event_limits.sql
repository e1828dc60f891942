-- Columns follow the events' limits (dev.choreo.events.Limits): NAME 200 for the recipient's name and city,
-- REASON 500 for a cancellation's reason. What an event may carry always fits.
ALTER TABLE customer_order ALTER COLUMN ship_name SET DATA TYPE VARCHAR(200);
ALTER TABLE customer_order ALTER COLUMN ship_city SET DATA TYPE VARCHAR(200);
ALTER TABLE customer_order ALTER COLUMN cancellation_reason SET DATA TYPE VARCHAR(500);

-- Columns follow the events' limits (dev.choreo.events.Limits): NAME 200 for the city, ID 64 for the ids this
-- service mints and publishes.
ALTER TABLE shipment ALTER COLUMN city SET DATA TYPE VARCHAR(200);
ALTER TABLE shipment ALTER COLUMN shipment_id SET DATA TYPE VARCHAR(64);
ALTER TABLE shipment ALTER COLUMN tracking_number SET DATA TYPE VARCHAR(64);

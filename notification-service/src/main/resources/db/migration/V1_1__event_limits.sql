-- Columns follow the events' limits (dev.choreo.events.Limits): ID 64 for the notification id and the event type,
-- LABEL 100 for the channel. (V1_1: next to V1, whatever later versions the service adds.)
ALTER TABLE notification ALTER COLUMN notification_id SET DATA TYPE VARCHAR(64);
ALTER TABLE notification ALTER COLUMN trigger_event_type SET DATA TYPE VARCHAR(64);
ALTER TABLE notification ALTER COLUMN channel SET DATA TYPE VARCHAR(100);

-- Events each handler has already handled (idempotent consumers). Versioned below the services' own
-- migrations (V1...), so it is applied first on a new database.
CREATE TABLE processed_event (
    consumer     VARCHAR(100)             NOT NULL,
    event_id     UUID                     NOT NULL,
    processed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_event_processed_at_idx ON processed_event (processed_at);

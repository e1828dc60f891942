CREATE TABLE handled_order (order_id VARCHAR(64) PRIMARY KEY);

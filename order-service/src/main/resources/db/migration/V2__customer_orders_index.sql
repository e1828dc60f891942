-- GET /orders?customerId=...: a customer's orders, newest first
CREATE INDEX customer_order_customer_created_idx ON customer_order (customer_id, created_at);

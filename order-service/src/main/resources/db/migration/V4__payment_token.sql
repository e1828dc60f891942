-- Issue 15: orders are paid with a payment provider's token (at most dev.choreo.events.Limits.PAYMENT_TOKEN
-- characters), never a card number. The order keeps its token; the card's last digits, which order-service kept
-- before, go (payment-service knows them once the card is charged). Orders placed before have no token.
ALTER TABLE customer_order ADD COLUMN payment_token VARCHAR(64);
ALTER TABLE customer_order DROP COLUMN card_last4;

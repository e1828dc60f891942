-- Issue 15: a payment is charged with the payment provider's token (at most dev.choreo.events.Limits.PAYMENT_TOKEN
-- characters), never with a card number. The card number column goes, with any number it still held: upgrade
-- when no payment waits for its charge (PENDING with its order known, or CHARGING), as no OrderPlaced v1 is left
-- unread either. Like the number before it, the token is kept only until the gateway has answered; the card's last
-- 4 digits come with the provider's answer.
ALTER TABLE payment DROP CONSTRAINT payment_card_dropped_ck;
ALTER TABLE payment DROP COLUMN card_number;
ALTER TABLE payment ADD COLUMN payment_token VARCHAR(64);
ALTER TABLE payment ADD CONSTRAINT payment_token_dropped_ck
    CHECK (status IN ('PENDING', 'CHARGING') OR payment_token IS NULL);

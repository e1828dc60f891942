package dev.choreo.events;

import java.math.BigDecimal;

/**
 * How much an event may carry, defined once for the whole suite. The events' constructors enforce these limits
 * (through {@link Require}), so a producer cannot build an event beyond them and a consumer cannot read one: the
 * record goes to the dead-letter topic with the reason. The REST requests and the database columns of the services
 * follow these constants, so whatever an API accepts fits every event and every column downstream.
 */
public final class Limits {

    /** Ids: order, customer, SKU, payment, reservation, shipment, notification, correlation, tracking number. */
    public static final int ID = 64;
    /** A free-text reason (a cancellation's, a decline's, a failure's). */
    public static final int REASON = 500;
    /** A name or an address line: a product's name, a recipient's name, street, city. */
    public static final int NAME = 200;
    /** A short label the services choose themselves: a carrier, a notification channel, who requested something. */
    public static final int LABEL = 100;
    public static final int POSTAL_CODE = 20;
    /** ISO 3166-1 alpha-2. */
    public static final int COUNTRY_CODE = 2;
    /** ISO 4217. */
    public static final int CURRENCY_CODE = 3;
    /** A payment provider's token for a card ({@code tok_visa}); a card number never enters the suite. */
    public static final int PAYMENT_TOKEN = 64;
    /** A token's shape: the provider's lower-case prefix, an underscore, then letters, digits and underscores. */
    public static final String PAYMENT_TOKEN_PATTERN = "[a-z]{2,10}_[A-Za-z0-9_]+";
    /** The last digits of a card that may be kept and shown. */
    public static final int CARD_LAST_DIGITS = 4;

    /** Lines of one order, and so SKUs of one reservation or rejection. */
    public static final int LINES_PER_ORDER = 50;
    /** Units of one SKU in one order. */
    public static final int QUANTITY_PER_LINE = 100;

    /** Digits of a money amount before the decimal point: NUMERIC(12,2) in every database. */
    public static final int AMOUNT_INTEGER_DIGITS = 10;
    /** Digits after the decimal point (cents). */
    public static final int AMOUNT_FRACTION_DIGITS = 2;
    /** The largest amount (a price, a total, a charge): {@value #MAX_AMOUNT_TEXT}. */
    public static final String MAX_AMOUNT_TEXT = "9999999999.99";
    public static final BigDecimal MAX_AMOUNT = new BigDecimal(MAX_AMOUNT_TEXT);

    /**
     * Bounds of the JSON text of one event, checked while it is parsed, before any value is built: they stop what
     * the field limits cannot see in time (a 10 MB string, a number of a million digits, deep nesting).
     */
    public static final int MAX_EVENT_BYTES = 128 * 1024;
    /** Above every field limit, so that a long field is refused by the field's own check, which names it. */
    public static final int MAX_JSON_STRING = 4 * 1024;
    /** Characters of a JSON number: an amount, a quantity, a version. */
    public static final int MAX_JSON_NUMBER = 32;
    /** Nesting of objects and arrays (an event nests 3 deep). */
    public static final int MAX_JSON_DEPTH = 16;

    private Limits() {
    }
}

package dev.choreo.inventory.web;

/** The shapes of the identifiers the REST API accepts in paths; anything else is a 400, not a lookup. */
public final class Identifiers {

    /** A SKU: letters, digits, '.', '_' or '-', at most 64 characters (the column's width). */
    public static final String SKU = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    public static final String SKU_MESSAGE = "must be 1 to 64 letters, digits, '.', '_' or '-'";

    /** An order id as order-service mints them, with room to spare: at most 255 characters. */
    public static final String ORDER_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,254}";
    public static final String ORDER_ID_MESSAGE = "must be 1 to 255 letters, digits, '.', '_', ':' or '-'";

    private Identifiers() {
    }
}

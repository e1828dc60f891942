package dev.choreo.order.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Card details a client sent where the API takes a payment token (issue 15): all the request keeps of them is that
 * they were sent. The value is skipped unread, so it can be neither stored, echoed in the problem details nor
 * logged (Spring logs rejected values at debug level; this one's is {@code SENT}).
 */
@JsonDeserialize(using = CardDetails.SkipUnread.class)
enum CardDetails {
    SENT;

    static final String REFUSED = "card details are not accepted: send paymentToken, the payment provider's token "
            + "for the card (such as tok_visa)";

    static final class SkipUnread extends ValueDeserializer<CardDetails> {

        @Override
        public CardDetails deserialize(JsonParser parser, DeserializationContext context) {
            parser.skipChildren();
            return SENT;
        }
    }
}

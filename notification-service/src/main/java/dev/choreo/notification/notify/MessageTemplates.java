package dev.choreo.notification.notify;

import dev.choreo.events.inventory.InventoryRejected;
import dev.choreo.events.inventory.InventoryReleased;
import dev.choreo.events.shipping.OrderShipped;
import dev.choreo.notification.NotificationProperties;
import org.springframework.stereotype.Component;

/** The words: subject and text of each kind of notification, from the event that triggers it. */
@Component
class MessageTemplates {

    /** A subject and a message text. */
    record Text(String subject, String message) {
    }

    private final String signature;

    MessageTemplates(NotificationProperties properties) {
        this.signature = "\n\n" + properties.shopName();
    }

    Text completed(OrderShipped shipped) {
        return new Text("Your order " + shipped.orderId() + " is on its way",
                "Good news: your order " + shipped.orderId() + " has shipped with " + shipped.carrier()
                        + ". Tracking number: " + shipped.trackingNumber() + "." + signature);
    }

    Text rejected(InventoryRejected rejected) {
        String unavailable = rejected.unavailableSkus().isEmpty() ? ""
                : " Not available: " + String.join(", ", rejected.unavailableSkus()) + ".";
        return new Text("We could not take your order " + rejected.orderId(),
                "Sorry, we could not reserve the items of your order " + rejected.orderId() + " ("
                        + rejected.reason() + ")." + unavailable + " Nothing was charged." + signature);
    }

    Text cancelled(InventoryReleased released) {
        return new Text("Your order " + released.orderId() + " was cancelled",
                "Your order " + released.orderId() + " was cancelled (" + released.reason() + "). "
                        + "Any payment taken for it is refunded." + signature);
    }
}

package dev.choreo.events.inventory;

import dev.choreo.events.OrderScopedEvent;

/** Events published by inventory-service on {@link dev.choreo.events.Topics#INVENTORY_EVENTS}. */
public sealed interface InventoryEvent extends OrderScopedEvent
        permits InventoryUpdated, InventoryRejected, InventoryReleased {
}

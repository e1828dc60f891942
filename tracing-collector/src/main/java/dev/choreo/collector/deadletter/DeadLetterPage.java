package dev.choreo.collector.deadletter;

import java.util.List;

/**
 * @param total            how many match the filter
 * @param indexed          dead letters in this instance's index
 * @param droppedFromIndex how many left the index at its bound ({@code max-indexed}) since the instance started
 */
public record DeadLetterPage(int total, int page, int size, List<DeadLetterView> items, int indexed,
        long droppedFromIndex) {
}

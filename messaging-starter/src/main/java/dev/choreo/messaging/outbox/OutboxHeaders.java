package dev.choreo.messaging.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Record headers in one outbox column: a count, then per header its UTF-8 name and its value, each length-prefixed.
 * Binary values (a dead letter's original partition and offset) survive as they are.
 */
final class OutboxHeaders {

    private OutboxHeaders() {
    }

    static byte[] encode(Iterable<Header> headers) {
        List<byte[]> parts = new ArrayList<>();
        int size = Integer.BYTES;
        for (Header header : headers) {
            byte[] name = header.key().getBytes(StandardCharsets.UTF_8);
            byte[] value = header.value() == null ? new byte[0] : header.value();
            parts.add(name);
            parts.add(value);
            size += 2 * Integer.BYTES + name.length + value.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(parts.size() / 2);
        for (byte[] part : parts) {
            buffer.putInt(part.length).put(part);
        }
        return buffer.array();
    }

    static List<Header> decode(byte[] encoded) {
        ByteBuffer buffer = ByteBuffer.wrap(encoded);
        int count = buffer.getInt();
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = new String(next(buffer), StandardCharsets.UTF_8);
            headers.add(new RecordHeader(name, next(buffer)));
        }
        return headers;
    }

    private static byte[] next(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return bytes;
    }
}

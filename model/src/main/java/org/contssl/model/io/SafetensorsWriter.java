package org.contssl.model.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the safetensors format: an 8-byte little-endian header length, a JSON header (per tensor its dtype, shape
 * and byte range in the data; {@code __metadata__} string pairs) padded with spaces to a multiple of 8, then the
 * tensors' raw little-endian bytes back to back in header order.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    public static void write(OutputStream out, List<ExportTensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (ExportTensor t : tensors) {
            ObjectNode n = header.putObject(t.name());
            n.put("dtype", t.dtype().safetensorsName());
            Arrays.stream(t.shape()).forEach(n.putArray("shape")::add);
            n.putArray("data_offsets").add(offset).add(offset + t.data().length);
            offset += t.data().length;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] h = Arrays.copyOf(json, padded);
        Arrays.fill(h, json.length, padded, (byte) ' ');
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(h);
        for (ExportTensor t : tensors) {
            out.write(t.data());
        }
    }
}

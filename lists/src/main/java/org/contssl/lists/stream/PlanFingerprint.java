package org.contssl.lists.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.contssl.lists.Sidecars;

/**
 * What identifies a plan: the SHA-256 of the request plus the planner version. A stored {@code plan.json} whose
 * fingerprint matches is reused on restart; frame folders carry a short hash so stale renderings are never reused.
 */
final class PlanFingerprint {

    /** Bump when selection or rendering changes, so stale plans and frame folders are not reused. */
    static final int PLANNER_VERSION = 1;

    private PlanFingerprint() {
    }

    /** SHA-256 of the request (minus the thread count, which never changes results) and the planner version. */
    static String of(StreamRequest req) {
        ObjectNode n = Sidecars.MAPPER.valueToTree(req);
        n.remove("threads");
        if (req.listType() == ListType.MEMMAP) {
            // the text-list options change nothing for memmap lists and built-in sources: leaving them out keeps
            // the fingerprints (and so the reuse of completed plans) of those streams as they were
            for (String k : new String[] {"listType", "fnameFmt", "seqSamples", "seqSampling", "clsSamples",
                    "decorrelate"}) {
                n.remove(k);
            }
        }
        n.put("plannerVersion", PLANNER_VERSION);
        try {
            return hex(Sidecars.MAPPER.writeValueAsBytes(n));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex SHA-256 of a string's UTF-8 bytes. */
    static String sha256(String s) {
        return hex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}

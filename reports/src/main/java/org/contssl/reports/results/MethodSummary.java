package org.contssl.reports.results;

/**
 * What was trained, in the words of the reference's tables (method, single pass, buffer, size).
 *
 * @param label           e.g. "FIFO buffer (x4)"; {@link #of} derives it
 * @param bufferType      the reference's {@code model.buffer_type}: none, none_noseq, simple (FIFO), minred, ...
 * @param bufferSize      {@code model.buff_siz} (0 without buffer)
 * @param updatesPerChunk {@code model.num_updates} (R)
 * @param singlePass      true when each stream image arrives once (epochs = 1)
 * @param epochs          {@code optim.epochs}
 */
public record MethodSummary(String label, String bufferType, int bufferSize, int updatesPerChunk, boolean singlePass, int epochs) {

    public static MethodSummary of(String bufferType, int bufferSize, int updatesPerChunk, int epochs) {
        String t = bufferType == null ? "none" : bufferType;
        String label = switch (t) {
            case "simple", "fifo" -> "FIFO buffer (×" + updatesPerChunk + ")";
            case "minred" -> "MinRed buffer (×" + updatesPerChunk + ")";
            case "none", "none_noseq" -> epochs > 1 ? "Conventional (" + epochs + " epochs)" : "Conventional";
            default -> t + " buffer (×" + updatesPerChunk + ")";
        };
        boolean hasBuffer = !(t.equals("none") || t.equals("none_noseq"));
        return new MethodSummary(label, t, hasBuffer ? bufferSize : 0, updatesPerChunk, epochs <= 1, epochs);
    }

    /** "64K"-style size as in the reference's tables, "–" without buffer. */
    public String bufferSizeLabel() {
        if (bufferSize <= 0) return "–";
        if (bufferSize >= 1024 && bufferSize % 1024 == 0) return (bufferSize / 1024) + "K";
        return Integer.toString(bufferSize);
    }
}

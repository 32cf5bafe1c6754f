package org.contssl.reports.results;

/**
 * A saved checkpoint.
 *
 * @param name       e.g. checkpoint_00000.2500
 * @param progress   stream fraction in [0,1]
 * @param step       SGD steps done
 * @param imagesSeen stream images consumed
 * @param path       file or directory, relative to the workdir when possible
 * @param sha256     checksum of the parameters, may be null
 */
public record CheckpointRecord(String name, double progress, long step, long imagesSeen, String path, String sha256) {
}

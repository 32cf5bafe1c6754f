package org.contssl.steps.lists;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.contssl.lists.MemmapList;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.model.data.ImageDecodeException;
import org.contssl.model.data.ImageDecoder;
import org.contssl.model.data.SampleFailure;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.probe.ProbeSkips;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds bad images before any training (docs/failures.md, "Bad images"): every image of every probe list is
 * decoded with the very decoder and limits the probe step uses, so an unreadable, truncated, empty or oversized
 * one (a header declaring more than {@code data.max_image_pixels}) is either listed in skipped.csv now — within
 * {@code data.skip_limit}, where the probe step will skip it the same way — or fails the {@code lists} job with
 * one line, hours before the probe step would have met it. The stream is sampled by header only: its bad images
 * are skipped one by one during pretraining, but a sample already far past the limit fails here too.
 *
 * <p>Full decoding costs about one probe partition's decoding, a small share of the probes; a header check
 * alone would miss truncated pixel data.
 */
final class ProbeImageCheck {

    /** Stream records checked (evenly spaced); the whole stream when it is shorter. */
    static final int STREAM_SAMPLE = 512;
    /** A sample must show at least this many failures before it may fail the job (a few are expected noise). */
    static final int MIN_SAMPLE_FAILURES = 3;
    private static final Logger log = LoggerFactory.getLogger(ProbeImageCheck.class);

    private final ImageDecoder decoder;
    private final double skipLimit;
    private final ProbeSkips skips;

    ProbeImageCheck(RunConfig config, Path skippedCsv) {
        this.decoder = new ImageDecoder(config.data().maxImagePixels(), ImageDecoder.DEFAULT_MAX_FILE_BYTES);
        this.skipLimit = config.data().skipLimit();
        this.skips = new ProbeSkips(skippedCsv, skipLimit);
    }

    /** Checks each probe set's train and test list once (sets sharing a list are checked once); returns the skips. */
    int probeSets(List<ProbeSet> sets) {
        Map<Path, String[]> lists = new LinkedHashMap<>();
        for (ProbeSet set : sets) {
            lists.putIfAbsent(set.trainList(), new String[] {set.name(), "train"});
            lists.putIfAbsent(set.testList(), new String[] {set.name(), "test"});
        }
        int skipped = 0;
        for (Map.Entry<Path, String[]> e : lists.entrySet()) {
            try (MemmapList list = MemmapList.open(e.getKey())) {
                List<SampleFailure> failed = decodeAll(list);
                if (!failed.isEmpty()) {
                    // throws the probe step's own one-line failure when the list has more holes than the limit
                    skips.record(e.getValue()[0], e.getValue()[1], list, failed);
                    log.warn("lists: {} of {} images of the {} probe {} list cannot be read and are skipped (see"
                            + " skipped.csv); first: {}", failed.size(), list.size(), e.getValue()[0],
                            e.getValue()[1], failed.get(0).message());
                    skipped += failed.size();
                }
            }
        }
        return skipped;
    }

    private List<SampleFailure> decodeAll(MemmapList list) {
        int n = Math.toIntExact(list.size());
        List<SampleFailure> failed = new ArrayList<>();
        IntStream.range(0, n).parallel().mapToObj(i -> check(list.resolve(i), i, true)).filter(f -> f != null)
                .sequential().forEach(failed::add);
        failed.sort(Comparator.comparingInt(SampleFailure::index));
        return failed;
    }

    /** Header-checks an even sample of the stream; fails when the sample is clearly past the skip limit. */
    void streamSample(MemmapList stream) {
        long n = stream.size();
        int k = (int) Math.min(n, STREAM_SAMPLE);
        if (k == 0) {
            return;
        }
        List<SampleFailure> failed = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            long i = j * n / k;
            Path file = stream.resolve(i);
            if (Files.isDirectory(file)) {
                continue; // a video slot: its frames are chosen at load time and checked then
            }
            SampleFailure f = check(file, (int) Math.min(i, Integer.MAX_VALUE), false);
            if (f != null) {
                failed.add(f);
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        SampleFailure first = failed.get(0);
        if (failed.size() >= MIN_SAMPLE_FAILURES && failed.size() > Math.floor(k * skipLimit)) {
            throw new BadStreamException(failed.size() + " of " + k + " sampled stream images cannot be read (first: "
                    + first.message() + "), far more than data.skip_limit=" + skipLimit + " allows: fix the source"
                    + " images or raise data.skip_limit");
        }
        log.warn("lists: {} of {} sampled stream images cannot be read (first: {}); pretraining skips such images"
                + " up to data.skip_limit={}", failed.size(), k, first.message(), skipLimit);
    }

    private SampleFailure check(Path file, int index, boolean decode) {
        try {
            if (decode) {
                decoder.decode(file);
            } else {
                decoder.probe(file);
            }
            return null;
        } catch (ImageDecodeException e) {
            return new SampleFailure(index, file, e.reason(), e.getMessage());
        }
    }

    /** A stream whose sample shows more bad images than the skip limit allows. */
    static final class BadStreamException extends RuntimeException {
        BadStreamException(String message) {
            super(message);
        }
    }
}

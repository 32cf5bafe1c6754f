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
 * one line, hours before the probe step would have met it. The stream is sampled by header only, for an early
 * warning: its bad images are skipped one by one during pretraining, within the same limit.
 *
 * <p>Full decoding costs about one probe partition's decoding, a small share of the probes; a header check
 * alone would miss truncated pixel data.
 */
final class ProbeImageCheck {

    /** Stream records checked (evenly spaced); the whole stream when it is shorter. */
    static final int STREAM_SAMPLE = 512;
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

    /**
     * Header-checks an even sample of the stream and warns about what it finds. Only a warning: the skip limit is a
     * fraction of the whole stream, enforced image by image during pretraining, and a sample cannot decide it.
     */
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
        if (failed.size() > Math.floor(k * skipLimit)) {
            log.warn("lists: the stream sample is past data.skip_limit={}: pretraining will most likely fail once it has"
                    + " met more bad images than that; fix the source images or raise the limit", skipLimit);
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

}

package org.contssl.storage.checkpoint;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Child JVM: starts writing a checkpoint whose section never ends, so the test can kill -9 it mid-write. */
public final class SlowCheckpointWriter {
    public static void main(String[] args) throws Exception {
        CheckpointStore store = new CheckpointStore(Path.of(args[0]));
        Map<String, SectionWriter> s = new LinkedHashMap<>();
        s.put("model", out -> {
            byte[] block = new byte[4096];
            for (int i = 0; ; i++) {
                out.write(block);
                out.flush();
                if (i == 10) {
                    System.out.println("WRITING");
                    System.out.flush();
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        store.write(CheckpointStore.nameFor(0.5), 0.5, s);
    }
}

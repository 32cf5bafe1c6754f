package org.contssl.steps.pretrain;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Receives one incoming chunk of the stream (B records read, bad images already skipped) and hands it to the
 * training session: insert into the buffer, evict, then the R steps the chunk owes (checkpointing on the way).
 */
public class TrainingWriter implements ItemWriter<StreamItem> {

    private final TrainingSessionHolder sessions;
    private final StreamReader reader;

    public TrainingWriter(TrainingSessionHolder sessions, StreamReader reader) {
        this.sessions = sessions;
        this.reader = reader;
    }

    @Override
    public void write(Chunk<? extends StreamItem> chunk) {
        sessions.current().ingest(java.util.List.copyOf(chunk.getItems()), reader.position());
    }
}

package org.contssl.steps.pretrain;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Receives one incoming chunk of the stream (B records read, bad images already skipped) and hands it to the
 * training session: insert into the buffer, evict, then the R steps the chunk owes (checkpointing on the way).
 * A stop request honoured by the session ends the step STOPPED after this chunk.
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
        TrainingSession session = sessions.current();
        session.ingest(java.util.List.copyOf(chunk.getItems()), reader.position());
        if (session.stopped()) {
            // Spring Batch's stop semantics: the step ends STOPPED after this chunk commits (restartable)
            sessions.terminateStep();
        }
    }
}

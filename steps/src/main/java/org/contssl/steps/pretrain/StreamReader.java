package org.contssl.steps.pretrain;

import org.contssl.lists.MemmapList;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the stream list once (per epoch) in order, up to the kept length T (the tail shorter than one batch is
 * dropped). Where it starts is decided by the training session — the position of the checkpoint it restored —
 * not by the execution context: training state only moves forward through checkpoints, so records read after
 * the last checkpoint by a crashed process are read again, exactly as the uninterrupted run read them.
 *
 * <p>Multi-epoch runs without a buffer visit the list in a new seeded permutation each epoch after the first
 * (fixing the reference's defect D7 of docs/reference-system.md §14, which replayed the same order every epoch).
 */
public class StreamReader implements ItemStreamReader<StreamItem> {

    private final TrainingSessionHolder sessions;
    private TrainingSession session;
    private MemmapList list;
    private long keptLength;
    private long end;
    private long position;
    private int epochOfOrder = -1;
    private long[] order;

    public StreamReader(TrainingSessionHolder sessions) {
        this.sessions = sessions;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        session = sessions.current();
        list = session.stream();
        keptLength = session.plan().keptLength();
        end = keptLength * session.plan().epochs();
        position = session.position();
    }

    @Override
    public StreamItem read() {
        if (position >= end) {
            return null;
        }
        int epoch = (int) (position / keptLength);
        long index = indexAt(epoch, position % keptLength);
        position++;
        return StreamItem.of(session.files(), list, index, epoch);
    }

    private long indexAt(int epoch, long offset) {
        if (epoch == 0) {
            return offset;
        }
        if (epochOfOrder != epoch) {
            order = EpochOrder.permutation(keptLength, session.seed(), epoch);
            epochOfOrder = epoch;
        }
        return order[(int) offset];
    }

    /** Position after the last record read: the end of the chunk being written. */
    public long position() {
        return position;
    }

    @Override
    public void update(ExecutionContext executionContext) {
        // informational only (status shows it); restarts follow the checkpoint, see the class comment
        executionContext.putLong("stream.read_position", position);
    }

    @Override
    public void close() {
        // the list belongs to the session
    }
}

package org.contssl.jobs.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An OS file lock on {@code <workdir>/lock}, held for the whole life of a run. The kernel drops it when the
 * process dies (kill -9 included), so a held lock always means a live process and a free lock means any
 * STARTED execution in the database is stale and may be recovered.
 */
public final class WorkdirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private WorkdirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or returns empty when another live process holds it. */
    public static Optional<WorkdirLock> tryAcquire(Path lockFile) {
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(false);
            return Optional.of(new WorkdirLock(channel, lock));
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        }
    }

    /** The pid written by the current holder, for messages. */
    public static String holder(Path lockFile) {
        try {
            return Files.readString(lockFile).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel releases the lock with the process anyway
        }
    }
}

package org.contssl.jobs.remote;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import javax.sql.DataSource;
import org.contssl.jobs.config.JobDatabase;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.PostgresChannelMessageStoreQueryProvider;
import org.springframework.integration.store.MessageGroupQueue;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.messaging.Message;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transport of partition requests: Spring Integration's JDBC channel message store in the shared PostgreSQL
 * database, behind a {@link QueueChannel}. Chosen over a broker (Artemis) because the job repository already is a
 * database every participant reaches: nothing else to install, secure or keep running, and a queued request survives
 * the crash of any process, the manager's included. PostgreSQL's {@code FOR UPDATE SKIP LOCKED} (the store's
 * PostgreSQL query provider) hands each request to exactly one poller.
 *
 * <p>Spring Batch's {@link StepExecutionRequest} is the message; who runs a partition is recorded by a claim taken in
 * the same transaction as the dequeue ({@link WorkerRegistry}), so a worker that dies after taking a request is seen
 * by the manager, which sends the request again.
 */
public final class PartitionTransport {

    private static final String GROUP = "contssl.partitions";
    private static final Map<String, PartitionTransport> BY_URL = new ConcurrentHashMap<>();
    private final QueueChannel channel;
    private final WorkerRegistry registry;
    private final TransactionTemplate transactions;

    private PartitionTransport(DataSource dataSource) {
        JdbcChannelMessageStore store = new JdbcChannelMessageStore(dataSource);
        store.setChannelMessageStoreQueryProvider(new PostgresChannelMessageStoreQueryProvider());
        store.setRegion("contssl");
        // the store deserializes only allow-listed classes: the message, its headers and Spring Batch's request
        store.addAllowedPatterns("org.springframework.batch.integration.partition.StepExecutionRequest",
                "org.springframework.messaging.support.GenericMessage", "org.springframework.messaging.MessageHeaders",
                "java.util.*", "java.lang.*");
        store.afterPropertiesSet();
        this.channel = new QueueChannel(new MessageGroupQueue(store, GROUP));
        this.registry = new WorkerRegistry(dataSource);
        this.transactions = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    /** The transport of the process's shared job database; empty when the workdir's H2 file is the repository. */
    public static Optional<PartitionTransport> current() {
        String url = JobDatabase.sharedUrl();
        return url == null ? Optional.empty()
                : Optional.of(BY_URL.computeIfAbsent(url, u -> new PartitionTransport(JobDatabase.pool(u))));
    }

    public WorkerRegistry registry() {
        return registry;
    }

    public void send(String stepName, long stepExecutionId) {
        channel.send(MessageBuilder.withPayload(new StepExecutionRequest(stepName, stepExecutionId)).build());
    }

    /**
     * Takes the next request this process may run: dequeue and claim commit together. Requests whose partition is
     * already claimed (the manager ran it itself) or no longer waiting are dropped here.
     */
    public Taken take(String workerId, LongPredicate waiting) {
        return transactions.execute(status -> {
            Message<?> message = channel.receive(0);
            if (message == null) {
                return null;
            }
            if (!(message.getPayload() instanceof StepExecutionRequest request)) {
                return new Taken(null, false);
            }
            long id = request.getStepExecutionId();
            return new Taken(request, waiting.test(id) && registry.claim(id, workerId));
        });
    }

    /** A dequeued request, and whether this process claimed it (else it was dropped as stale or taken). */
    public record Taken(StepExecutionRequest request, boolean claimed) {
    }
}

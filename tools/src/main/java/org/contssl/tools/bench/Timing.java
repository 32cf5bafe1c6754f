package org.contssl.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one timer of every benchmark. Each measurement records wall-clock and CPU time of the calling thread: on a
 * machine shared with other processes the CPU figure is the stable one (wall time only counts when the work runs on
 * this thread and the machine is idle). Patterns:
 * <ul>
 *   <li>{@link #once}: one timed run that also returns the task's value;</li>
 *   <li>{@link #repeat}: untimed warm-up runs (JIT, page cache), then timed runs; take the best or the median;</li>
 *   <li>{@link #repeatSelfTimed}: the same for tasks that time their own core (set-up outside the clock);</li>
 *   <li>{@link #perItem}: warm up for 30 % of a time budget, then run items until the budget is spent;</li>
 *   <li>{@link #interleaved}: rounds in which every contender runs once, so load from other processes hits all of them
 *       alike instead of whichever ran during a busy minute.</li>
 * </ul>
 */
public final class Timing {
    private Timing() {}

    /** A task to time. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    /** A task to time that returns a value. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    /** A task that measures its own core and returns the seconds it took (its set-up is not counted). */
    @FunctionalInterface
    public interface SelfTimed {
        double seconds() throws Exception;
    }

    /** The i-th item of a budget-limited loop. */
    @FunctionalInterface
    public interface Item {
        void run(int i) throws Exception;
    }

    /** One contender's round: the values it measured (seconds, rates, ...) in this round. */
    @FunctionalInterface
    public interface Round {
        List<Double> run(int round) throws Exception;
    }

    /** One run's value with its wall-clock and calling-thread CPU seconds. */
    public record Timed<T>(T value, double wallSeconds, double cpuSeconds) {}

    /** Wall-clock and calling-thread CPU seconds (of one run, or per item). */
    public record Sample(double wallSeconds, double cpuSeconds) {}

    /** Runs {@code task} once and times it. */
    public static <T> Timed<T> once(Call<T> task) throws Exception {
        long c0 = ProcessStats.threadCpuNanos();
        long t0 = System.nanoTime();
        T value = task.call();
        double wall = (System.nanoTime() - t0) / 1e9;
        return new Timed<>(value, wall, (ProcessStats.threadCpuNanos() - c0) / 1e9);
    }

    /** Runs {@code task} {@code warmup} times untimed, then {@code runs} times timed. */
    public static Samples repeat(int warmup, int runs, Task task) throws Exception {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        List<Double> wall = new ArrayList<>(runs);
        List<Double> cpu = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            Timed<Void> t = once(() -> {
                task.run();
                return null;
            });
            wall.add(t.wallSeconds());
            cpu.add(t.cpuSeconds());
        }
        return new Samples(wall, cpu);
    }

    /** Runs a self-timed task {@code warmup} times, then {@code runs} times; the samples are its own seconds. */
    public static Samples repeatSelfTimed(int warmup, int runs, SelfTimed task) throws Exception {
        for (int i = 0; i < warmup; i++) {
            task.seconds();
        }
        List<Double> wall = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            wall.add(task.seconds());
        }
        return new Samples(wall, List.of());
    }

    /**
     * Warms up for 30 % of {@code budgetSeconds}, then runs items in groups of 16 until the budget is spent; returns
     * the seconds per item. The item index keeps counting through warm-up, so items vary.
     */
    public static Sample perItem(double budgetSeconds, Item item) throws Exception {
        long warmEnd = System.nanoTime() + (long) (budgetSeconds * 0.3e9);
        int i = 0;
        while (System.nanoTime() < warmEnd) {
            item.run(i++);
        }
        long c0 = ProcessStats.threadCpuNanos();
        long t0 = System.nanoTime();
        long end = t0 + (long) (budgetSeconds * 1e9);
        int count = 0;
        long now;
        do {
            for (int k = 0; k < 16; k++) {
                item.run(i++);
            }
            count += 16;
            now = System.nanoTime();
        } while (now < end);
        return new Sample((now - t0) / 1e9 / count, (ProcessStats.threadCpuNanos() - c0) / 1e9 / count);
    }

    /**
     * {@code rounds} rounds; in each, every contender runs once, in the map's order. Returns each contender's values
     * over all rounds (in the same order).
     */
    public static <K> Map<K, List<Double>> interleaved(int rounds, Map<K, Round> contenders) throws Exception {
        Map<K, List<Double>> out = new LinkedHashMap<>();
        contenders.keySet().forEach(k -> out.put(k, new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<K, Round> c : contenders.entrySet()) {
                out.get(c.getKey()).addAll(c.getValue().run(round));
            }
        }
        return out;
    }
}

package org.contssl.lists.stream;

/**
 * Builds one kind of training stream: writes the stream list (exporting or rendering the image files it names) and
 * the probe lists that go with it, and returns the plan. {@link StreamPlanner} asks each registered planner in turn
 * whether it {@link #accepts} a request and hands the build to the first that does.
 *
 * <p>Adding a stream kind or source is one new implementation plus one line in {@link StreamPlanner}'s registry;
 * the reference's other list sources (plain text lists, Kinetics frame lists, class-sequential folders; see
 * {@code docs/reference-system.md}, list formats) are meant to arrive that way. Implementations take every random
 * choice from {@link Seeds} under the run seed and write every file atomically, so a build is reproducible and
 * restartable.
 */
interface StreamKindPlanner {

    /** Whether this planner builds the stream {@code req} asks for; registered planners never overlap. */
    boolean accepts(StreamRequest req);

    /** Writes the stream and probe lists for {@code ctx.req()} and returns the plan (the facade saves it). */
    StreamPlan build(PlanContext ctx);
}

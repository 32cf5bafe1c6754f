package org.contssl.reports.render;

import java.util.ArrayList;
import java.util.List;
import org.contssl.reports.charts.ChartImage;

/**
 * The report as a small document tree, built once and rendered to both Markdown and HTML so the two files always state
 * the same things. Inline text may use {@code **bold**} and {@code `code`}; renderers escape everything else.
 */
public final class Doc {
    public final String title;
    public final List<String> subtitle = new ArrayList<>();
    public final List<Section> sections = new ArrayList<>();

    public Doc(String title) {
        this.title = title;
    }

    public Section section(String heading) {
        Section s = new Section(heading);
        sections.add(s);
        return s;
    }

    public sealed interface Block permits Para, Bullets, Table, Figure, Pre {}

    public record Para(String text) implements Block {}

    public record Bullets(List<String> items) implements Block {}

    /** A table; {@code caption} may be null. Cells are inline text. */
    public record Table(String caption, List<String> header, List<List<String>> rows) implements Block {}

    public record Figure(ChartImage chart) implements Block {}

    public record Pre(String text) implements Block {}

    public static final class Section {
        public final String heading;
        public final List<Block> blocks = new ArrayList<>();

        Section(String heading) {
            this.heading = heading;
        }

        public Section para(String text) { blocks.add(new Para(text)); return this; }
        public Section bullets(List<String> items) { if (!items.isEmpty()) blocks.add(new Bullets(List.copyOf(items))); return this; }
        public Section table(String caption, List<String> header, List<List<String>> rows) { blocks.add(new Table(caption, List.copyOf(header), List.copyOf(rows))); return this; }
        public Section figure(ChartImage c) { if (c != null) blocks.add(new Figure(c)); return this; }
        public Section pre(String text) { blocks.add(new Pre(text)); return this; }
    }
}

package org.contssl.reports.render;

import java.util.List;

/** Renders a {@link Doc} as GitHub-flavoured Markdown; figures link the PNG files written next to report.md. */
public final class MarkdownRenderer {

    public String render(Doc doc) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(inline(doc.title)).append("\n\n");
        for (String s : doc.subtitle) sb.append(inline(s)).append("  \n");
        if (!doc.subtitle.isEmpty()) sb.append('\n');
        for (Doc.Section sec : doc.sections) {
            sb.append("## ").append(inline(sec.heading)).append("\n\n");
            for (Doc.Block b : sec.blocks) {
                if (b instanceof Doc.Para p) {
                    sb.append(inline(p.text())).append("\n\n");
                } else if (b instanceof Doc.Bullets l) {
                    for (String i : l.items()) sb.append("- ").append(inline(i)).append('\n');
                    sb.append('\n');
                } else if (b instanceof Doc.Table t) {
                    table(sb, t);
                } else if (b instanceof Doc.Figure f) {
                    sb.append("![").append(inline(f.chart().title())).append("](").append(f.chart().fileName())
                            .append(")\n\n*").append(inline(f.chart().caption())).append("*\n\n");
                } else if (b instanceof Doc.Pre p) {
                    sb.append("```\n").append(p.text().replace("```", "ˋˋˋ")).append(p.text().endsWith("\n") ? "" : "\n").append("```\n\n");
                }
            }
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, Doc.Table t) {
        if (t.caption() != null) sb.append("**").append(inline(t.caption())).append("**\n\n");
        row(sb, t.header());
        sb.append('|');
        for (int i = 0; i < t.header().size(); i++) sb.append("---|");
        sb.append('\n');
        for (List<String> r : t.rows()) row(sb, r);
        sb.append('\n');
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append('|');
        for (String c : cells) sb.append(' ').append(inline(c).replace("|", "\\|")).append(" |");
        sb.append('\n');
    }

    /** Our inline syntax is a subset of Markdown; only line breaks must go (tables and bullets are one line each). */
    private static String inline(String s) {
        return s == null ? "" : s.replace("\r", "").replace("\n", " ");
    }
}

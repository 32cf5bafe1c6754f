package org.contssl.reports.render;

import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link Doc} as ONE self-contained HTML file: inline CSS, PNG charts inlined as base64 data URIs, no
 * scripts, no fonts or styles from a CDN, so it opens offline and can be mailed or archived as a single file.
 */
public final class HtmlRenderer {
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI","DejaVu Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em;border-bottom:2px solid #1f77b4;padding-bottom:.2em}
            h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.15em}
            table{border-collapse:collapse;margin:.6em 0 1.2em 0;font-size:.92em}
            th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
            th{background:#f2f5f9}
            tr:nth-child(even) td{background:#fafafa}
            caption{caption-side:top;text-align:left;font-weight:600;padding-bottom:.3em}
            figure{margin:1em 0 1.6em 0}
            figure img{max-width:100%;height:auto;border:1px solid #eee}
            figcaption{font-size:.9em;color:#555}
            pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:.85em}
            code{background:#f2f2f2;padding:0 .2em}
            .sub{color:#555;font-size:.92em;margin:0}
            """;

    public String render(Doc doc) {
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .append("<title>").append(esc(doc.title)).append("</title>\n")
          .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(inline(doc.title)).append("</h1>\n");
        for (String s : doc.subtitle) sb.append("<p class=\"sub\">").append(inline(s)).append("</p>\n");
        for (Doc.Section sec : doc.sections) {
            sb.append("<h2>").append(inline(sec.heading)).append("</h2>\n");
            for (Doc.Block b : sec.blocks) {
                if (b instanceof Doc.Para p) {
                    sb.append("<p>").append(inline(p.text())).append("</p>\n");
                } else if (b instanceof Doc.Bullets l) {
                    sb.append("<ul>\n");
                    for (String i : l.items()) sb.append("<li>").append(inline(i)).append("</li>\n");
                    sb.append("</ul>\n");
                } else if (b instanceof Doc.Table t) {
                    table(sb, t);
                } else if (b instanceof Doc.Figure f) {
                    sb.append("<figure><img alt=\"").append(esc(f.chart().title())).append("\" src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(f.chart().png())).append("\"><figcaption>")
                            .append(inline(f.chart().caption())).append("</figcaption></figure>\n");
                } else if (b instanceof Doc.Pre p) {
                    sb.append("<pre>").append(esc(p.text())).append("</pre>\n");
                }
            }
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void table(StringBuilder sb, Doc.Table t) {
        sb.append("<table>\n");
        if (t.caption() != null) sb.append("<caption>").append(inline(t.caption())).append("</caption>\n");
        sb.append("<thead><tr>");
        for (String h : t.header()) sb.append("<th>").append(inline(h)).append("</th>");
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : t.rows()) {
            sb.append("<tr>");
            for (String c : r) sb.append("<td>").append(inline(c)).append("</td>");
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
    }

    /** Escapes, then applies our two inline marks. */
    static String inline(String s) {
        String e = esc(s);
        e = BOLD.matcher(e).replaceAll(m -> "<strong>" + Matcher.quoteReplacement(m.group(1)) + "</strong>");
        return CODE.matcher(e).replaceAll(m -> "<code>" + Matcher.quoteReplacement(m.group(1)) + "</code>");
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}

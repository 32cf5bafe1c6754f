package org.contssl.lists;

/**
 * Optional rewrite applied to every record when it is read. The reference's loader replaced every {@code .jpg} by
 * {@code -256p.jpg}, the name its original lists gave the short-side-256 copies, while its public downloader saves
 * them under the plain {@code .jpg} name (defect D3 in {@code docs/reference-system.md}); contssl keeps the rewrite
 * available for the reference's own lists but off by default.
 */
public enum PathRewrite {
    NONE("none"),
    JPG_TO_256P("jpg-to-256p");

    private final String id;

    PathRewrite(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public String apply(String path) {
        // Like Python's str.replace: every occurrence, case-sensitive (".JPEG" stays untouched, as in the reference).
        return this == JPG_TO_256P ? path.replace(".jpg", "-256p.jpg") : path;
    }

    public static PathRewrite parse(String id) {
        if (id == null || id.isEmpty()) {
            return NONE;
        }
        for (PathRewrite r : values()) {
            if (r.id.equalsIgnoreCase(id) || r.name().equalsIgnoreCase(id)) {
                return r;
            }
        }
        throw new ListFormatException(ListFormatException.Problem.BAD_OPTION, null, -1,
                "unknown path rewrite '" + id + "'", "use one of: none, jpg-to-256p");
    }
}

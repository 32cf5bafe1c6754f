package org.contssl.lists;

import java.nio.file.Path;

/** Lexical containment checks for list records, cheap enough to run on every record of a large list. */
final class PathChecks {

    private PathChecks() {
    }

    /**
     * Whether {@code path} (a list record) stays strictly inside {@code baseDir}: a relative path may not climb
     * above the base with {@code ..} (nor name the base itself); an absolute one must lie under it.
     */
    static boolean insideBase(String path, Path baseDir) {
        if (path.startsWith("/")) {
            Path p = Path.of(path).normalize();
            return p.startsWith(baseDir) && !p.equals(baseDir);
        }
        if (path.indexOf("..") < 0) {
            return !path.isEmpty() && !path.equals(".");
        }
        int depth = 0;
        for (String seg : path.split("/")) {
            if (seg.equals("..")) {
                if (--depth < 0) {
                    return false;
                }
            } else if (!seg.isEmpty() && !seg.equals(".")) {
                depth++;
            }
        }
        return depth > 0;
    }
}

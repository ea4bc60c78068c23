package ai.lthn.ml.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code /reports/}: the HTML reports of a directory. Only plain names ({@code NAME.html}, no
 * path separators) of regular files directly in the directory are served, never through a link;
 * pages go out with a content security policy that allows no script and nothing from elsewhere,
 * as {@code ml report} writes them.
 */
final class Reports {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.html");
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private Reports() {}

    static void serve(Call call, Path dir, String name) throws IOException {
        call.response.getHeaders().put("Content-Security-Policy", POLICY);
        call.response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (name.isEmpty()) {
            call.send(200, "text/html; charset=utf-8", list(dir).getBytes(StandardCharsets.UTF_8));
            return;
        }
        Path file = dir.resolve(name);
        if (!NAME.matcher(name).matches()
                || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || !file.getParent().equals(dir)) throw ApiException.notFound("no such report: " + LogText.clip(name));
        call.send(200, "text/html; charset=utf-8", Files.readAllBytes(file));
    }

    private static String list(Path dir) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.html")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (NAME.matcher(n).matches() && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) names.add(n);
            }
        }
        StringBuilder h = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Reports</title></head><body><h1>Reports</h1><ul>");
        for (String n : names)
            h.append("<li><a href=\"").append(n).append("\">").append(n).append("</a></li>");
        return h.append("</ul></body></html>").toString();
    }
}

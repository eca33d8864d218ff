package io.sabot.telemetry;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Masking of URLs and HTTP headers that may carry secrets (a webhook's token sits in its path,
 * its query or its user info; an {@code Authorization} header is one). What is kept is enough to
 * tell endpoints apart: scheme, host and port. Everything after them becomes {@value Secrets#MASK}.
 * Example: {@code https://hooks.slack.com/services/T0/B0/XYZ} -> {@code https://hooks.slack.com/****}.
 */
public final class SecretUrls {
    private SecretUrls() { }

    /** The URL with user info, path, query and fragment masked; a URL that does not parse is masked whole. */
    public static String mask(String url) {
        if (url == null) return null;
        if (url.equals(Secrets.MASK) || isMasked(url)) return url;
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getHost() == null) return Secrets.MASK;
            boolean more = u.getRawUserInfo() != null || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                    || u.getRawQuery() != null || u.getRawFragment() != null;
            String base = u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
            return more ? base + "/" + Secrets.MASK : base + "/";
        } catch (java.net.URISyntaxException e) {
            return Secrets.MASK;
        }
    }

    /** Whether a URL is what {@link #mask} makes of one (a client sent back what it was shown). */
    public static boolean isMasked(String url) {
        return url != null && (url.equals(Secrets.MASK) || url.endsWith("/" + Secrets.MASK));
    }

    /** Header values are all treated as secrets: names kept, values masked. */
    public static Map<String, String> maskHeaders(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, Secrets.MASK));
        return out;
    }
}

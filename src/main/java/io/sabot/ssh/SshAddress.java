package io.sabot.ssh;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a remote engine is: {@code ssh://[user@]host[:port][?home=/path]}. Bad input is an
 * {@link IllegalArgumentException} (exit 2) that names the part that is wrong.
 *
 * @param user the remote user, or null for ssh's choice (its config, else the local user)
 * @param host a host name, an address, or an alias of the user's {@code ~/.ssh/config}
 * @param port the port, or null for ssh's choice
 * @param home the remote Sabot home, or null for the remote default ($SABOT_HOME there, else ~/.local/share/sabot)
 */
public record SshAddress(String user, String host, Integer port, String home) {
    public SshAddress {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("--host: no host name");
        if (host.startsWith("-")) throw new IllegalArgumentException("--host: a host name cannot start with '-': " + host);
        if (user != null && (user.isBlank() || user.startsWith("-") || user.contains("@"))) {
            throw new IllegalArgumentException("--host: bad user name \"" + user + "\"");
        }
        if (port != null && (port < 1 || port > 65535)) throw new IllegalArgumentException("--host: port must be 1 to 65535, was " + port);
        if (home != null && !(home.startsWith("/") || home.startsWith("~/"))) {
            throw new IllegalArgumentException("--host: home=" + home + " must be an absolute path on the remote host (or start with ~/)");
        }
    }

    /** Parses an {@code ssh://} URL; every error names what is wrong with it. */
    public static SshAddress parse(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("--host: empty; give ssh://[user@]host[:port][?home=/path]");
        String u = url.trim();
        if (!u.regionMatches(true, 0, "ssh://", 0, 6)) {
            throw new IllegalArgumentException("--host: \"" + url + "\" is not an ssh:// URL; give ssh://[user@]host[:port][?home=/path]");
        }
        String rest = u.substring(6);
        if (rest.isEmpty() || rest.startsWith("?") || rest.startsWith("/") || rest.startsWith("@")) {
            throw new IllegalArgumentException("--host: \"" + url + "\" has no host name");
        }
        URI uri;
        try {
            uri = new URI(u.replace(" ", "%20")); // a path with a blank, as people type it
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--host: \"" + url + "\" is not a valid URL: " + e.getReason());
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException("--host: \"" + url + "\" has a path (" + uri.getPath() + "); the remote home goes in ?home=/path");
        }
        if (uri.getFragment() != null) throw new IllegalArgumentException("--host: \"" + url + "\" has a #fragment");
        String host = uri.getHost();
        String user = uri.getUserInfo();
        Integer port = uri.getPort() < 0 ? null : uri.getPort();
        if (host == null) {
            // java.net.URI leaves the host null for names it does not accept (underscores): take the authority apart ourselves
            String auth = uri.getRawAuthority();
            if (auth == null || auth.isEmpty()) throw new IllegalArgumentException("--host: \"" + url + "\" has no host name");
            int at = auth.lastIndexOf('@');
            if (at >= 0) {
                user = auth.substring(0, at);
                auth = auth.substring(at + 1);
            }
            int colon = auth.lastIndexOf(':');
            if (colon >= 0 && auth.indexOf(']') < colon) {
                try {
                    port = Integer.parseInt(auth.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--host: port \"" + auth.substring(colon + 1) + "\" is not a number");
                }
                auth = auth.substring(0, colon);
            }
            host = auth;
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty()) throw new IllegalArgumentException("--host: \"" + url + "\" has no host name");
        if (host.startsWith("-")) throw new IllegalArgumentException("--host: a host name cannot start with '-': " + host);
        if (!host.matches("[A-Za-z0-9._:%-]+")) throw new IllegalArgumentException("--host: bad host name \"" + host + "\"");
        String home = null;
        String q = uri.getQuery();
        if (q != null && !q.isEmpty()) {
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                String k = eq < 0 ? kv : kv.substring(0, eq);
                if (!k.equals("home")) throw new IllegalArgumentException("--host: unknown parameter \"" + k + "\" (only ?home=/path)");
                home = eq < 0 ? "" : kv.substring(eq + 1);
            }
        }
        return new SshAddress(user, host, port, home);
    }

    /** {@code user@host:port} as given (for messages): what the user wrote, without the home. */
    public String display() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (user == null ? "" : user + "@") + h + (port == null ? "" : ":" + port);
    }

    /** A short name for the host (its label in the console): {@code host} or {@code host:port}. */
    public String label() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return h + (port == null ? "" : ":" + port);
    }

    /** The URL again, normalized. */
    public String url() { return "ssh://" + display() + (home == null ? "" : "?home=" + home); }

    /** The same host with another home. */
    public SshAddress withHome(String h) { return new SshAddress(user, host, port, h); }

    @Override
    public String toString() { return url(); }
}

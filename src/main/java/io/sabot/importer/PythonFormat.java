package io.sabot.importer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * supervisord's expansions: Python {@code %}-formatting with names, such as {@code %(ENV_HOME)s},
 * {@code %(here)s}, {@code %(program_name)s} or {@code %(process_num)02d}; {@code %%} is a percent sign.
 */
final class PythonFormat {
    private static final Pattern SPEC = Pattern.compile("%(%|\\(([^)]*)\\)([-#0 +]*)(\\d*)(?:\\.(\\d+))?([sdirxXoeEfFgG]))");

    private PythonFormat() {}

    /**
     * Expands {@code s}; an unknown name throws IllegalArgumentException naming it, as supervisord
     * refuses such a file ("Format string ... contains names which cannot be expanded").
     */
    static String expand(String s, Map<String, Object> names) {
        if (s.indexOf('%') < 0) return s;
        Matcher m = SPEC.matcher(s);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (s.substring(last, m.start()).contains("%")) throw new IllegalArgumentException("a lone '%' (write %% for a percent sign)");
            out.append(s, last, m.start());
            last = m.end();
            if (m.group(1).equals("%")) {
                out.append('%');
                continue;
            }
            String name = m.group(2);
            if (!names.containsKey(name)) {
                throw new IllegalArgumentException("%(" + name + ")" + " cannot be expanded"
                        + (name.startsWith("ENV_") ? ": the environment has no " + name.substring(4) : ""));
            }
            Object v = names.get(name);
            String flags = m.group(3), width = m.group(4), conv = m.group(6);
            String text;
            if ("dixXo".contains(conv)) {
                long n;
                try {
                    n = v instanceof Number ? ((Number) v).longValue() : Long.parseLong(String.valueOf(v).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("%(" + name + ")" + conv + " needs a number, " + name + " is \"" + v + "\"");
                }
                text = switch (conv) {
                    case "x" -> Long.toHexString(n);
                    case "X" -> Long.toHexString(n).toUpperCase(java.util.Locale.ROOT);
                    case "o" -> Long.toOctalString(n);
                    default -> Long.toString(n);
                };
            } else {
                text = String.valueOf(v);
            }
            if (!width.isEmpty()) {
                int w = Integer.parseInt(width);
                boolean left = flags.contains("-"), zero = flags.contains("0") && !left && "dixXo".contains(conv);
                while (text.length() < w) {
                    if (left) text = text + " ";
                    else if (zero) text = text.startsWith("-") ? "-0" + text.substring(1) : "0" + text;
                    else text = " " + text;
                }
            }
            out.append(text);
        }
        if (last < s.length()) {
            String rest = s.substring(last);
            if (rest.contains("%")) throw new IllegalArgumentException("a lone '%' (write %% for a percent sign)");
            out.append(rest);
        }
        return out.toString();
    }

    /** Whether {@code s} mentions {@code %(name)}. */
    static boolean mentions(String s, String name) { return s != null && s.contains("%(" + name + ")"); }
}

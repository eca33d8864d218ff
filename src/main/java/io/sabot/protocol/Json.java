package io.sabot.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately tiny, strict JSON reader and string quoter for the agent line protocol.
 *
 * <p>The built-in agent runs in a small child JVM whose start-to-ready time and RSS matter (up to
 * hundreds of them per host), so the protocol path loads a handful of classes instead of Jackson
 * databind. Values map to {@code Map<String,Object>} (insertion ordered), {@code List<Object>},
 * {@code String}, {@code Long} (integral numbers that fit), {@code Double}, {@code Boolean} and
 * {@code null}. Nesting is limited to {@value #MAX_DEPTH} levels so hostile input cannot overflow
 * the stack.
 */
public final class Json {
    public static final int MAX_DEPTH = 32;

    /** Thrown for any input that is not exactly one JSON value (surrounding whitespace allowed). */
    public static final class ParseException extends IllegalArgumentException {
        ParseException(String message, int pos) {
            super(message + " at " + pos);
        }
    }

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.pos != text.length()) throw new ParseException("trailing characters", p.pos);
        return v;
    }

    /** Parses text that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new ParseException("not a JSON object", 0);
        return (Map<String, Object>) v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw new ParseException("nesting too deep", pos);
        if (pos >= s.length()) throw new ParseException("unexpected end", pos);
        char c = s.charAt(pos);
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw new ParseException("unexpected character", pos);
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) throw new ParseException("bad literal", pos);
        pos += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        pos++; // {
        skipWs();
        if (peek() == '}') { pos++; return m; }
        while (true) {
            skipWs();
            if (peek() != '"') throw new ParseException("expected key", pos);
            String k = string();
            skipWs();
            if (peek() != ':') throw new ParseException("expected ':'", pos);
            pos++;
            skipWs();
            m.put(k, value(depth + 1));
            skipWs();
            char c = peek();
            pos++;
            if (c == '}') return m;
            if (c != ',') throw new ParseException("expected ',' or '}'", pos - 1);
        }
    }

    private List<Object> array(int depth) {
        List<Object> l = new ArrayList<>();
        pos++; // [
        skipWs();
        if (peek() == ']') { pos++; return l; }
        while (true) {
            skipWs();
            l.add(value(depth + 1));
            skipWs();
            char c = peek();
            pos++;
            if (c == ']') return l;
            if (c != ',') throw new ParseException("expected ',' or ']'", pos - 1);
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder b = null;
        int start = pos;
        while (true) {
            if (pos >= s.length()) throw new ParseException("unterminated string", pos);
            char c = s.charAt(pos);
            if (c == '"') {
                String out = b == null ? s.substring(start, pos) : b.append(s, start, pos).toString();
                pos++;
                return out;
            }
            if (c < 0x20) throw new ParseException("control character in string", pos);
            if (c == '\\') {
                if (b == null) b = new StringBuilder();
                b.append(s, start, pos);
                pos++;
                if (pos >= s.length()) throw new ParseException("unterminated escape", pos);
                char e = s.charAt(pos++);
                switch (e) {
                    case '"': b.append('"'); break;
                    case '\\': b.append('\\'); break;
                    case '/': b.append('/'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        if (pos + 4 > s.length()) throw new ParseException("bad \\u escape", pos);
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) throw new ParseException("bad \\u escape", pos - 1);
                            cp = cp * 16 + d;
                        }
                        b.append((char) cp);
                        break;
                    default: throw new ParseException("bad escape", pos - 1);
                }
                start = pos;
            } else {
                pos++;
            }
        }
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw new ParseException("bad number", pos);
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) throw new ParseException("bad fraction", pos);
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw new ParseException("bad exponent", pos);
            while (isDigit(peek())) pos++;
        }
        String t = s.substring(start, pos);
        if (integral && pos - start <= 18) return Long.parseLong(t);
        if (integral) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException tooBig) {
                return Double.parseDouble(t);
            }
        }
        return Double.parseDouble(t);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else break;
        }
    }

    /** Appends {@code v} as a JSON string literal (with quotes). */
    public static StringBuilder quote(StringBuilder b, String v) {
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append("\\u");
                        String h = Integer.toHexString(c);
                        for (int k = h.length(); k < 4; k++) b.append('0');
                        b.append(h);
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"');
    }

    /** Appends a finite double compactly (integral values without ".0"); NaN/Infinity become 0. */
    public static StringBuilder number(StringBuilder b, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return b.append('0');
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return b.append((long) v);
        return b.append(Math.round(v * 1000.0) / 1000.0);
    }
}

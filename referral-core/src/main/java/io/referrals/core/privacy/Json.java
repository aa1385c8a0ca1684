package io.referrals.core.privacy;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A small JSON writer for the library's own values (core does not depend on a JSON library). Records become objects
 * of their components in declaration order, except one-component records named {@code value} (typed ids), which
 * become their value; a record nested in a sealed interface gets a {@code "type"} member with its simple name. Maps
 * become objects with sorted keys, collections arrays, {@link Optional} its value or {@code null}, numbers and
 * booleans themselves, enums their name, anything else its {@code toString()} as a string. Strings are escaped per
 * RFC 8259, including every control character and the line and paragraph separators. Stateless and thread-safe.
 */
final class Json {
    private Json() {
    }

    /** {@code value} as JSON text. */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte) {
            sb.append(v);
        } else if (v instanceof BigDecimal d) {
            sb.append(d.toPlainString());
        } else if (v instanceof Enum<?> e) {
            string(sb, e.name());
        } else if (v instanceof Optional<?> o) {
            write(sb, o.orElse(null));
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                first = comma(sb, first);
                string(sb, e.getKey());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                first = comma(sb, first);
                write(sb, o);
            }
            sb.append(']');
        } else if (v instanceof Record r) {
            record(sb, r);
        } else {
            string(sb, v.toString());
        }
    }

    private static void record(StringBuilder sb, Record r) {
        RecordComponent[] components = r.getClass().getRecordComponents();
        try {
            if (components.length == 1 && components[0].getName().equals("value")) {
                write(sb, components[0].getAccessor().invoke(r));
                return;
            }
            sb.append('{');
            boolean first = true;
            Class<?> outer = r.getClass().getEnclosingClass();
            if (outer != null && outer.isSealed()) {
                first = comma(sb, first);
                sb.append("\"type\":");
                string(sb, r.getClass().getSimpleName());
            }
            for (RecordComponent c : components) {
                first = comma(sb, first);
                string(sb, c.getName());
                sb.append(':');
                write(sb, c.getAccessor().invoke(r));
            }
            sb.append('}');
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot write a " + r.getClass().getName(), e);
        }
    }

    private static boolean comma(StringBuilder sb, boolean first) {
        if (!first) {
            sb.append(',');
        }
        return false;
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)
                            && !validSurrogate(s, i)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** True if {@code s[i]} is half of a well-formed surrogate pair. */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}

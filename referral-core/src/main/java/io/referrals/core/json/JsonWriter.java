package io.referrals.core.json;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one JSON writer of the library's exports (the privacy exports, the insights export), so that they escape
 * alike; core depends on no JSON library. Strings are escaped per RFC 8259, including every control character, the
 * line and paragraph separators, and lone surrogates. Two ways to use it:
 * <ul>
 *   <li>{@link #of(Object)} writes a value: records become objects of their components in declaration order, except
 *       one-component records named {@code value} (typed ids), which become their value; a record nested in a sealed
 *       interface gets a {@code "type"} member with its simple name. Maps become objects with sorted keys,
 *       collections arrays, {@link Optional} its value or {@code null}, numbers and booleans themselves, enums their
 *       name, anything else its {@code toString()} as a string.</li>
 *   <li>An instance writes a document piece by piece: {@code w.open('{'); w.field("a").number(1); w.close('}')}.
 *   </li>
 * </ul>
 * Used by the library itself; hosts should use their own JSON library. An instance is not thread-safe; {@link #of} is.
 */
public final class JsonWriter {
    private final StringBuilder sb = new StringBuilder();
    private boolean first = true;

    /** An empty document. */
    public JsonWriter() {
    }

    /** {@code value} as JSON text, as the class documentation describes. */
    public static String of(Object value) {
        JsonWriter w = new JsonWriter();
        w.value(value);
        return w.toString();
    }

    /** Starts a member of the current object: its name and the colon; write its value next. */
    public JsonWriter field(String name) {
        comma();
        quote(name);
        sb.append(':');
        first = true;
        return this;
    }

    /** Starts an element of the current array; write it next. */
    public JsonWriter element() {
        comma();
        first = true;
        return this;
    }

    /** Opens an object (with <code>'&#123;'</code>) or an array (with <code>'['</code>). */
    public void open(char bracket) {
        sb.append(bracket);
        first = true;
    }

    /** Closes an object (with <code>'&#125;'</code>) or an array (with <code>']'</code>). */
    public void close(char bracket) {
        sb.append(bracket);
        first = false;
    }

    /** A string, or {@code null} for {@code null}. */
    public void string(String s) {
        if (s == null) {
            sb.append("null");
        } else {
            quote(s);
        }
        first = false;
    }

    /** A whole number. */
    public void number(long n) {
        sb.append(n);
        first = false;
    }

    /** A decimal number in plain notation, or {@code null} for {@code null}. */
    public void decimal(BigDecimal d) {
        sb.append(d == null ? "null" : d.toPlainString());
        first = false;
    }

    /** Any value, as {@link #of} writes it. */
    public void value(Object v) {
        if (v == null || v instanceof String) {
            string((String) v);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte) {
            sb.append(v);
            first = false;
        } else if (v instanceof BigDecimal d) {
            decimal(d);
        } else if (v instanceof Enum<?> e) {
            string(e.name());
        } else if (v instanceof Optional<?> o) {
            value(o.orElse(null));
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
            open('{');
            sorted.forEach((k, val) -> field(k).value(val));
            close('}');
        } else if (v instanceof Collection<?> c) {
            open('[');
            for (Object o : c) {
                element().value(o);
            }
            close(']');
        } else if (v instanceof Record r) {
            record(r);
        } else {
            string(v.toString());
        }
    }

    private void record(Record r) {
        RecordComponent[] components = r.getClass().getRecordComponents();
        try {
            if (components.length == 1 && components[0].getName().equals("value")) {
                value(components[0].getAccessor().invoke(r));
                return;
            }
            open('{');
            Class<?> outer = r.getClass().getEnclosingClass();
            if (outer != null && outer.isSealed()) {
                field("type").string(r.getClass().getSimpleName());
            }
            for (RecordComponent c : components) {
                field(c.getName()).value(c.getAccessor().invoke(r));
            }
            close('}');
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot write a " + r.getClass().getName(), e);
        }
    }

    private void comma() {
        if (!first) {
            sb.append(',');
        }
    }

    private void quote(String s) {
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

    /** The document written so far. */
    @Override
    public String toString() {
        return sb.toString();
    }
}

package io.referrals.core.privacy;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Collects every string reachable from an object graph (the in-memory store's "tables": its maps, lists, records and
 * stored events, delivered or pending), so a test can check that erased values appear nowhere.
 */
final class StoreScan {
    private final List<String> strings = new ArrayList<>();
    private final Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    static List<String> strings(Object root) {
        StoreScan s = new StoreScan();
        s.walk(root);
        return s.strings;
    }

    /** Strings that contain any of {@code values}, ignoring case. */
    static List<String> containing(Object root, List<String> values) {
        List<String> hits = new ArrayList<>();
        for (String s : strings(root)) {
            String l = s.toLowerCase(Locale.ROOT);
            for (String v : values) {
                if (l.contains(v.toLowerCase(Locale.ROOT))) {
                    hits.add(s);
                }
            }
        }
        return hits;
    }

    private void walk(Object o) {
        if (o == null || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>
                || o instanceof java.time.temporal.TemporalAccessor || o instanceof java.time.Duration
                || o instanceof Class<?> || o instanceof java.util.concurrent.locks.Lock) {
            return;
        }
        if (o instanceof String s) {
            strings.add(s);
            return;
        }
        if (!seen.add(o)) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                walk(k);
                walk(v);
            });
        } else if (o instanceof Collection<?> c) {
            c.forEach(this::walk);
        } else if (o.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(o); i++) {
                walk(Array.get(o, i));
            }
        } else if (o instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    walk(c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        } else if (o.getClass().getName().startsWith("io.referrals.")) {
            for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        walk(f.get(o));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } else if (o instanceof java.util.Currency || o instanceof java.math.BigDecimal) {
            return;
        } else {
            throw new IllegalStateException("the scan does not know how to read a " + o.getClass().getName());
        }
    }
}

package io.referrals.core.storage.memory;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.storage.Before;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The per-advocate indexes behind the newest-first reads ({@code ofAdvocate(AdvocateId, Before, int)} and
 * {@code entries(AdvocateId, Before, int)}): maps kept in (time descending, id descending) order, so that a page is a
 * range of the map after the cursor, whatever its depth.
 */
final class NewestFirst {
    private static final Comparator<Key> ORDER = Comparator.comparing(Key::at).thenComparing(Key::id).reversed();

    private NewestFirst() {
    }

    /** A row's position in an index: its time and its id. */
    record Key(Instant at, String id) {
    }

    /** Puts {@code value} at {@code key} in {@code advocate}'s index of {@code indexes}, through {@code undo}. */
    static <V> void put(UndoLog undo, Map<AdvocateId, TreeMap<Key, V>> indexes, AdvocateId advocate, Key key,
            V value) {
        TreeMap<Key, V> index = indexes.get(advocate);
        if (index == null) {
            index = new TreeMap<>(ORDER);
            undo.put(indexes, advocate, index);
        }
        undo.put(index, key, value);
    }

    /** Removes {@code key} from {@code advocate}'s index of {@code indexes}, through {@code undo}. */
    static <V> void remove(UndoLog undo, Map<AdvocateId, TreeMap<Key, V>> indexes, AdvocateId advocate, Key key) {
        TreeMap<Key, V> index = indexes.get(advocate);
        if (index != null) {
            undo.remove(index, key);
        }
    }

    /**
     * Up to {@code limit} values of {@code index} (null: no rows) strictly after {@code before}, newest first.
     *
     * @throws IllegalArgumentException if {@code limit} is out of range (see {@link Before#checkLimit})
     */
    static <V> List<V> page(NavigableMap<Key, V> index, Before before, int limit) {
        Before.checkLimit(limit);
        if (index == null) {
            return List.of();
        }
        NavigableMap<Key, V> after = before.isFirst() ? index
                : index.tailMap(new Key(before.at(), before.id()), false);
        return after.values().stream().limit(limit).toList();
    }
}

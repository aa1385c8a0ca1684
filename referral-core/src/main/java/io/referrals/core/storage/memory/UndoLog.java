package io.referrals.core.storage.memory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The undo log of one in-memory transaction: every change to the {@link MemoryState} goes through it and pushes the
 * action that reverses it, so that {@link #rollback} restores the state as it was when the transaction began. It also
 * knows whether the transaction is still open: every area calls {@link #check} first. Used by one thread.
 */
final class UndoLog {
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private boolean open = true;

    /** @throws IllegalStateException once the transaction is over */
    void check() {
        if (!open) {
            throw new IllegalStateException("the transaction is over");
        }
    }

    /** Ends the transaction: its areas refuse every later call. */
    void close() {
        open = false;
    }

    /** Undoes every change, newest first. */
    void rollback() {
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
    }

    /** Pushes an action that reverses a change made outside the helpers below. */
    void onRollback(Runnable action) {
        undo.push(action);
    }

    <K, V> void put(Map<K, V> map, K key, V value) {
        boolean had = map.containsKey(key);
        V old = map.put(key, value);
        undo.push(() -> {
            if (had) {
                map.put(key, old);
            } else {
                map.remove(key);
            }
        });
    }

    <K, V> void remove(Map<K, V> map, K key) {
        if (map.containsKey(key)) {
            V old = map.remove(key);
            undo.push(() -> map.put(key, old));
        }
    }

    <E> void add(List<E> list, E element) {
        list.add(element);
        undo.push(() -> list.remove(list.size() - 1));
    }

    <E> void add(Set<E> set, E element) {
        if (set.add(element)) {
            undo.push(() -> set.remove(element));
        }
    }

    <E> void remove(Set<E> set, E element) {
        if (set.remove(element)) {
            undo.push(() -> set.add(element));
        }
    }
}

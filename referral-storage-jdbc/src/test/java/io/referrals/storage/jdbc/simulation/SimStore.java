package io.referrals.storage.jdbc.simulation;

import io.referrals.core.error.StorageException;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The store as the simulation's engines see it: the real store under test, with two controls a host's infrastructure
 * would exercise by accident. A fault armed for the Nth storage call (across the storage areas) makes that call fail
 * as a failing database would, with a {@link StorageException}, in the middle of a unit of work; and one thread's next
 * transaction that stored events can be held right after its commit, before the engine hands the events to listeners,
 * so that the simulation decides which of two concurrent units of work publishes first. Thread-safe.
 */
final class SimStore implements ReferralStore {
    private final ReferralStore delegate;
    /** Calls left before the armed fault; 0 when none is armed. */
    private final AtomicInteger faultIn = new AtomicInteger();
    private final AtomicInteger faultsInjected = new AtomicInteger();
    private volatile Pause pause;
    private volatile Consumer<List<ReferralEvent>> onCommit = events -> { };

    /** A hold on one thread's next committed unit of work that stored events. */
    static final class Pause {
        final Thread thread;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Pause(Thread thread) {
            this.thread = thread;
        }
    }

    SimStore(ReferralStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Where the events of each committed transaction go. */
    void onCommit(Consumer<List<ReferralEvent>> sink) {
        this.onCommit = Objects.requireNonNull(sink, "sink");
    }

    ReferralStore delegate() {
        return delegate;
    }

    /** Makes the {@code n}th storage call from now fail (1 = the next one). */
    void armFault(int n) {
        faultIn.set(n);
    }

    /** Disarms a fault that did not fire; true if one was still armed. */
    boolean disarm() {
        return faultIn.getAndSet(0) > 0;
    }

    int faultsInjected() {
        return faultsInjected.get();
    }

    /** Holds {@code thread}'s next transaction that stores events right after it commits. */
    Pause pauseAfterCommit(Thread thread) {
        Pause p = new Pause(thread);
        pause = p;
        return p;
    }

    /** Releases {@code p}, held or not yet reached, and withdraws it. */
    void release(Pause p) {
        if (pause == p) {
            pause = null;
        }
        p.release.countDown();
    }

    /** As the wrapped store: a decorator that forgot this would hide a joining store from the engine's checks. */
    @Override
    public boolean isPersistent() {
        return delegate.isPersistent();
    }

    /** As the wrapped store (see {@link #isPersistent()}). */
    @Override
    public boolean joinsHostTransactions() {
        return delegate.joinsHostTransactions();
    }

    @Override
    public <T> T inTransaction(Function<StoreTransaction, T> work) {
        List<ReferralEvent> stored = new ArrayList<>();
        T result = delegate.inTransaction(tx -> {
            stored.clear();
            return work.apply(wrap(tx, stored));
        });
        if (!stored.isEmpty()) {
            onCommit.accept(List.copyOf(stored));
        }
        Pause p = pause;
        if (!stored.isEmpty() && p != null && p.thread == Thread.currentThread()) {
            pause = null;
            p.reached.countDown();
            try {
                if (!p.release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a paused unit of work was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while paused", e);
            }
        }
        return result;
    }

    private StoreTransaction wrap(StoreTransaction tx, List<ReferralEvent> stored) {
        InvocationHandler areas = (proxy, method, args) -> {
            Object area = invoke(method, tx, args);
            Class<?> type = method.getReturnType();
            if (!type.isInterface() || !type.getPackageName().equals("io.referrals.core.storage")
                    || area == null) {
                return area;
            }
            boolean events = method.getName().equals("events");
            return Proxy.newProxyInstance(SimStore.class.getClassLoader(), new Class<?>[] {type},
                    (p, m, a) -> {
                        if (m.getDeclaringClass() != Object.class) {
                            maybeFail(m);
                        }
                        Object out = invoke(m, area, a);
                        if (events && m.getName().equals("append")) {
                            stored.add((ReferralEvent) a[0]);
                        }
                        return out;
                    });
        };
        return (StoreTransaction) Proxy.newProxyInstance(SimStore.class.getClassLoader(),
                new Class<?>[] {StoreTransaction.class}, areas);
    }

    private void maybeFail(Method m) {
        int left = faultIn.get();
        if (left > 0 && faultIn.compareAndSet(left, left - 1) && left == 1) {
            faultsInjected.incrementAndGet();
            throw new StorageException("simulated storage failure in " + m.getDeclaringClass().getSimpleName() + "."
                    + m.getName(), "08006", null);
        }
    }

    private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

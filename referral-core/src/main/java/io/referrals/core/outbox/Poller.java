package io.referrals.core.outbox;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The dispatcher's daemon thread: runs a round, then waits for the delay the round returned, or less when woken up.
 * Wake-ups that arrive while a round runs are remembered, so the next round starts at once; several coalesce into one.
 */
final class Poller {
    private final Thread thread;
    private final Supplier<Duration> round;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean woken;
    private volatile boolean stopping;

    Poller(String name, Supplier<Duration> round) {
        this.round = round;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** True while the thread has not been asked to stop. */
    boolean isRunning() {
        return !stopping && thread.isAlive();
    }

    /** True once asked to stop: a round should end early. */
    boolean isStopping() {
        return stopping || Thread.currentThread().isInterrupted();
    }

    /** Makes the thread start its next round now (or right after the current one). */
    void wakeUp() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the thread to stop after its current round and waits up to {@code timeout}; then interrupts it.
     *
     * @return true if it stopped within the timeout
     */
    boolean stop(Duration timeout) throws InterruptedException {
        stopping = true;
        wakeUp();
        if (Thread.currentThread() == thread) {
            return true;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(1));
            return false;
        }
        return true;
    }

    private void loop() {
        while (!stopping) {
            long wait = round.get().toNanos();
            lock.lock();
            try {
                while (!woken && !stopping && wait > 0) {
                    wait = changed.awaitNanos(wait);
                }
                woken = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }
}

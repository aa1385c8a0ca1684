package io.referrals.storage.jdbc.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@link Simulation}s on one store: a bounded number of seeds in the normal build, more with
 * {@code -Dsimulation.seeds=500}, exactly one with {@code -Dsimulation.seed=<n>}, and {@code -Dsimulation.steps=<n>}
 * steps each. A failing seed prints the one line that replays it.
 */
abstract class SimulationSuite {
    /** How many simulated steps a seed runs by default: about three to four simulated months. */
    static final int DEFAULT_STEPS = 400;

    abstract Simulation.Target target();

    /** How many seeds the normal build runs on this store. */
    abstract int defaultSeeds();

    /** Skips (or under CI fails) when the store's server is not there. */
    void requireServer() {
    }

    @TestFactory
    List<DynamicTest> simulatedProgramLivesKeepEveryInvariant() {
        requireServer();
        int steps = Integer.getInteger("simulation.steps", DEFAULT_STEPS);
        String one = System.getProperty("simulation.seed");
        long[] seeds = one != null ? new long[] {Long.parseLong(one.strip())}
                : LongStream.rangeClosed(1, Integer.getInteger("simulation.seeds", defaultSeeds())).toArray();
        List<DynamicTest> tests = new ArrayList<>();
        for (long seed : seeds) {
            tests.add(DynamicTest.dynamicTest("seed " + seed + ", " + steps + " steps", () -> run(seed, steps)));
        }
        return tests;
    }

    private void run(long seed, int steps) {
        try (Simulation sim = new Simulation(seed, target(), steps)) {
            try {
                sim.run();
            } catch (AssertionError e) {
                System.err.println("[simulation] seed " + seed + " on " + target() + " failed; replay with:\n  "
                        + sim.replayLine());
                throw e;
            }
            System.err.println("[simulation] seed " + seed + " on " + target() + ": " + sim.stats()
                    + (sim.notes.isEmpty() ? "" : "; " + sim.notes));
        }
    }
}

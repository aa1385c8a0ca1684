package io.referrals.storage.jdbc.simulation;

import io.referrals.storage.jdbc.TestDatabase;

/** Runs under CI against the real server (a missing server fails there); skipped with a reason elsewhere. */
class PostgreSqlSimulationTest extends SimulationSuite {
    @Override
    Simulation.Target target() {
        return Simulation.Target.POSTGRESQL;
    }

    @Override
    int defaultSeeds() {
        return 2;
    }

    @Override
    void requireServer() {
        TestDatabase.requireServer(target().dialect);
    }
}

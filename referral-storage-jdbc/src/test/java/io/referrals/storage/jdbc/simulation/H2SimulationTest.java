package io.referrals.storage.jdbc.simulation;

class H2SimulationTest extends SimulationSuite {
    @Override
    Simulation.Target target() {
        return Simulation.Target.H2;
    }

    @Override
    int defaultSeeds() {
        return 3;
    }
}

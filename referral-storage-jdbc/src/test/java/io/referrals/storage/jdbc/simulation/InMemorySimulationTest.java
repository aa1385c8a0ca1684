package io.referrals.storage.jdbc.simulation;

class InMemorySimulationTest extends SimulationSuite {
    @Override
    Simulation.Target target() {
        return Simulation.Target.MEMORY;
    }

    @Override
    int defaultSeeds() {
        return 6;
    }
}

package io.referrals.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.ReferralStore;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;

/**
 * Randomised contract of a {@link ReferralStore}: random sequences of engine operations (register, enrol, issue and
 * revoke codes, pause and resume programs, capture directly and by code with repeated idempotency keys, invalid
 * data and closed programs, legal and illegal stage changes) run through two {@link io.referrals.core.ReferralEngine}s
 * over the store under test and against a simple reference model. After every step the touched referrals and
 * advocates must agree with the model, and at the end the whole run must: never an illegal or unknown stage, one
 * timeline entry per successful move, gapless event sequences 1..n per referral and per advocate, idempotent replays
 * returning the first referral, and the store's programs, advocates, enrolments, codes and referrals equal to the
 * model's. A second property checks the points ledger and counters against running sums.
 *
 * <p>To use it, extend it in the store's test sources with a class whose name the build's test runner picks up
 * (Surefire's defaults include {@code *Test}; this project also runs {@code *Properties}); jqwik runs the inherited
 * properties of the concrete subclass:
 * <pre>{@code
 * class InMemoryReferralStoreStatefulProperties extends ReferralStoreStatefulContract {
 *     protected ReferralStore newStore() {
 *         return new InMemoryReferralStore();
 *     }
 * }
 * }</pre>
 * {@link #newStore()} is called once per try. Every try writes under fresh random ids, so a store that is not emptied
 * between tries (one schema for the whole class, say) is fine and keeps a database-backed run fast. jqwik does not
 * run JUnit Jupiter's {@code @BeforeAll}/{@code @AfterAll}; use jqwik's {@code @BeforeContainer} and
 * {@code @AfterContainer} (static methods) to create and drop a schema.
 */
public abstract class ReferralStoreStatefulContract {

    /** The store for one try; it need not be empty. */
    protected abstract ReferralStore newStore();

    /**
     * A second store over the same data as {@code store}, for example on another connection pool; the second engine
     * of each try uses it. The default is {@code store} itself.
     */
    protected ReferralStore sameDataStore(ReferralStore store) {
        return store;
    }

    // ---- engine against the model ---------------------------------------------------------------------------------

    @Property(tries = 150)
    @Label("random engine operations over the store agree with a reference model and keep every invariant")
    void engineAgreesWithTheModel(@ForAll("engineRuns") ActionChain<EngineRun> chain) {
        chain.withInvariant("touched referrals and advocates agree with the model", EngineRun::checkTouched).run();
        chain.finalState().ifPresent(run -> {
            run.checkAll();
            int moves = run.referrals.values().stream().mapToInt(m -> m.moves).sum();
            Statistics.label("referrals").collect(bucket(run.referrals.size()));
            Statistics.label("stage moves").collect(bucket(moves));
        });
    }

    private static String bucket(int n) {
        return n == 0 ? "0" : n < 3 ? "1-2" : n < 6 ? "3-5" : "6+";
    }

    @Provide
    Arbitrary<ActionChain<EngineRun>> engineRuns() {
        return ActionChain.<EngineRun>startWith(() -> {
            ReferralStore s = newStore();
            return new EngineRun(s, sameDataStore(s));
        })
                .withAction(2, new RegisterAdvocate())
                .withAction(3, new Enrol())
                .withAction(2, new IssueCode())
                .withAction(1, new RevokeCode())
                .withAction(1, new OptOut())
                .withAction(1, new ChangeStatus())
                .withAction(6, new CaptureDirect())
                .withAction(3, new CaptureByCode())
                .withAction(1, Action.just("capture with an unknown code",
                        Transformer.mutate("capture with an unknown code", r -> r.captureUnknownCode(1))))
                .withAction(8, new Transition())
                .withAction(1, new AdvanceClock())
                .withMaxTransformations(40);
    }

    /** -1 (no key) about a third of the time, else one of a few keys, so keys repeat. */
    private static Arbitrary<Integer> keyIndex() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(-1)),
                Tuple.of(5, Arbitraries.integers().between(0, 4)));
    }

    private static Arbitrary<Integer> index() {
        return Arbitraries.integers().between(0, 1_000);
    }

    private static Arbitrary<Boolean> rarely() {
        return Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true)));
    }

    static final class RegisterAdvocate implements Action.Independent<EngineRun> {
        @Override
        public Arbitrary<Transformer<EngineRun>> transformer() {
            Arbitrary<Integer> reuse = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(-1)), Tuple.of(1, index()));
            return Combinators.combine(reuse, rarely()).as((i, bad) -> Transformer.mutate(
                    "register advocate" + (i >= 0 ? " reusing the external id of #" + i : "")
                            + (bad ? " (invalid)" : ""),
                    r -> r.registerAdvocate(i, bad)));
        }
    }

    static final class Enrol implements Action.Independent<EngineRun> {
        @Override
        public boolean precondition(EngineRun run) {
            return !run.advocates.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<EngineRun>> transformer() {
            return Combinators.combine(index(), index()).as((a, p) ->
                    Transformer.mutate("enrol advocate #" + a + " in program #" + p, r -> r.enrol(a, p)));
        }
    }

    static final class OptOut implements Action.Independent<EngineRun> {
        @Override
        public boolean precondition(EngineRun run) {
            return !run.advocates.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<EngineRun>> transformer() {
            return index().map(a -> Transformer.mutate("opt out advocate #" + a, r -> r.optOut(a)));
        }
    }

    static final class IssueCode implements Action.Independent<EngineRun> {
        @Override
        public boolean precondition(EngineRun run) {
            return !run.advocates.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<EngineRun>> transformer() {
            return Combinators.combine(index(), index()).as((a, p) -> Transformer.mutate(
                    "issue a code to advocate #" + a + " in program #" + p, r -> r.issueCode(a, p)));
        }
    }

    static final class RevokeCode implements Action.Independent<EngineRun> {
        @Override
        public boolean precondition(EngineRun run) {
            return !run.codes.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<EngineRun>> transformer() {
            return index().map(c -> Transformer.mutate("revoke code #" + c, r -> r.revokeCode(c)));
        }
    }

    static final class ChangeStatus implements Action.Independent<EngineRun> {
        @Override
        public Arbitrary<Transformer<EngineRun>> transformer() {
            return Combinators.combine(index(), Arbitraries.of(ProgramStatus.ACTIVE, ProgramStatus.PAUSED))
                    .as((p, s) -> Transformer.mutate("set program #" + p + " " + s, r -> r.setStatus(p, s)));
        }
    }

    static final class CaptureDirect implements Action.Independent<EngineRun> {
        @Override
        public boolean precondition(EngineRun run) {
            return !run.advocates.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<EngineRun>> transformer() {
            return Combinators.combine(index(), index(), Arbitraries.integers().between(0, 2), keyIndex(), rarely())
                    .as((a, p, payload, key, bad) -> Transformer.mutate(
                            "capture by advocate #" + a + " into program #" + p + ", payload " + payload + ", key "
                                    + key + (bad ? " (invalid)" : ""),
                            r -> r.captureDirect(a, p, payload, key, bad)));
        }
    }

    static final class CaptureByCode implements Action.Independent<EngineRun> {
        @Override
        public boolean precondition(EngineRun run) {
            return !run.codes.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<EngineRun>> transformer() {
            return Combinators.combine(index(), Arbitraries.integers().between(0, 2), keyIndex(),
                    Arbitraries.integers().between(0, 2)).as((c, payload, key, spelling) -> Transformer.mutate(
                            "capture with code #" + c + " spelt " + spelling + ", payload " + payload + ", key " + key,
                            r -> r.captureByCode(c, payload, key, spelling)));
        }
    }

    /** Mostly a legal move of a referral (chosen from the state), sometimes any stage at all. */
    static final class Transition implements Action.Dependent<EngineRun> {
        @Override
        public boolean precondition(EngineRun run) {
            return !run.referrals.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<EngineRun>> transformer(EngineRun run) {
            List<EngineRun.ModelReferral> all = List.copyOf(run.referrals.values());
            return Arbitraries.integers().between(0, all.size() - 1).flatMap(i -> {
                EngineRun.ModelReferral m = all.get(i);
                List<String> legal = m.program.pipeline.next(m.stage).stream().map(Stage::name).toList();
                Arbitrary<String> any = Arbitraries.of(m.program.pipeline.stages().stream().map(Stage::name)
                        .toList());
                Arbitrary<String> to = legal.isEmpty() ? any
                        : Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(legal)), Tuple.of(1, any));
                return to.map(s -> Transformer.mutate("move referral #" + i + " to " + s, r -> r.transition(i, s)));
            });
        }
    }

    static final class AdvanceClock implements Action.Independent<EngineRun> {
        @Override
        public Arbitrary<Transformer<EngineRun>> transformer() {
            return Arbitraries.integers().between(1, 600).map(m -> Transformer.mutate("advance " + m + " minutes",
                    r -> r.advanceClock(m)));
        }
    }

    // ---- ledger and counters against running sums ---------------------------------------------------------------

    @Property(tries = 100)
    @Label("ledger balances never go below zero and always equal the sum of the accepted entries")
    void ledgerBalanceIsTheSumAndNeverNegative(
            @ForAll @Size(max = 40) List<@IntRange(min = -60, max = 60) Integer> changes) {
        ReferralStore store = newStore();
        String run = UUID.randomUUID().toString();
        AdvocateId a = AdvocateId.of("adv-" + run);
        long expected = 0;
        int n = 0;
        for (int change : changes) {
            if (change == 0) {
                continue;
            }
            n++;
            LedgerEntry e = Fixtures.ledger("led-" + run + "-" + n, a,
                    change > 0 ? LedgerEntry.Kind.EARNED : LedgerEntry.Kind.REDEEMED, change, "k-" + n,
                    Fixtures.at(n));
            boolean accepted = store.inTransaction(t -> t.ledger().append(e));
            assertThat(accepted).isEqualTo(expected + change >= 0);
            if (accepted) {
                expected += change;
            }
            long balance = store.inTransaction(t -> t.ledger().balance(a));
            assertThat(balance).isEqualTo(expected).isNotNegative();
        }
        long sum = store.inTransaction(t -> t.ledger().entries(a)).stream().mapToLong(LedgerEntry::points).sum();
        assertThat(sum).isEqualTo(expected);
    }

    @Property(tries = 100)
    @Label("a counter is the sum of accepted consumptions minus releases, never above capacity nor below zero")
    void countersFollowTheirCapacity(@ForAll @Size(max = 40) List<@IntRange(min = -8, max = 8) Integer> ops,
            @ForAll @IntRange(min = 0, max = 30) int capacity) {
        ReferralStore store = newStore();
        CounterKey key = CounterKey.of("cap", UUID.randomUUID().toString());
        long expected = 0;
        for (int op : ops) {
            if (op > 0) {
                boolean ok = store.inTransaction(t -> t.counters().tryConsume(key, op, capacity));
                assertThat(ok).isEqualTo(expected + op <= capacity);
                if (ok) {
                    expected += op;
                }
            } else if (op < 0) {
                store.inTransaction(t -> {
                    t.counters().release(key, -op);
                    return null;
                });
                expected = Math.max(0, expected + op);
            }
            long value = store.inTransaction(t -> t.counters().value(key));
            assertThat(value).isEqualTo(expected).isBetween(0L, (long) capacity);
        }
    }
}

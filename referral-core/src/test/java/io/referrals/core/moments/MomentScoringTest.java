package io.referrals.core.moments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.referrals.core.model.AdvocateId;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Moment scoring")
class MomentScoringTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final AdvocateId ANN = AdvocateId.of("ann");
    static final AdvocateId BOB = AdvocateId.of("bob");
    static final AdvocateId CAT = AdvocateId.of("cat");
    final AskPolicy policy = AskPolicy.DEFAULT;
    int ids;

    Moment moment(AdvocateId who, MomentKind kind, int daysAgo) {
        return Moment.of(MomentId.of("m" + ++ids), who, kind, NOW.minus(Duration.ofDays(daysAgo)), "");
    }

    Moment nps(AdvocateId who, int score, int daysAgo) {
        return Moment.nps(MomentId.of("m" + ++ids), who, score, NOW.minus(Duration.ofDays(daysAgo)), "");
    }

    @Test
    void aMomentsContributionHalvesEveryHalfLife() {
        assertThat(MomentScoring.contribution(moment(ANN, MomentKind.GO_LIVE, 0), policy, NOW)).isEqualTo(80.0);
        assertThat(MomentScoring.contribution(moment(ANN, MomentKind.GO_LIVE, 14), policy, NOW)).isEqualTo(40.0);
        assertThat(MomentScoring.contribution(moment(ANN, MomentKind.GO_LIVE, 28), policy, NOW)).isEqualTo(20.0);
    }

    @Test
    void npsPromotersCountPassivesDoNotAndDetractorsCountAgainst() {
        assertThat(policy.strength(nps(ANN, 10, 0))).isEqualTo(100.0);
        assertThat(policy.strength(nps(ANN, 9, 0))).isCloseTo(80.0, within(1e-9));
        assertThat(policy.strength(nps(ANN, 8, 0))).isZero();
        assertThat(policy.strength(nps(ANN, 7, 0))).isZero();
        assertThat(policy.strength(nps(ANN, 6, 0))).isEqualTo(-200.0);
        assertThat(nps(ANN, 9, 0).isPromoter()).isTrue();
        assertThat(nps(ANN, 8, 0).isPromoter()).isFalse();
    }

    @Test
    void ranksByScoreThenRecencyThenId() {
        List<AskCandidate> ranked = MomentScoring.rank(List.of(
                moment(BOB, MomentKind.CONTRACT_SIGNED, 0),   // 60
                moment(ANN, MomentKind.PUBLIC_PRAISE, 14),    // 50
                moment(ANN, MomentKind.RENEWAL, 14),          // 35 -> ann 85
                moment(CAT, MomentKind.CONTRACT_SIGNED, 0)),  // 60, same as bob: id decides
                policy, NOW, 10);
        assertThat(ranked).extracting(AskCandidate::advocateId).containsExactly(ANN, BOB, CAT);
        assertThat(ranked.get(0).score()).isCloseTo(85.0, within(1e-9));
        assertThat(ranked.get(0).moments()).isEqualTo(2);
        assertThat(ranked.get(0).strongest().kind()).isEqualTo(MomentKind.PUBLIC_PRAISE);
    }

    @Test
    void aFreshModestMomentOutranksAnOldStrongOne() {
        List<AskCandidate> ranked = MomentScoring.rank(List.of(
                moment(ANN, MomentKind.PUBLIC_PRAISE, 60),    // 100 / 2^(60/14) = 5.1
                moment(BOB, MomentKind.CONTRACT_SIGNED, 1)),  // 60 / 2^(1/14) = 57.1
                policy, NOW, 10);
        assertThat(ranked).extracting(AskCandidate::advocateId).containsExactly(BOB, ANN);
    }

    @Test
    void aRecentDetractorKeepsAnAdvocateOffTheList() {
        List<AskCandidate> ranked = MomentScoring.rank(List.of(moment(ANN, MomentKind.RENEWAL, 2),
                nps(ANN, 3, 1), nps(BOB, 8, 0)), policy, NOW, 10);
        assertThat(ranked).isEmpty();
    }

    @Test
    void ignoresMomentsOlderThanTheLookbackAndHonoursTheLimit() {
        List<AskCandidate> ranked = MomentScoring.rank(List.of(moment(ANN, MomentKind.RENEWAL, 91),
                moment(BOB, MomentKind.RENEWAL, 3), moment(CAT, MomentKind.RENEWAL, 4)), policy, NOW, 1);
        assertThat(ranked).extracting(AskCandidate::advocateId).containsExactly(BOB);
        assertThatThrownBy(() -> MomentScoring.rank(List.of(), policy, NOW, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weightsAreConfigurablePerKind() {
        Map<MomentKind, Integer> w = new EnumMap<>(AskPolicy.DEFAULT_WEIGHTS);
        w.put(MomentKind.CONTRACT_SIGNED, 0);
        AskPolicy noContracts = new AskPolicy(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(30),
                Duration.ofDays(7), w);
        assertThat(MomentScoring.rank(List.of(moment(ANN, MomentKind.CONTRACT_SIGNED, 0)), noContracts, NOW, 5))
                .isEmpty();
        Map<MomentKind, Integer> missing = new EnumMap<>(AskPolicy.DEFAULT_WEIGHTS);
        missing.remove(MomentKind.RENEWAL);
        assertThatThrownBy(() -> new AskPolicy(Duration.ofDays(1), Duration.ofDays(1), Duration.ofDays(1),
                Duration.ofDays(1), missing))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void momentsValidateTheirScore() {
        assertThatThrownBy(() -> Moment.nps(MomentId.of("x"), ANN, 11, NOW, "")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> Moment.of(MomentId.of("x"), ANN, MomentKind.NPS_ANSWER, NOW, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Moment.of(MomentId.of("x"), ANN, MomentKind.GO_LIVE, NOW, null).npsScore()).isEmpty();
    }

    @Property
    void olderIsNeverStrongerForTheSameKind(@ForAll @IntRange(max = 89) int a, @ForAll @IntRange(max = 89) int b) {
        double ca = MomentScoring.contribution(moment(ANN, MomentKind.RESULT_ACHIEVED, a), policy, NOW);
        double cb = MomentScoring.contribution(moment(ANN, MomentKind.RESULT_ACHIEVED, b), policy, NOW);
        assertThat(Integer.compare(a, b) <= 0 ? ca >= cb : ca <= cb).isTrue();
    }
}

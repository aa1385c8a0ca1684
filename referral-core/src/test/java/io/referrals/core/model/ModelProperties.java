package io.referrals.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.error.ValidationException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ModelProperties {

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().alpha().numeric().withChars("- _.").ofMaxLength(40));
    }

    @Property
    @Label("a CRM stage name resolves to a mapped stage or to empty, and never throws")
    void crmResolveTotal(@ForAll("anyText") String name) {
        CrmStageMapping m = CrmStageMapping.standard();
        String key = CrmStageMapping.key(name);

        assertThat(key).matches("[a-z0-9]*");
        assertThat(m.resolve(name)).isEqualTo(java.util.Optional.ofNullable(m.entries().get(key)));
    }

    @Property
    @Label("case, spacing and punctuation around a CRM stage name do not change what it resolves to")
    void crmResolveIgnoresCase(@ForAll("crmLike") String name) {
        CrmStageMapping m = CrmStageMapping.standard();

        assertThat(m.resolve(" " + name.toUpperCase(Locale.ROOT) + " - ."))
                .isEqualTo(m.resolve(name.toLowerCase(Locale.ROOT).replace(" ", "")));
    }

    @Provide
    Arbitrary<String> crmLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric().withChars(" -/.")
                        .ofMaxLength(30),
                Arbitraries.of("Closed Won", "closedwon", "Needs Analysis", "Open - Not Contacted",
                        "Proposal/Price Quote", "Id. Decision Makers", "qualifiedtobuy"));
    }

    @Property
    @Label("code normalisation is idempotent and ignores case, hyphens and spaces")
    void codeNormalisation(@ForAll("anyText") String typed) {
        String ascii = typed.replaceAll("[^\\x20-\\x7e]", "");
        String key = ReferralCode.normalize(typed);

        assertThat(ReferralCode.normalize(key)).isEqualTo(key);
        assertThat(key).doesNotContain("-", " ");
        assertThat(ReferralCode.normalize(ascii.toLowerCase(Locale.ROOT)))
                .isEqualTo(ReferralCode.normalize(ascii.toUpperCase(Locale.ROOT)));
        if (ReferralCode.isWellFormed(typed)) {
            assertThat(key).matches("[A-Z0-9]{4,32}");
        }
    }

    @Property
    @Label("money equality ignores scale and agrees with hashCode")
    void moneyScale(@ForAll @IntRange(min = -1_000_000, max = 1_000_000) int cents,
            @ForAll @IntRange(min = 0, max = 6) int extraScale) {
        Money a = new Money(java.math.BigDecimal.valueOf(cents, 2), java.util.Currency.getInstance("EUR"));
        Money b = new Money(a.amount().setScale(2 + extraScale), a.currency());

        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> edges() {
        return Arbitraries.integers().between(0, 6).tuple2().list().ofMaxSize(20);
    }

    @Property(tries = 2000)
    @Label("a random pipeline either builds and keeps every promise, or is refused with a ValidationException")
    void randomPipelines(@ForAll @IntRange(min = 0, max = 5) int openCount,
            @ForAll @IntRange(min = 0, max = 2) int terminalCount,
            @ForAll boolean spine,
            @ForAll("edges") List<Tuple.Tuple2<Integer, Integer>> edges,
            @ForAll @IntRange(min = 0, max = 12) int mischief) {
        StagePipeline.Builder b = StagePipeline.builder();
        List<String> open = new java.util.ArrayList<>();
        List<String> declared = new java.util.ArrayList<>();
        for (int i = 0; i < openCount; i++) {
            open.add("s" + i);
            b.stage("s" + i);
        }
        declared.addAll(open);
        for (int i = 0; i < terminalCount; i++) {
            declared.add("t" + i);
            b.terminal("t" + i, i == 0 ? Outcome.WON : Outcome.LOST);
        }
        if (spine && !declared.isEmpty()) {
            for (int i = 0; i + 1 < open.size(); i++) {
                b.transition(open.get(i), open.get(i + 1));
            }
            if (!open.isEmpty()) {
                declared.subList(open.size(), declared.size())
                        .forEach(t -> b.transition(open.get(open.size() - 1), t));
            }
        }
        if (!open.isEmpty() && !declared.isEmpty()) {
            for (Tuple.Tuple2<Integer, Integer> e : edges) {
                String from = open.get(e.get1() % open.size());
                String to = declared.get(e.get2() % declared.size());
                if (!from.equals(to)) {
                    b.transition(from, to);
                }
            }
        }
        switch (mischief) {
            case 0 -> b.transition("s0", "ghost");
            case 1 -> b.transition("t0", "s0");
            case 2 -> b.stage("Bad Name");
            case 3 -> b.transition("s1", "s1");
            default -> { }
        }

        StagePipeline p;
        try {
            p = b.build();
        } catch (ValidationException e) {
            assertThat(e.errors()).isNotEmpty();
            Statistics.collect("refused");
            Statistics.coverage(c -> c.check("built").percentage(pct -> pct >= 5.0));
            return;
        }
        Statistics.collect("built");
        Statistics.coverage(c -> c.check("built").percentage(pct -> pct >= 5.0));
        assertThat(p.terminalStages()).isNotEmpty();
        Set<Stage> reached = new HashSet<>();
        Deque<Stage> todo = new ArrayDeque<>(List.of(p.initial()));
        while (!todo.isEmpty()) {
            Stage s = todo.poll();
            if (reached.add(s)) {
                todo.addAll(p.next(s));
            }
        }
        assertThat(reached).containsExactlyInAnyOrderElementsOf(p.stages());
        for (Stage s : p.stages()) {
            assertThat(p.next(s).isEmpty()).as("%s", s).isEqualTo(p.isTerminal(s));
            assertThat(p.next(s)).doesNotContain(s);
            assertThat(p.stages()).containsAll(p.next(s));
        }
    }

}

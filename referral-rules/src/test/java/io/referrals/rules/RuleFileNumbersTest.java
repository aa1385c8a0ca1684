package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.referrals.core.model.Beneficiary;
import io.referrals.rules.definition.Amount;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.file.RuleFileException;
import io.referrals.rules.file.RuleFiles;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Numbers in rule files")
class RuleFileNumbersTest {
    private static final RuleFiles FILES = RuleFiles.forPrograms(Fixture.programs());

    /** A one-line JSON rule file around {@code body}, which holds {@code @} where the number goes. */
    private record Field(String kind, String path, String body, String fine) {
        String json(String number) {
            return "{\"program\": \"customers\", " + body.replace("@", number) + "}";
        }

        /** The same document for the YAML reader: a top-level block mapping, the rest in flow style. */
        String yaml(String number) {
            return "program: customers\n" + body.replace("@", number).replaceFirst("^\"version\": ", "version: ")
                    .replaceAll(", \"(rules|tiers|contests|catalogue)\": ", "\n$1: ") + "\n";
        }
    }

    private static final String WON = "\"when\": {\"stageReached\": \"won\"}";

    private static List<Field> fields() {
        String rule = "\"version\": 1, \"rules\": [{\"id\": \"a\", " + WON + ", ";
        return List.of(
                new Field("version (a whole number up to 2^31-1)", "version", "\"version\": @, \"rules\": []", "3"),
                new Field("tier threshold", "tiers.levels[0].atLeast", "\"version\": 1, \"tiers\": {\"stage\": \"won\", "
                        + "\"levels\": [{\"name\": \"gold\", \"atLeast\": @}]}, \"rules\": []", "5"),
                new Field("nth referral (a whole number up to 2^31-1)", "rules[0].when.nthReferral.n",
                        "\"version\": 1, \"rules\": [{\"id\": \"a\", \"when\": {\"nthReferral\": {\"stage\": \"won\", "
                        + "\"n\": @}}, \"advocate\": {\"points\": 5}}]", "3"),
                new Field("points", "rules[0].advocate.points", rule + "\"advocate\": {\"points\": @}}]", "500"),
                new Field("points by tier", "rules[0].advocate.points.otherwise", rule
                        + "\"advocate\": {\"points\": {\"byTier\": {}, \"otherwise\": @}}}]", "500"),
                new Field("multiplier factor", "rules[1].advocate.points.multiplierOf.factor", rule
                        + "\"advocate\": {\"points\": 5}}, {\"id\": \"b\", " + WON + ", \"advocate\": {\"points\": "
                        + "{\"multiplierOf\": {\"rule\": \"a\", \"factor\": @}}}}]", "2.5"),
                new Field("percent of the deal", "rules[0].advocate.cash.percentOfDeal", rule
                        + "\"advocate\": {\"cash\": {\"percentOfDeal\": @}}}]", "12.5"),
                new Field("cash amount", "rules[0].advocate.cash.amount", rule
                        + "\"advocate\": {\"cash\": {\"amount\": @, \"currency\": \"EUR\"}}}]", "50.00"),
                new Field("discount percentage", "rules[0].referred.discount.percentOff", rule
                        + "\"referred\": {\"discount\": {\"percentOff\": @}}}]", "20"),
                new Field("discount amount", "rules[0].referred.discount.amountOff.amount", rule
                        + "\"referred\": {\"discount\": {\"amountOff\": {\"amount\": @, \"currency\": \"EUR\"}}}}]",
                        "100"),
                new Field("prospect attribute threshold", "rules[0].if.prospectAttribute.atLeast", rule
                        + "\"if\": {\"prospectAttribute\": {\"key\": \"seats\", \"atLeast\": @}}, "
                        + "\"advocate\": {\"points\": 5}}]", "250"),
                new Field("deal value threshold", "rules[0].if.dealValueAtLeast.amount", rule
                        + "\"if\": {\"dealValueAtLeast\": {\"amount\": @, \"currency\": \"EUR\"}}, "
                        + "\"advocate\": {\"points\": 5}}]", "10000"),
                new Field("per-advocate count cap", "rules[0].limits[0].perAdvocate.maxCount", rule
                        + "\"advocate\": {\"points\": 5}, \"limits\": [{\"key\": \"k\", \"perAdvocate\": "
                        + "{\"period\": \"month\", \"maxCount\": @}}]}]", "10"),
                new Field("per-advocate points cap", "rules[0].limits[0].perAdvocate.maxPoints", rule
                        + "\"advocate\": {\"points\": 5}, \"limits\": [{\"key\": \"k\", \"perAdvocate\": "
                        + "{\"period\": \"month\", \"maxPoints\": @}}]}]", "1000"),
                new Field("per-advocate money cap", "rules[0].limits[0].perAdvocate.maxAmount.amount", rule
                        + "\"advocate\": {\"points\": 5}, \"limits\": [{\"key\": \"k\", \"perAdvocate\": "
                        + "{\"period\": \"month\", \"maxAmount\": {\"amount\": @, \"currency\": \"EUR\"}}}]}]", "500"),
                new Field("per-referral cap", "rules[0].limits[0].perReferral", rule
                        + "\"advocate\": {\"points\": 5}, \"limits\": [{\"key\": \"k\", \"perReferral\": @}]}]", "1"),
                new Field("winners cap", "rules[0].limits[0].maxWinners", rule
                        + "\"advocate\": {\"points\": 5}, \"limits\": [{\"key\": \"k\", \"maxWinners\": @}]}]", "3"),
                new Field("points budget", "rules[0].limits[0].budget.maxPoints", rule
                        + "\"advocate\": {\"points\": 5}, \"limits\": [{\"key\": \"k\", \"budget\": "
                        + "{\"maxPoints\": @}}]}]", "100000"),
                new Field("contest winners (a whole number up to 2^31-1)", "contests[0].topN", "\"version\": 1, "
                        + "\"rules\": [], \"contests\": [{\"id\": \"c\", \"startsAt\": \"2026-03-02T09:00:00Z\", "
                        + "\"endsAt\": \"2026-03-02T10:00:00Z\", \"metric\": \"referrals_submitted\", \"topN\": @, "
                        + "\"prize\": {\"points\": 5000}}]", "3"),
                new Field("catalogue cost", "catalogue[0].cost", "\"version\": 1, \"rules\": [], \"catalogue\": "
                        + "[{\"id\": \"mug\", \"cost\": @, \"give\": {\"perk\": {\"kind\": \"mug\"}}}]", "300"),
                new Field("catalogue stock", "catalogue[0].stock", "\"version\": 1, \"rules\": [], \"catalogue\": "
                        + "[{\"id\": \"mug\", \"cost\": 300, \"stock\": @, \"give\": {\"perk\": {\"kind\": \"mug\"}}}]",
                        "20"));
    }

    /** Numbers beyond a double's range, or a long's, or an int's, for every field kind, in JSON and in YAML. */
    static Stream<Arguments> outOfRange() {
        List<String> numbers = List.of("1e400", "1.5e400", "99999999999999999999999", "9223372036854775808",
                "1e19");
        return fields().stream().flatMap(f -> numbers.stream().flatMap(n -> Stream.of(
                Arguments.of(f.kind(), f.path(), "json", f.json(n), n),
                Arguments.of(f.kind(), f.path(), "yaml", f.yaml(n), n))));
    }

    static Stream<Arguments> fine() {
        return fields().stream().flatMap(f -> Stream.of(Arguments.of(f.kind(), "json", f.json(f.fine())),
                Arguments.of(f.kind(), "yaml", f.yaml(f.fine()))));
    }

    private static RuleSet read(String format, String text) {
        return format.equals("json") ? FILES.readJson("numbers.json", text) : FILES.readYaml("numbers.yaml", text);
    }

    @ParameterizedTest(name = "{0} ({1}) accepts an ordinary value")
    @MethodSource("fine")
    @DisplayName("every numeric field of the test documents accepts an ordinary value")
    void ordinaryValuesAreRead(String kind, String format, String text) {
        assertThatCode(() -> read(format, text)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} = {4} ({2}) is out_of_range at {1}")
    @MethodSource("outOfRange")
    @DisplayName("a number beyond what its field holds is a rule-file problem at its place, never an escaping "
            + "exception nor infinity")
    void numbersBeyondTheirRangeAreRuleFileProblems(String kind, String path, String format, String text,
            String number) {
        Throwable thrown = catchThrowable(() -> read(format, text));

        assertThat(thrown).as("%s = %s", kind, number).isInstanceOf(RuleFileException.class);
        List<RuleFileException.Problem> problems = ((RuleFileException) thrown).problems();
        assertThat(problems).as(thrown.getMessage()).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo(path);
            assertThat(p.code()).isEqualTo("out_of_range");
            assertThat(p.line()).isPositive();
            assertThat(p.column()).isPositive();
        });
    }

    @Test
    @DisplayName("large numbers within range are read exactly, and a huge number of points is never cut to a long")
    void withinRangeIsExact() {
        RuleSet set = read("json", fields().get(7).json("123456789012345678.123456789012"));
        Give.Cash cash = (Give.Cash) set.rules().get(0).grant(Beneficiary.ADVOCATE).orElseThrow().give();
        assertThat(((Amount.Fixed) cash.amount()).money().amount())
                .isEqualByComparingTo(new BigDecimal("123456789012345678.123456789012"));
        RuleSet points = read("yaml", fields().get(3).yaml("9223372036854775807"));
        assertThat(((Give.Points) points.rules().get(0).grant(Beneficiary.ADVOCATE).orElseThrow().give()).amount())
                .isEqualTo(new Amount.Points(Long.MAX_VALUE));
        assertThat(((RuleFileException) catchThrowable(() -> read("json", fields().get(3)
                .json("18446744073709551617")))).problems()).extracting(RuleFileException.Problem::code)
                .containsExactly("out_of_range");
    }

    @Test
    @DisplayName("too many decimal places, tiny numbers and out-of-range decimal texts are out_of_range too")
    void tinyAndLongDecimals() {
        for (String n : List.of("1e-400", "0.0000000000001", "\"1e400\"", "\"1234567890123456789\"")) {
            Throwable thrown = catchThrowable(() -> read("json", fields().get(7).json(n)));
            assertThat(thrown).as(n).isInstanceOf(RuleFileException.class);
            assertThat(((RuleFileException) thrown).problems()).as(n)
                    .anySatisfy(p -> assertThat(p.code()).isEqualTo("out_of_range"));
        }
        RuleFileException tinyFactor = (RuleFileException) catchThrowable(() -> read("yaml",
                fields().get(5).yaml("1e-400")));
        assertThat(tinyFactor.problems()).extracting(RuleFileException.Problem::code).containsExactly("out_of_range");
    }
}

package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.referrals.rules.file.RuleFileException;
import io.referrals.rules.file.RuleFiles;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rule files are read strictly")
class RuleFilesTest {
    private final RuleFiles files = RuleFiles.forPrograms(Fixture.programs());

    private List<RuleFileException.Problem> problems(String yaml) {
        return catchThrowableOfType(RuleFileException.class, () -> files.readYaml("bad.yaml", yaml)).problems();
    }

    @Test
    void everyProblemIsReportedAtOnceWithLineColumnAndPath() {
        List<RuleFileException.Problem> p = problems("""
                program: customers
                version: 1
                rules:
                  - id: a
                    when: {stageReached: signed}
                    advocate: {points: -5}
                    colour: blue
                  - id: b
                    when: {stageReached: won}
                    advocate:
                      points: {multiplierOf: {rule: a, factor: 0}}
                """);
        assertThat(p).extracting(RuleFileException.Problem::code)
                .containsExactlyInAnyOrder("unknown_stage", "invalid_value", "unknown_field", "invalid_value");
        RuleFileException.Problem unknown = p.stream().filter(x -> x.code().equals("unknown_field")).findFirst()
                .orElseThrow();
        assertThat(unknown.path()).isEqualTo("rules[0].colour");
        assertThat(unknown.line()).isEqualTo(7);
        assertThat(unknown.column()).isEqualTo(5);
        assertThat(p.stream().filter(x -> x.path().equals("rules[0].advocate.points")).findFirst().orElseThrow()
                .line()).isEqualTo(6);
        assertThat(p).anyMatch(x -> x.path().equals("rules[1].advocate.points.multiplierOf.factor"));
    }

    @Test
    void wrongTypesAndUnknownProgramsAreRefused() {
        List<RuleFileException.Problem> p = problems("""
                program: nobody
                version: "one"
                rules: []
                """);
        assertThat(p).extracting(RuleFileException.Problem::code).contains("unknown_program", "wrong_type");
    }

    @Test
    void jsonSyntaxErrorsAndDuplicateKeysCarryTheirLocation() {
        RuleFileException e = catchThrowableOfType(RuleFileException.class, () -> files.readJson("bad.json",
                "{\"program\": \"customers\", \"program\": \"partners\", \"version\": 1, \"rules\": []}"));
        assertThat(e.problems().get(0).code()).isEqualTo("syntax");
        assertThat(e.problems().get(0).line()).isEqualTo(1);
    }

    @Test
    void aReferenceToAnUnknownRuleIsRefused() {
        List<RuleFileException.Problem> p = problems("""
                program: customers
                version: 1
                rules:
                  - id: b
                    when: {stageReached: won}
                    advocate: {points: {multiplierOf: {rule: missing, factor: 2}}}
                """);
        assertThat(p).extracting(RuleFileException.Problem::code).containsExactly("unknown_rule");
    }

    @Test
    void theChecksOfTheRuleSetAndItsTiersAreAllReportedWithTheirPlaceInTheFile() {
        List<RuleFileException.Problem> p = problems("""
                program: customers
                version: 1
                rules:
                  - id: won
                    when: {stageReached: won}
                    advocate: {points: 100}
                  - id: won
                    when: {stageReached: qualified}
                    if: {tierAtLeast: platinum}
                    advocate: {cash: {amount: 10, currency: USD}}
                """);
        assertThat(p).extracting(RuleFileException.Problem::code).containsExactly("duplicate_id", "unknown_tier");
        assertThat(p).extracting(RuleFileException.Problem::path).containsExactly("rules[1].id",
                "rules[1].if.tierAtLeast");
        assertThat(p).extracting(RuleFileException.Problem::line).containsExactly(7, 9);

        List<RuleFileException.Problem> tiers = problems("""
                program: customers
                version: 1
                tiers:
                  stage: qualified
                  levels:
                    - {name: gold, atLeast: 10}
                    - {name: silver, atLeast: 3}
                rules: []
                """);
        assertThat(tiers).extracting(RuleFileException.Problem::path).containsExactly("tiers.levels[1].atLeast");
        assertThat(tiers.get(0).line()).isEqualTo(7);
    }

    @Test
    void theJsonSchemaShipsInTheJar() throws Exception {
        try (InputStream in = RuleFiles.class.getResourceAsStream(RuleFiles.SCHEMA_RESOURCE)) {
            assertThat(in).isNotNull();
            var schema = new ObjectMapper().readTree(in);
            assertThat(schema.get("$defs").has("rule")).isTrue();
            assertThat(schema.get("properties").has("rules")).isTrue();
        }
    }
}

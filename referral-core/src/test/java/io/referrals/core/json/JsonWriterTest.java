package io.referrals.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The JSON writer of the library's exports")
class JsonWriterTest {

    record Id(String value) {
    }

    sealed interface Shape {
        record Circle(long radius) implements Shape {
        }
    }

    record Row(Id id, Optional<String> note, List<BigDecimal> amounts, Map<String, Boolean> flags, Shape shape) {
    }

    @Test
    @DisplayName("writes records, typed ids, optionals, lists, sorted maps and sealed variants")
    void writesValues() {
        Row row = new Row(new Id("r-1"), Optional.empty(), List.of(new BigDecimal("1E+2"), BigDecimal.ONE),
                Map.of("b", true, "a", false), new Shape.Circle(3));

        assertThat(JsonWriter.of(row)).isEqualTo("{\"id\":\"r-1\",\"note\":null,\"amounts\":[100,1],"
                + "\"flags\":{\"a\":false,\"b\":true},\"shape\":{\"type\":\"Circle\",\"radius\":3}}");
    }

    @Test
    @DisplayName("escapes quotes, backslashes, control characters, line separators and lone surrogates")
    void escapes() {
        assertThat(JsonWriter.of("a\"b\\c\n\u0001\u2028\uD800x\uD83D\uDE00"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\u0001\\u2028\\ud800x\uD83D\uDE00\"");
    }

    @Test
    @DisplayName("writes a document piece by piece with the commas in place")
    void streams() {
        JsonWriter w = new JsonWriter();
        w.open('{');
        w.field("n").number(1);
        w.field("list").open('[');
        w.element().string("x");
        w.element().decimal(null);
        w.close(']');
        w.close('}');

        assertThat(w).hasToString("{\"n\":1,\"list\":[\"x\",null]}");
    }

    /** A string written never holds a raw control character, line separator or lone surrogate. */
    @Property(tries = 300)
    void a_string_written_never_holds_a_raw_control_character_or_a_lone_surrogate(@ForAll String s) {
        String json = JsonWriter.of(s);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            assertThat(c >= 0x20 && c != '\u2028' && c != '\u2029').as("char %d of %s", i, json).isTrue();
            if (Character.isHighSurrogate(c)) {
                assertThat(Character.isLowSurrogate(json.charAt(i + 1))).isTrue();
            } else if (Character.isLowSurrogate(c)) {
                assertThat(Character.isHighSurrogate(json.charAt(i - 1))).isTrue();
            }
        }
    }
}

package io.referrals.rules.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.rules.definition.RuleSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads rule files, JSON or YAML, strictly: unknown fields, wrong types, duplicate keys and impossible values
 * (negative points, a multiplier of 0, an unknown stage, program or rule, a number out of its range) are refused with
 * their line, column and path in a {@link RuleFileException} listing every problem. Numbers are read exactly; whole
 * numbers (versions, counts, points, costs) must fit their field ({@code version}, {@code n} and {@code topN} at most
 * 2,147,483,647, the others at most 9,223,372,036,854,775,807), and decimals (amounts, percentages, factors,
 * thresholds) must have at most 18 digits before the decimal point and at most 12 after it; a number outside its
 * range, {@code 1e400} for one, is the problem {@code out_of_range}. The JSON Schema of the format is in the jar at
 * {@value #SCHEMA_RESOURCE}. Immutable and thread-safe.
 */
public final class RuleFiles {
    /** Where the JSON Schema of rule files is, on the class path. */
    public static final String SCHEMA_RESOURCE = "/io/referrals/rules/rules.schema.json";

    private final Map<ProgramId, Program> programs;

    private RuleFiles(Map<ProgramId, Program> programs) {
        this.programs = Map.copyOf(programs);
    }

    /** A reader that knows {@code programs}: a rule file must name one of them and only stages of its pipeline. */
    public static RuleFiles forPrograms(List<Program> programs) {
        Map<ProgramId, Program> map = new HashMap<>();
        for (Program p : programs) {
            map.put(p.id(), Objects.requireNonNull(p, "program"));
        }
        return new RuleFiles(map);
    }

    /**
     * Reads a file; {@code .yaml} and {@code .yml} files are read as YAML, others as JSON.
     *
     * @throws RuleFileException naming every problem
     * @throws UncheckedIOException if the file cannot be read
     */
    public RuleSet read(Path file) {
        String name = file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule file " + name, e);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") ? readYaml(name, text) : readJson(name, text);
    }

    /** Reads JSON text; {@code source} names it in problems. @throws RuleFileException naming every problem */
    public RuleSet readJson(String source, String text) {
        return read(source, text, new JsonFactory());
    }

    /** Reads YAML text; {@code source} names it in problems. @throws RuleFileException naming every problem */
    public RuleSet readYaml(String source, String text) {
        return read(source, text, new YAMLFactory());
    }

    /** Reads a rule file from the class path, by its resource name. @throws RuleFileException naming every problem */
    public RuleSet readResource(String resource) {
        try (var in = RuleFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no such resource: " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String lower = resource.toLowerCase(Locale.ROOT);
            return lower.endsWith(".yaml") || lower.endsWith(".yml") ? readYaml(resource, text)
                    : readJson(resource, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule file " + resource, e);
        }
    }

    private RuleSet read(String source, String text, JsonFactory factory) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        Map<String, JsonLocation> locations = new HashMap<>();
        JsonNode root;
        try {
            try (JsonParser p = factory.createParser(text)) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    JsonStreamContext ctx = p.getParsingContext();
                    String path = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY
                            ? path(ctx.getParent()) : path(ctx);
                    locations.putIfAbsent(path, p.currentTokenLocation());
                }
            }
            // decimals are kept exact (never rounded to a double, so never infinity or zero): RuleNumbers checks ranges
            ObjectMapper mapper = new ObjectMapper(factory)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new RuleFileException(List.of(new RuleFileException.Problem(source, "$",
                    l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), "syntax",
                    e.getOriginalMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RuleFileReader(source, locations, programs).ruleSet(root);
    }

    static String path(JsonStreamContext ctx) {
        if (ctx == null || ctx.inRoot()) {
            return "$";
        }
        StringBuilder sb = new StringBuilder();
        build(ctx, sb);
        return sb.length() == 0 ? "$" : sb.toString();
    }

    private static void build(JsonStreamContext ctx, StringBuilder sb) {
        if (ctx == null || ctx.inRoot()) {
            return;
        }
        build(ctx.getParent(), sb);
        if (ctx.inArray()) {
            sb.append('[').append(Math.max(0, ctx.getCurrentIndex())).append(']');
        } else if (ctx.inObject() && ctx.getCurrentName() != null) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(ctx.getCurrentName());
        }
    }
}

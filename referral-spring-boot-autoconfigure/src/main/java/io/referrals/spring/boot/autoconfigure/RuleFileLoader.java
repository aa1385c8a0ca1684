package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.model.Program;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.file.RuleFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/** Reads the rule files of {@code referrals.rewards.rule-files}, Spring resource locations with patterns. */
final class RuleFileLoader {

    private RuleFileLoader() {
    }

    /**
     * The rule sets of every file the locations name, in location order (files of one pattern by name).
     *
     * @throws IllegalStateException if a location names no readable file
     * @throws io.referrals.rules.file.RuleFileException naming every problem of a file
     */
    static List<RuleSet> load(List<String> locations, List<Program> programs, ResourcePatternResolver resolver) {
        List<RuleSet> out = new ArrayList<>();
        if (locations.isEmpty()) {
            return out;
        }
        RuleFiles files = RuleFiles.forPrograms(programs);
        for (String location : locations) {
            Resource[] found;
            try {
                found = resolver.getResources(location.strip());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resolve referrals.rewards.rule-files location " + location, e);
            }
            List<Resource> readable = new ArrayList<>();
            for (Resource r : found) {
                if (r.exists() && r.isReadable()) {
                    readable.add(r);
                }
            }
            if (readable.isEmpty()) {
                throw new IllegalStateException("referrals.rewards.rule-files location " + location
                        + " names no readable file");
            }
            readable.sort((a, b) -> String.valueOf(a.getFilename()).compareTo(String.valueOf(b.getFilename())));
            for (Resource r : readable) {
                out.add(read(files, r));
            }
        }
        return out;
    }

    private static RuleSet read(RuleFiles files, Resource r) {
        String name = String.valueOf(r.getFilename());
        String text;
        try {
            text = r.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule file " + r.getDescription(), e);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") ? files.readYaml(name, text)
                : files.readJson(name, text);
    }
}

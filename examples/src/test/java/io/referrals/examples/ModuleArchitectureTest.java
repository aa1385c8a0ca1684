package io.referrals.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.core.importer.Locations;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Cross-module layering, checked on the main classes of every module on this module's class path (core, rules,
 * JDBC storage, examples) and, when they have been compiled in this checkout, the contract kit and the benchmarks.
 */
@DisplayName("Module architecture")
class ModuleArchitectureTest {
    private static final String CORE = "io.referrals.core";
    private static final String RULES = "io.referrals.rules";
    private static final String JDBC = "io.referrals.storage.jdbc";
    private static final String TCK = "io.referrals.storage.tck";
    private static final String EXAMPLES = "io.referrals.examples";
    private static final String BENCHMARKS = "io.referrals.benchmarks";
    private static final List<String> MODULE_ROOTS = List.of(CORE, RULES, JDBC, TCK, EXAMPLES, BENCHMARKS);

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        Set<Location> locations = new LinkedHashSet<>(Locations.ofPackage("io.referrals"));
        Stream.of("../referral-storage-tck/target/classes", "../benchmarks/target/classes")
                .map(Path::of).filter(Files::isDirectory).map(Location::of).forEach(locations::add);
        classes = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importLocations(locations);
    }

    private static Set<String> packages() {
        return classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    }

    @Test
    @DisplayName("the import sees the core, rules, JDBC and examples modules, and no test classes")
    void importIsNotVacuous() {
        assertThat(classes.contain("io.referrals.core.ReferralEngine")).isTrue();
        assertThat(classes.contain("io.referrals.examples.Demo")).isTrue();
        assertThat(packages()).contains(CORE, CORE + ".model", CORE + ".internal", EXAMPLES);
        assertThat(classes.stream().map(JavaClass::getSimpleName))
                .noneMatch(n -> n.endsWith("Test") && n.length() > "Test".length() && !n.endsWith("_jmhTest"));
    }

    @Test
    @DisplayName("core depends on none of rules, JDBC storage, Jackson or Caffeine")
    void coreIsSelfContained() {
        noClasses().that().resideInAPackage(CORE + "..")
                .should().dependOnClassesThat().resideInAnyPackage(RULES + "..", JDBC + "..", "com.fasterxml..",
                        "com.github.benmanes..")
                .because("referral-core's only runtime dependency is slf4j-api")
                .check(classes);
    }

    @Test
    @DisplayName("no module uses another module's internal packages")
    void internalsStayInTheirModule() {
        List<ArchRule> rules = new ArrayList<>();
        for (String root : MODULE_ROOTS) {
            rules.add(noClasses().that().resideOutsideOfPackage(root + "..")
                    .should().dependOnClassesThat().resideInAPackage(root + ".internal..")
                    .as("no class outside " + root + " uses " + root + ".internal"));
        }
        CompositeArchRule.of(rules).check(classes);
    }

    @Test
    @DisplayName("no library module depends on the examples or the benchmarks")
    void librariesDoNotDependOnExamplesOrBenchmarks() {
        noClasses().that().resideInAnyPackage(CORE + "..", RULES + "..", JDBC + "..", TCK + "..")
                .should().dependOnClassesThat().resideInAnyPackage(EXAMPLES + "..", BENCHMARKS + "..")
                .check(classes);
    }

    @Test
    @DisplayName("each module keeps to its own package root: no class outside the known roots")
    void noSplitOrStrayPackages() {
        assertThat(classes.stream().map(JavaClass::getPackageName))
                .allMatch(pkg -> MODULE_ROOTS.stream()
                        .anyMatch(root -> pkg.equals(root) || pkg.startsWith(root + ".")), "in one of " + MODULE_ROOTS);
    }
}

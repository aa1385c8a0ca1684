package io.referrals.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The layering of referral-rules, checked on its main classes: the entry points ({@code io.referrals.rules}) use
 * everything; the evaluation internals use the definitions, results and SPI; the definitions, results, SPI and rule
 * files use none of the internals.
 */
@AnalyzeClasses(packages = "io.referrals.rules", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String RULES = "io.referrals.rules";
    private static final String DEFINITION = RULES + ".definition";
    private static final String INTERNAL = RULES + ".internal";
    private static final String RESULT = RULES + ".result";
    private static final String SPI = RULES + ".spi";
    private static final String FILE = RULES + ".file";

    @ArchTest
    static final ArchRule rule_definitions_are_plain_values_of_the_core_model = classes()
            .that().resideInAPackage(DEFINITION + "..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.referrals.core.model..",
                    "io.referrals.core.error..", DEFINITION + "..")
            .because("a host writes rule definitions without knowing how they are evaluated or stored");

    @ArchTest
    static final ArchRule rule_definitions_do_not_depend_on_the_evaluation_internals = noClasses()
            .that().resideInAPackage(DEFINITION + "..")
            .should().dependOnClassesThat().resideInAnyPackage(INTERNAL + "..", RESULT + "..", SPI + "..",
                    FILE + "..")
            .orShould().dependOnClassesThat().resideInAPackage(RULES);

    @ArchTest
    static final ArchRule internal_is_used_only_by_the_entry_points = noClasses()
            .that().resideOutsideOfPackages(RULES, INTERNAL + "..")
            .should().dependOnClassesThat().resideInAPackage(INTERNAL + "..")
            .because("the internals may change at any time; only RewardsEngine, Rewards and RuleSetBacktest use them");

    @ArchTest
    static final ArchRule internal_does_not_depend_on_the_entry_points_or_rule_files = noClasses()
            .that().resideInAPackage(INTERNAL + "..")
            .should().dependOnClassesThat().resideInAPackage(RULES)
            .orShould().dependOnClassesThat().resideInAPackage(FILE + "..");

    @ArchTest
    static final ArchRule results_and_the_spi_depend_only_on_the_core_model = classes()
            .that().resideInAnyPackage(RESULT + "..", SPI + "..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.referrals.core.model..",
                    RESULT + "..", SPI + "..");

    @ArchTest
    static final ArchRule only_rule_files_use_jackson = noClasses()
            .that().resideOutsideOfPackage(FILE + "..")
            .should().dependOnClassesThat().resideInAPackage("com.fasterxml..")
            .because("JSON and YAML are a concern of rule files alone");

    /** Each package of the module is its own slice. */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            return pkg.equals(RULES) || pkg.startsWith(RULES + ".") ? SliceIdentifier.of(pkg)
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "packages of " + RULES;
        }
    };

    @ArchTest
    static final ArchRule no_package_cycles = SlicesRuleDefinition.slices().assignedFrom(PACKAGES)
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule no_standard_streams = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

    @ArchTest
    static final ArchRule no_java_util_logging = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @Test
    @DisplayName("every package of the module has a package-info.java, and internal's says it may change at any time")
    void everyPackageHasPackageInfo() throws IOException {
        JavaClasses imported = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages(RULES);
        Set<String> packages = imported.stream().map(JavaClass::getPackageName)
                .collect(Collectors.toCollection(TreeSet::new));
        Path sources = Path.of("src", "main", "java");

        assertThat(packages).containsExactlyInAnyOrder(RULES, DEFINITION, INTERNAL, RESULT, SPI, FILE);
        assertThat(packages).allSatisfy(pkg -> assertThat(sources.resolve(pkg.replace('.', '/'))
                .resolve("package-info.java")).as("package-info.java of %s", pkg).isRegularFile());
        String internal = Files.readString(sources.resolve(INTERNAL.replace('.', '/')).resolve("package-info.java"),
                StandardCharsets.UTF_8);
        assertThat(internal.replaceAll("\\s+\\*\\s*", " ")).contains("may change at any time");
    }
}

package io.referrals.core;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The layering of referral-core, checked on its main classes. */
@AnalyzeClasses(packages = "io.referrals.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String CORE = "io.referrals.core";

    @ArchTest
    static final ArchRule core_depends_only_on_the_jdk_slf4j_and_itself = classes()
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", "org.slf4j..", CORE + "..")
            .because("referral-core's only runtime dependency is slf4j-api");

    /** Each package of core is its own slice: the root package, model, event, storage, storage.memory, ... */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals(CORE) || pkg.startsWith(CORE + ".")) {
                return SliceIdentifier.of(pkg);
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "packages of " + CORE;
        }
    };

    @ArchTest
    static final ArchRule no_package_cycles = SlicesRuleDefinition.slices().assignedFrom(PACKAGES)
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule no_cycles_between_top_level_subpackages = SlicesRuleDefinition.slices()
            .matching(CORE + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule internal_is_used_only_by_the_engine = noClasses()
            .that().resideOutsideOfPackages(CORE, CORE + ".internal..")
            .should().dependOnClassesThat().resideInAPackage(CORE + ".internal..")
            .because("internal packages are implementation details of the engine");

    @ArchTest
    static final ArchRule no_standard_streams = noClasses()
            .should().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .because("library code logs through SLF4J");

    @ArchTest
    static final ArchRule no_print_stack_trace = noClasses()
            .should().callMethod(Throwable.class, "printStackTrace")
            .orShould().callMethod(Throwable.class, "printStackTrace", java.io.PrintStream.class)
            .orShould().callMethod(Throwable.class, "printStackTrace", java.io.PrintWriter.class);

    @ArchTest
    static final ArchRule no_standard_streams_at_all = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

    @ArchTest
    static final ArchRule no_java_util_logging = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule model_does_not_depend_on_storage_internal_or_engine = noClasses()
            .that().resideInAPackage(CORE + ".model..")
            .should().dependOnClassesThat().resideInAnyPackage(CORE + ".storage..", CORE + ".internal..", CORE)
            .because("the model is plain values that every layer may use");

    @ArchTest
    static final ArchRule model_knows_only_errors_and_itself = classes()
            .that().resideInAPackage(CORE + ".model..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE + ".model..", CORE + ".error..");

    @ArchTest
    static final ArchRule errors_depend_on_nothing_else_in_core = classes()
            .that().resideInAPackage(CORE + ".error..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE + ".error..");

    @ArchTest
    static final ArchRule the_storage_spi_knows_nothing_of_the_engine = noClasses()
            .that().resideInAPackage(CORE + ".storage..")
            .should().dependOnClassesThat().resideInAnyPackage(CORE, CORE + ".internal..", CORE + ".extension..",
                    CORE + ".hook..")
            .because("a store adapter implements the SPI alone; the engine is built on top of it");

    @ArchTest
    static final ArchRule extensions_see_the_engine_only_through_their_installation = noClasses()
            .that().resideInAPackage(CORE + ".extension..")
            .should().dependOnClassesThat().resideInAnyPackage(CORE, CORE + ".internal..")
            .because("an extension receives its runner and clock when installed, never the engine's internals");

    @ArchTest
    static final ArchRule the_json_writer_is_a_leaf = classes()
            .that().resideInAPackage(CORE + ".json..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE + ".json..")
            .because("the exports share one writer that depends on nothing of the domain");

    @Test
    @DisplayName("every package of core has a package-info.java")
    void everyPackageHasPackageInfo() {
        JavaClasses imported = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages(CORE);
        Set<String> packages = imported.stream().map(JavaClass::getPackageName)
                .collect(Collectors.toCollection(TreeSet::new));
        Path sources = Path.of("src", "main", "java");

        assertThat(packages).contains(CORE, CORE + ".model", CORE + ".internal");
        assertThat(packages).allSatisfy(pkg -> assertThat(sources.resolve(pkg.replace('.', '/'))
                .resolve("package-info.java")).as("package-info.java of %s", pkg).satisfies(p ->
                assertThat(Files.isRegularFile(p)).as("%s exists", p).isTrue()));
    }
}

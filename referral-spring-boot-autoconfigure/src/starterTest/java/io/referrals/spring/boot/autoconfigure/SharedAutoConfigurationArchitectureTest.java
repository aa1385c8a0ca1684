package io.referrals.spring.boot.autoconfigure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** The shared auto-configuration runs on both Spring Boot lines, so it may use only what both have. */
@AnalyzeClasses(packages = "io.referrals.spring.boot.autoconfigure", importOptions = ImportOption.DoNotIncludeTests.class)
class SharedAutoConfigurationArchitectureTest {

    @ArchTest
    static final ArchRule no_api_that_moved_between_the_lines = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework.boot.actuate..", "org.springframework.boot.health..",
                    "org.springframework.boot.jdbc..", "org.springframework.boot.autoconfigure.jdbc..",
                    "org.springframework.boot.flyway..", "org.springframework.boot.micrometer..")
            .because("Spring Boot 4 moved these packages; the starter of each line holds what needs them");

    @ArchTest
    static final ArchRule spring_security_stays_optional = noClasses()
            .that().doNotHaveSimpleName("SpringSecuritySupport")
            .should().dependOnClassesThat().resideInAPackage("org.springframework.security..")
            .because("hosts without Spring Security must be able to load every other class; SpringSecuritySupport is"
                    + " only called when Spring Security is on the class path");

    @ArchTest
    static final ArchRule no_standard_streams = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

    @ArchTest
    static final ArchRule no_java_util_logging = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
}

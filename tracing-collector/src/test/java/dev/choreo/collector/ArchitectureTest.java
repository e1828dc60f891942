package dev.choreo.collector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.web.bind.annotation.RestController;

/** Keeps the feature packages honest: the model knows nothing of Kafka listeners, HTTP or the Admin API. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.choreo.collector");

    @Test
    void theProcessModelAndTheFlowDependOnNoAdapter() {
        noClasses().that().resideInAnyPackage("..collector.process..", "..collector.flow..").should()
                .dependOnClassesThat().resideInAnyPackage("..collector.web..", "..collector.ingest..",
                        "..collector.action..", "..collector.diagnosis..", "org.apache.kafka..",
                        "org.springframework.web..")
                .check(CLASSES);
    }

    @Test
    void onlyTheWebPackageServesHttp() {
        noClasses().that().resideOutsideOfPackage("..collector.web..").should()
                .dependOnClassesThat().resideInAnyPackage("org.springframework.web..").check(CLASSES);
    }

    @Test
    void listenersAndControllersArePackagePrivate() {
        classes().that().haveSimpleNameEndingWith("Listener").and().resideInAPackage("..collector.ingest..")
                .should().notBePublic().check(CLASSES);
        classes().that().areAnnotatedWith(RestController.class).should().notBePublic().check(CLASSES);
        classes().that().containAnyMethodsThat(
                com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith(KafkaListener.class))
                .should().notBePublic().check(CLASSES);
    }
}

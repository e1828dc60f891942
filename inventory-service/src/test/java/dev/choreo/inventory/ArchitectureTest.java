package dev.choreo.inventory;

import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

/** Keeps the service's packages honest. */
@AnalyzeClasses(packages = "dev.choreo.inventory", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule listenersAreNotPartOfAnyApi = classes()
            .that().containAnyMethodsThat(annotatedWith(KafkaListener.class))
            .should().notBePublic()
            .because("Kafka listeners are entry points driven by the broker, not API for other classes");

    @ArchTest
    static final ArchRule listenerMethodsAreNotPublic = methods()
            .that().areAnnotatedWith(KafkaListener.class)
            .should().notBePublic();

    @ArchTest
    static final ArchRule onlyRepositoriesTouchTheDatabase = noClasses()
            .that().areNotAnnotatedWith(Repository.class)
            .should().dependOnClassesThat().areAssignableTo(JdbcClient.class)
            .because("SQL lives in the repositories; the web layer and the listeners go through them");

    @ArchTest
    static final ArchRule controllersDoNotPublishOrReact = noClasses()
            .that().areAnnotatedWith(RestController.class)
            .should().dependOnClassesThat().resideInAnyPackage("dev.choreo.messaging..")
            .because("the REST API only reads; state changes come from events");

    @ArchTest
    static final ArchRule featuresAreIndependent = slices()
            .matching("dev.choreo.inventory.(*)..")
            .should().notDependOnEachOther()
            .ignoreDependency(DescribedPredicate.alwaysTrue(),
                    JavaClass.Predicates.resideInAPackage("dev.choreo.inventory.web"))
            .because("catalogue and reservation share only the web conventions");

    @ArchTest
    static final ArchRule webConventionsDependOnNoFeature = noClasses()
            .that().resideInAPackage("dev.choreo.inventory.web..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.choreo.inventory.catalogue..",
                    "dev.choreo.inventory.reservation..");
}

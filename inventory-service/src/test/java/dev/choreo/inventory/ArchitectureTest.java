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
import dev.choreo.messaging.inbox.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

/** Keeps the service's packages honest. */
@AnalyzeClasses(packages = "dev.choreo.inventory", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule eventHandlersAreNotPartOfAnyApi = classes()
            .that().containAnyMethodsThat(annotatedWith(EventHandler.class))
            .should().notBePublic()
            .because("event handlers are entry points driven by the starter's inbox, not API for other classes");

    @ArchTest
    static final ArchRule eventHandlerMethodsAreNotPublic = methods()
            .that().areAnnotatedWith(EventHandler.class)
            .should().notBePublic();

    @ArchTest
    static final ArchRule onlyRepositoriesTouchTheDatabase = noClasses()
            .that().areNotAnnotatedWith(Repository.class)
            .should().dependOnClassesThat().areAssignableTo(JdbcClient.class)
            .because("SQL lives in the repositories; the web layer and the event handlers go through them");

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

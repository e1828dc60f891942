package dev.choreo.order;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.choreo.messaging.inbox.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Repository;

/** Keeps the packages honest. */
@AnalyzeClasses(packages = "dev.choreo.order", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule listenersAreNotPublic = methods().that().areAnnotatedWith(KafkaListener.class)
            .should().notBePublic()
            .andShould().beDeclaredInClassesThat().areNotPublic()
            .because("listeners are reached through Kafka, never called by other code");

    @ArchTest
    static final ArchRule eventHandlersAreNotPublic = methods().that().areAnnotatedWith(EventHandler.class)
            .should().notBePublic()
            .andShould().beDeclaredInClassesThat().areNotPublic()
            .because("event handlers are reached through Kafka (the starter's inbox), never called by other code");

    @ArchTest
    static final ArchRule onlyRepositoriesTouchTheDatabase = noClasses()
            .that().areNotAnnotatedWith(Repository.class)
            .should().dependOnClassesThat().areAssignableTo(JdbcClient.class)
            .because("SQL lives in the repositories");

    @ArchTest
    static final ArchRule theDomainDoesNotKnowTheWeb = noClasses()
            .that().resideInAnyPackage("dev.choreo.order.orders..", "dev.choreo.order.catalogue..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.choreo.order.web..", "org.springframework.web..",
                    "org.springframework.http..", "jakarta.servlet..")
            .because("orders and the catalogue are reached over HTTP and Kafka alike; HTTP stays in web");

    @ArchTest
    static final ArchRule theWebDoesNotPublishOrListen = noClasses()
            .that().resideInAPackage("dev.choreo.order.web..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.choreo.messaging.outbox..",
                    "dev.choreo.messaging.inbox..", "dev.choreo.messaging.kafka..", "org.springframework.kafka..")
            .because("the web layer calls the order services, which publish through the outbox in their transaction "
                    + "(the starter's problem details, dev.choreo.messaging.web, are the web's own)");

    @ArchTest
    static final ArchRule theCatalogueDoesNotKnowOrders = noClasses()
            .that().resideInAPackage("dev.choreo.order.catalogue..")
            .should().dependOnClassesThat().resideInAPackage("dev.choreo.order.orders..")
            .because("the catalogue replica is a building block of ordering, not the other way round");
}

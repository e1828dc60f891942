package dev.choreo.notification;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.choreo.messaging.inbox.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

/** Keeps the packages honest. */
@AnalyzeClasses(packages = "dev.choreo.notification", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

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
    static final ArchRule theWebLayerOnlyReads = noClasses().that().areAnnotatedWith(RestController.class)
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Reactions")
            .orShould().dependOnClassesThat().haveSimpleName("EventPublisher")
            .orShould().dependOnClassesThat().haveSimpleName("Notifier")
            .because("the REST API reads what the events wrote; notifications come from events only");

    @ArchTest
    static final ArchRule channelsKnowNothingOfWhyTheyDeliver = noClasses()
            .that().resideInAPackage("dev.choreo.notification.channel..")
            .should().dependOnClassesThat().resideInAPackage("dev.choreo.notification.notify..")
            .because("a channel delivers a message; deciding what to tell whom is the notify feature's job");

    @ArchTest
    static final ArchRule featurePackagesKeepTheirInsides = classes()
            .that().resideInAPackage("dev.choreo.notification.notify..")
            .and().areNotEnums()
            .should().notBePublic()
            .because("the notify feature exposes nothing but its API over HTTP and Kafka");
}

package dev.choreo.payment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.web.bind.annotation.RestController;

/** Keeps the packages honest. */
@AnalyzeClasses(packages = "dev.choreo.payment", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule listenersAreNotPublic = methods().that().areAnnotatedWith(KafkaListener.class)
            .should().notBePublic()
            .andShould().beDeclaredInClassesThat().areNotPublic()
            .because("a listener is wired by Spring, not called by other code");

    @ArchTest
    static final ArchRule onlyRepositoriesUseJdbc = noClasses().that().haveSimpleNameNotEndingWith("Repository")
            .should().dependOnClassesThat().areAssignableTo(JdbcClient.class)
            .because("SQL lives in the repositories; the web layer and the reactions go through them");

    @ArchTest
    static final ArchRule controllersDoNotPublishOrCharge = noClasses().that().areAnnotatedWith(RestController.class)
            .should().dependOnClassesThat().resideInAnyPackage("dev.choreo.messaging..", "dev.choreo.payment.gateway..",
                    "org.springframework.kafka..")
            .because("the REST API only reads; payments change in reaction to events");

    @ArchTest
    static final ArchRule theGatewayKnowsNothingOfEventsOrPayments = noClasses()
            .that().resideInAPackage("dev.choreo.payment.gateway..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.choreo.events..", "dev.choreo.messaging..",
                    "dev.choreo.payment.payments..", "org.springframework.kafka..", "org.springframework.jdbc..")
            .because("the gateway is the payment provider's side, replaceable by a real one");

    @ArchTest
    static final ArchRule onlyTheListenerTalksToKafka = classes()
            .that().resideInAPackage("dev.choreo.payment..")
            .and().haveSimpleNameNotEndingWith("Listener")
            .should().onlyDependOnClassesThat().resideOutsideOfPackage("org.springframework.kafka..")
            .because("events arrive through the listener and leave through the outbox");
}

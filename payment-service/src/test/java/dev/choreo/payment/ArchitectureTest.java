package dev.choreo.payment;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.choreo.messaging.inbox.EventHandler;
import dev.choreo.messaging.inbox.TransientFailure;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RestController;

/** Keeps the packages honest. */
@AnalyzeClasses(packages = "dev.choreo.payment", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule eventHandlersAreNotPublic = methods().that().areAnnotatedWith(EventHandler.class)
            .should().notBePublic()
            .andShould().beDeclaredInClassesThat().areNotPublic()
            .because("an event handler is wired by the starter's inbox, not called by other code");

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
            .should().dependOnClassesThat(resideInAnyPackage("dev.choreo.events..", "dev.choreo.messaging..",
                    "dev.choreo.payment.payments..", "org.springframework.kafka..", "org.springframework.jdbc..")
                    .and(not(equivalentTo(TransientFailure.class))))
            .because("the gateway is the payment provider's side, replaceable by a real one; it only marks its "
                    + "\"try again later\" failure as transient");

    @ArchTest
    static final ArchRule nothingTalksToKafka = noClasses()
            .that().resideInAPackage("dev.choreo.payment..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework.kafka..")
            .because("events arrive through the starter's inbox (@EventHandler) and leave through its outbox");
}

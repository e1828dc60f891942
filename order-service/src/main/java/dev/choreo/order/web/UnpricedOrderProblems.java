package dev.choreo.order.web;

import dev.choreo.messaging.web.ProblemDetailsHandler.FieldProblem;
import dev.choreo.order.orders.UnpricedOrderException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Unknown SKUs and other orders the catalogue cannot price: understood, but not processable (422), in the shape of
 * every other input problem (messaging-starter's {@code ProblemDetailsHandler}).
 */
@RestControllerAdvice
class UnpricedOrderProblems {

    @ExceptionHandler(UnpricedOrderException.class)
    @ResponseStatus(HttpStatus.UNPROCESSABLE_CONTENT)
    ProblemDetail handleUnpricedOrder(UnpricedOrderException ex) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                "The order cannot be priced from the catalogue");
        body.setTitle("Order cannot be priced");
        body.setProperty("errors", ex.problems().stream()
                .map(p -> new FieldProblem(p.field(), p.message())).toList());
        return body;
    }
}

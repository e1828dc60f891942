package dev.choreo.payment.payments;

import java.util.Arrays;
import java.util.List;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * RFC 9457 problem details for every error Spring MVC knows (the base class), with each invalid path or query
 * parameter named in the {@code detail} and listed in {@code errors} as {@code {parameter, message}}, so a client
 * sees which input was wrong and why. Messages never echo the input.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

    /** One invalid parameter and why. */
    record ParameterProblem(String parameter, String message) {
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ParameterProblem> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new ParameterProblem(name(result.getMethodParameter()), message(error))))
                .toList();
        return invalid(ex, errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        Class<?> type = ex.getRequiredType();
        String message = type != null && type.isEnum()
                ? "must be one of " + Arrays.toString(type.getEnumConstants())
                : "must be " + (type == null ? "of another type" : "a valid " + type.getSimpleName());
        String parameter = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        return invalid(ex, List.of(new ParameterProblem(parameter, message)), headers, request);
    }

    private ResponseEntity<Object> invalid(Exception ex, List<ParameterProblem> errors, HttpHeaders headers,
            WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Invalid request: "
                + String.join("; ", errors.stream().map(e -> e.parameter() + " " + e.message()).toList()));
        problem.setTitle("Invalid request parameter");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static String name(MethodParameter parameter) {
        String name = parameter.getParameterName();
        return name == null ? "argument " + parameter.getParameterIndex() : name;
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }
}

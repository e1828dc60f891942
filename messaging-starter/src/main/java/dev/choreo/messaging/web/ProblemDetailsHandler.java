package dev.choreo.messaging.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every service's bad input gets RFC 9457 problem details ({@code application/problem+json}) with an {@code errors}
 * array of {@code {field, message}} naming each field and why: invalid bodies (with the JSON path of each field),
 * malformed or unreadable JSON, path and query parameters of the wrong type or failing their constraints, missing
 * parameters, unsupported media types. Spring's own handling of the other MVC exceptions (404, 405, 406 ...) stays.
 * Messages never echo the input. A service adds handlers of its own domain's exceptions in an advice of its own,
 * using {@link FieldProblem} for the same shape.
 */
@RestControllerAdvice
public class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

    /** One invalid field: a JSON path into the body ({@code items[0].quantity}), a parameter or a header. */
    public record FieldProblem(String field, String message) {
    }

    /** The field name of a problem with the body as a whole. */
    public static final String BODY = "body";

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        ex.getBindingResult().getFieldErrors().forEach(e -> errors.add(of(e)));
        ex.getBindingResult().getGlobalErrors().forEach(e -> errors.add(new FieldProblem(BODY, e.getDefaultMessage())));
        return invalid(ex, errors, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            if (result instanceof ParameterErrors bodyErrors) {
                bodyErrors.getFieldErrors().forEach(e -> errors.add(of(e)));
                bodyErrors.getGlobalErrors().forEach(e -> errors.add(new FieldProblem(BODY, e.getDefaultMessage())));
            } else {
                String name = parameterName(result.getMethodParameter());
                for (MessageSourceResolvable error : result.getResolvableErrors()) {
                    errors.add(new FieldProblem(name, error.getDefaultMessage()));
                }
            }
        }
        return invalid(ex, errors, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(ex, List.of(unreadable(ex)), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        Class<?> type = ex.getRequiredType();
        String message = type != null && type.isEnum()
                ? "must be one of " + Arrays.toString(type.getEnumConstants())
                : "must be " + (type == null ? "of another type" : "a valid " + type.getSimpleName());
        return invalid(ex, List.of(new FieldProblem(name, message)), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = ex.getBody();
        body.setProperty("errors", List.of(new FieldProblem(HttpHeaders.CONTENT_TYPE,
                "must be one of " + ex.getSupportedMediaTypes())));
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(ex, List.of(new FieldProblem(ex.getParameterName(), "is required")), headers, status, request);
    }

    private ResponseEntity<Object> invalid(Exception ex, List<FieldProblem> errors, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<FieldProblem> sorted = errors.stream()
                .sorted(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message))
                .distinct().toList();
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, sorted.size() == 1
                ? "Invalid request: " + sorted.get(0).field() + " " + sorted.get(0).message()
                : "Invalid request: " + sorted.size() + " problems, see errors");
        body.setTitle("Invalid request");
        body.setProperty("errors", sorted);
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    private static FieldProblem of(FieldError error) {
        return new FieldProblem(error.getField(), error.getDefaultMessage());
    }

    private static String parameterName(MethodParameter parameter) {
        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
        if (path != null && !path.name().isEmpty()) {
            return path.name();
        }
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        String name = parameter.getParameterName();
        return name == null ? "parameter" : name;
    }

    /** Names where the body could not be read, from Jackson's path, without echoing what was sent. */
    private static FieldProblem unreadable(HttpMessageNotReadableException ex) {
        for (Throwable t = ex.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException jackson) {
                return unreadable(jackson);
            }
        }
        return new FieldProblem(BODY, "is required: a JSON object");
    }

    private static FieldProblem unreadable(JacksonException ex) {
        String path = path(ex);
        String field = path.isEmpty() ? BODY : path;
        if (ex instanceof MismatchedInputException mismatch) {
            return new FieldProblem(field, expected(mismatch.getTargetType()));
        }
        if (ex instanceof InputCoercionException) {
            return new FieldProblem(field, "is out of range");
        }
        if (ex instanceof StreamReadException malformed) {
            // a syntax error concerns the document, wherever the parser was when it noticed
            TokenStreamLocation location = malformed.getLocation();
            return new FieldProblem(BODY, location == null ? "is not valid JSON"
                    : "is not valid JSON (line %d, column %d)".formatted(location.getLineNr(), location.getColumnNr()));
        }
        if (ex instanceof StreamConstraintsException) {
            return new FieldProblem(BODY, "exceeds the limits of a JSON document (nesting depth or value length)");
        }
        return new FieldProblem(field, "cannot be read");
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be an integer";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        return "must be a JSON object";
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}

package dev.choreo.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes RFC 9457 problem details from a servlet filter, where Spring MVC's handler is not reached: the same
 * shape as the services' {@code ProblemDetailsHandler} ({@code errors} naming a field and why).
 */
final class Problems {

    /** The {@code field} of a problem about the request as a whole, as in the services' handler. */
    static final String BODY = "body";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
            String detail, String field, String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        if (field != null) {
            problem.put("errors", List.of(Map.of("field", field, "message", message)));
        }
        JSON.writeValue(response.getOutputStream(), problem);
    }
}

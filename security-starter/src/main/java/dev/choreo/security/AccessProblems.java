package dev.choreo.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem details.
 *
 * <p>Why there is no CSRF token: a cross-site request can only ride on credentials the browser adds by itself —
 * a session cookie or Basic credentials it remembers from a login prompt. The services keep no session and set
 * no cookie, and a browser is never asked for Basic credentials: the challenge is left out when the request comes
 * from a browser (it sends {@code Sec-Fetch-Mode}), so the browser never shows its prompt and never remembers
 * credentials. The collector's web view sends the operator's credentials itself in the Authorization header,
 * which another site cannot make a browser send (that would need a CORS preflight nothing here allows).
 */
final class AccessProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final boolean bearer;

    AccessProblems(boolean bearer) {
        this.bearer = bearer;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (bearer) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, failure instanceof InvalidBearerTokenException
                    ? "Bearer error=\"invalid_token\"" : "Bearer");
        } else if (request.getHeader("Sec-Fetch-Mode") == null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"choreo\", charset=\"UTF-8\"");
        }
        String detail = request.getHeader(HttpHeaders.AUTHORIZATION) == null
                ? "This request needs credentials: " + (bearer ? "a bearer token from the issuer" : "HTTP Basic")
                : "The credentials were not accepted";
        Problems.write(request, response, HttpStatus.UNAUTHORIZED, "Authentication required", detail, null, null);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                "Your role may not " + request.getMethod() + " " + request.getRequestURI(), null, null);
    }
}

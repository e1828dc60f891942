package dev.choreo.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than {@code choreo.security.max-request-size} with 413 and request headers larger
 * than {@code choreo.security.max-request-headers} with 431, as problem details, before anything parses them or
 * authenticates the caller. A body is measured by its declared Content-Length, or while reading a body of unknown
 * length (chunked); one within the limit is handed on from memory. Tomcat's own header limit
 * ({@code server.max-http-request-header-size}, set higher by the starter) stays as the backstop that answers
 * without problem details.
 */
final class RequestLimitsFilter extends OncePerRequestFilter {

    private final long maxBodyBytes;
    private final long maxHeaderBytes;

    RequestLimitsFilter(ChoreoSecurityProperties properties) {
        this.maxBodyBytes = properties.maxRequestSize().toBytes();
        this.maxHeaderBytes = properties.maxRequestHeaders().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long headerBytes = headerBytes(request);
        if (headerBytes > maxHeaderBytes) {
            Problems.write(request, response, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request headers too large",
                    "The request headers take " + headerBytes + " bytes, more than " + maxHeaderBytes,
                    "headers", "must not be larger than " + maxHeaderBytes + " bytes in all");
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            tooLarge(request, response);
            return;
        }
        if (declared == 0 || (declared < 0 && request.getHeader("Transfer-Encoding") == null)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            tooLarge(request, response);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    /** Names and values as sent, plus ": " and the line break of each header line. */
    private static long headerBytes(HttpServletRequest request) {
        long bytes = 0;
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                bytes += name.length() + value.length() + 4;
            }
        }
        return bytes;
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // the unread rest of the body is Tomcat's to swallow (up to server.tomcat.max-swallow-size) or cut off
        Problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
                "The request body is larger than " + maxBodyBytes + " bytes",
                Problems.BODY, "must not be larger than " + maxBodyBytes + " bytes");
    }

    /** The request with its (bounded) body read into memory. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already in memory");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), charset(getCharacterEncoding())));
        }

        private static Charset charset(String encoding) {
            try {
                return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            } catch (IllegalArgumentException unknown) {
                return StandardCharsets.UTF_8;
            }
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}

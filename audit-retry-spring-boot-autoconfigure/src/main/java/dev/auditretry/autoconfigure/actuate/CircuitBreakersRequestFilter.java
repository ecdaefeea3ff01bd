package dev.auditretry.autoconfigure.actuate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects requests to the {@code circuitbreakers} endpoint that carry a circuit key anywhere but in the path.
 * Spring Boot merges query parameters, and for POST the fields of a JSON body, into an operation's arguments, and
 * they replace the key taken from the path. Without this filter {@code POST /actuator/circuitbreakers/a:GET} with
 * the body {@code {"key":"b:GET"}} would reset circuit {@code b:GET}, behind an authorization rule written for
 * the path of {@code a:GET}, and {@code POST /actuator/circuitbreakers?key=a:GET} would reset every circuit.
 */
// NOTE: only the servlet stack on the application's own port is covered. With management.server.port set, or on
// WebFlux, the key of a body or query parameter still replaces the key in the path.
public class CircuitBreakersRequestFilter extends OncePerRequestFilter {

    private final Supplier<String> endpointPath;

    /**
     * Creates the filter.
     * @param endpointPath returns the endpoint's path below the context path, such as
     *        {@code /actuator/circuitbreakers}, or null when the endpoint is not mapped
     */
    public CircuitBreakersRequestFilter(Supplier<String> endpointPath) {
        this.endpointPath = endpointPath;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = this.endpointPath.get();
        String requestPath = request.getRequestURI().substring(request.getContextPath().length());
        return path == null || !(requestPath.equals(path) || requestPath.startsWith(path + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getParameter("key") != null) {
            reject(response, "The circuit key comes from the path. Remove the 'key' parameter and append the key"
                    + " to the path, for example circuitbreakers/ledger/entries:POST.");
            return;
        }
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (HttpMethod.POST.matches(request.getMethod()) && hasBody) {
            reject(response, "A reset takes no request body, because the circuit key comes from the path. Send"
                    + " the POST without a body, to circuitbreakers/{key} for one circuit or to circuitbreakers for all.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void reject(HttpServletResponse response, String message) throws IOException {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        response.getWriter().write("{\"message\":\"" + escaped + "\"}");
    }
}

package dev.auditretry.sample.downstream;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP/1.1 response of the fault-injecting downstream, always with a JSON body and {@code Connection: close}.
 */
record RawResponse(int status, String reason, Map<String, String> headers, byte[] body) {

    static RawResponse json(int status, String reason, String json) {
        return new RawResponse(status, reason, Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Creates an error response. The message is written into JSON unescaped, so it must not contain quotes,
     * backslashes or control characters, which holds for the fixed messages of the downstream.
     */
    static RawResponse error(int status, String reason, String message) {
        return json(status, reason, "{\"status\":" + status + ",\"error\":\"" + message + "\"}");
    }

    static RawResponse injectedStatus(int status, String retryAfter) {
        RawResponse response = error(status, "Injected Fault", "injected fault");
        return (retryAfter != null) ? response.withHeader("Retry-After", retryAfter) : response;
    }

    RawResponse withHeader(String name, String value) {
        Map<String, String> combined = new LinkedHashMap<>(this.headers);
        combined.put(name, value);
        return new RawResponse(this.status, this.reason, combined, this.body);
    }

    /**
     * Returns the status line and the headers, ending with the empty line.
     * @param contentLength the Content-Length to announce, which a disconnect fault sets larger than what it sends
     */
    String head(int contentLength) {
        StringBuilder head = new StringBuilder(160);
        head.append("HTTP/1.1 ").append(this.status).append(' ').append(this.reason).append("\r\n");
        head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(contentLength).append("\r\n");
        head.append("Connection: close\r\n");
        for (Map.Entry<String, String> header : this.headers.entrySet()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        return head.append("\r\n").toString();
    }
}

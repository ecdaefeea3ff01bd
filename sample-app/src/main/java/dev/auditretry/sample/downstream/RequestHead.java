package dev.auditretry.sample.downstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The request line and the headers of an HTTP/1.1 request that the fault-injecting downstream needs.
 *
 * @param method the request method, such as {@code GET}
 * @param path the request target without its query string
 * @param contentLength the value of Content-Length, or 0 when there is none
 * @param chunked whether the body uses Transfer-Encoding, which the downstream does not read
 */
record RequestHead(String method, String path, long contentLength, boolean chunked) {

    /** The largest request head read, request line and headers together. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    /**
     * Reads a request head up to and including the empty line that ends it.
     * @param in the connection's input, positioned at the start of a request
     * @return the head, or null when the connection ended before the first byte
     * @throws MalformedRequestException when the head is incomplete, too long or not HTTP/1.x
     * @throws IOException when reading fails
     */
    static RequestHead read(InputStream in) throws IOException {
        String head = readHeadText(in);
        if (head == null) {
            return null;
        }

        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new MalformedRequestException("the request line is not 'METHOD target HTTP/1.x'");
        }
        String target = requestLine[1];
        int queryStart = target.indexOf('?');
        String path = (queryStart >= 0) ? target.substring(0, queryStart) : target;

        long contentLength = 0;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new MalformedRequestException("a header line has no name");
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                contentLength = parseContentLength(value);
            }
            else if (name.equals("transfer-encoding")) {
                chunked = true;
            }
        }
        return new RequestHead(requestLine[0], path, contentLength, chunked);
    }

    private static String readHeadText(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        int matched = 0;
        while (true) {
            int next = in.read();
            if (next < 0) {
                if (bytes.size() == 0) {
                    return null;
                }
                throw new MalformedRequestException("the connection ended inside the request head");
            }
            bytes.write(next);
            if (bytes.size() > MAX_HEAD_BYTES) {
                throw new MalformedRequestException("the request head is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            matched = advanceEndMatch(matched, next);
            if (matched == 4) {
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
    }

    // Tracks how much of the CR LF CR LF that ends a head the last bytes read form.
    private static int advanceEndMatch(int matched, int next) {
        boolean expectsCarriageReturn = (matched % 2 == 0);
        if (expectsCarriageReturn) {
            return (next == '\r') ? matched + 1 : 0;
        }
        if (next == '\n') {
            return matched + 1;
        }
        return (next == '\r') ? 1 : 0;
    }

    private static long parseContentLength(String value) throws MalformedRequestException {
        try {
            long length = Long.parseLong(value);
            if (length < 0) {
                throw new MalformedRequestException("Content-Length is negative");
            }
            return length;
        }
        catch (NumberFormatException ex) {
            throw new MalformedRequestException("Content-Length is not a number");
        }
    }

    /**
     * Thrown when the bytes received are not a request head that the downstream can read.
     */
    static final class MalformedRequestException extends IOException {

        MalformedRequestException(String message) {
            super(message);
        }
    }
}

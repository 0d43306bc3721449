// A gridhook callback receiver in Java, JDK only (com.sun.net.httpserver, javax.crypto).
//
// Verifies each delivery's Standard Webhooks signature (HMAC-SHA256 of
// "webhook-id.webhook-timestamp.body" under the base64 key after "whsec_"),
// refuses timestamps more than five minutes from now, and answers at once.
//
//   WEBHOOK_SECRET=whsec_... PORT=9000 java Receiver.java
//
// WEBHOOK_SECRET may hold several secrets separated by spaces (the old and the
// new one while you rotate yours).

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Receiver {
    static final long TOLERANCE_SECONDS = 5 * 60;
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final String[] SECRETS = System.getenv("WEBHOOK_SECRET").trim().split("\\s+");

    static final class Refused extends Exception {
        final int status;

        Refused(int status, String reason) {
            super(reason);
            this.status = status;
        }
    }

    static byte[] hmac(String secret, byte[] content) throws Exception {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
        return mac.doFinal(content);
    }

    static void verify(HttpExchange exchange, byte[] body) throws Exception {
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            throw new Refused(401, "BadSignature: a webhook-id, webhook-timestamp or webhook-signature header is missing");
        }
        if (!timestamp.matches("\\d{1,12}")) throw new Refused(401, "BadSignature: webhook-timestamp is not whole seconds");
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > TOLERANCE_SECONDS) {
            throw new Refused(401, "StaleTimestamp: webhook-timestamp is more than five minutes from now");
        }
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        for (String secret : SECRETS) {
            byte[] expected = Base64.getEncoder().encode(hmac(secret, signed));
            for (String entry : signatures.split(" ")) {
                if (!entry.startsWith("v1,")) continue;
                // Constant-time, so the comparison leaks nothing about the expected signature.
                if (MessageDigest.isEqual(expected, entry.substring(3).getBytes(StandardCharsets.US_ASCII))) return;
            }
        }
        throw new Refused(401, "BadSignature: no signature matches the secret");
    }

    /** One top-level field of the flat JSON payload, as its raw text (numbers, true/false, strings unquoted). */
    static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("\"" + name + "\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}\\s]+)")
            .matcher(json);
        if (!m.find()) return null;
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, data.length);
        exchange.getResponseBody().write(data);
        exchange.close();
    }

    static void handle(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "{\"error\":\"MethodNotAllowed\"}");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            answer(exchange, 413, "{\"error\":\"BodyTooLarge\"}");
            return;
        }
        try {
            verify(exchange, body);
            String json = new String(body, StandardCharsets.UTF_8).trim();
            if (!json.startsWith("{") || field(json, "eventId") == null) throw new Refused(400, "MalformedBody: the body is not a delivery payload");
            System.out.println("verified webhook-id=" + exchange.getRequestHeaders().getFirst("webhook-id")
                + " eventId=" + field(json, "eventId") + " callBackEvent=" + field(json, "callBackEvent")
                + " parcelId=" + field(json, "parcelId") + " fileName=" + field(json, "fileName")
                + " isTest=" + field(json, "isTest"));
            answer(exchange, 200, "{\"received\":true}");
        } catch (Refused refused) {
            System.out.println("refused " + refused.getMessage());
            answer(exchange, refused.status, "{\"error\":\"" + refused.getMessage().split(":")[0] + "\"}");
        } catch (Exception error) {
            answer(exchange, 500, "{\"error\":\"HandlerFailed\"}");
        }
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "9000"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/webhooks/ecgrid", Receiver::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("listening on http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/ecgrid");
    }
}

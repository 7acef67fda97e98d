package dev.eventsource.processor.read;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for the schema files: objects become {@code Map}s in key
 * order, arrays {@code List}s, numbers {@code Long} or {@code BigDecimal}, and {@code true},
 * {@code false}, {@code null} themselves. The processor has no JSON library on its path, and these
 * files are small.
 */
final class JsonText {

    /** The text is not JSON; the message says where (line and column) and what was expected. */
    static final class SyntaxException extends IllegalArgumentException {
        SyntaxException(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private JsonText(String text) {
        this.text = text;
    }

    /**
     * The value {@code text} holds.
     *
     * @throws SyntaxException when it is not one JSON value, or a key repeats in an object
     */
    static Object parse(String text) {
        JsonText parser = new JsonText(text);
        Object value = parser.value();
        parser.whitespace();
        if (parser.pos != text.length()) {
            throw parser.error("end of the text");
        }
        return value;
    }

    private Object value() {
        whitespace();
        if (pos >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("a value");
        }
    }

    private Map<String, Object> object() {
        pos++;
        Map<String, Object> object = new LinkedHashMap<>();
        whitespace();
        if (peek('}')) {
            pos++;
            return object;
        }
        while (true) {
            whitespace();
            if (!peek('"')) {
                throw error("a property name");
            }
            int at = pos;
            String key = string();
            whitespace();
            expect(':');
            Object value = value();
            if (object.containsKey(key)) {
                pos = at;
                throw error("no repeated property \"" + key + "\"");
            }
            object.put(key, value);
            whitespace();
            if (peek(',')) {
                pos++;
            } else {
                expect('}');
                return Collections.unmodifiableMap(object);
            }
        }
    }

    private List<Object> array() {
        pos++;
        List<Object> array = new ArrayList<>();
        whitespace();
        if (peek(']')) {
            pos++;
            return array;
        }
        while (true) {
            array.add(value());
            whitespace();
            if (peek(',')) {
                pos++;
            } else {
                expect(']');
                return Collections.unmodifiableList(array);
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("the end of the string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("no control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("an escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException notHex) {
                        throw error("four hex digits");
                    }
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)");
                }
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        int digits = digits();
        if (digits == 0 || (digits > 1 && text.charAt(pos - digits) == '0')) {
            pos = start;
            throw error("a number");
        }
        boolean integral = true;
        if (peek('.')) {
            pos++;
            integral = false;
            if (digits() == 0) {
                throw error("a digit");
            }
        }
        if (peek('e') || peek('E')) {
            pos++;
            integral = false;
            if (peek('+') || peek('-')) {
                pos++;
            }
            if (digits() == 0) {
                throw error("a digit");
            }
        }
        String number = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(number);
            } catch (NumberFormatException tooLarge) {
                return new BigDecimal(number);
            }
        }
        return new BigDecimal(number);
    }

    private int digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos - start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("a value");
        }
        pos += word.length();
        return value;
    }

    private void whitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private SyntaxException error(String expected) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        String found = pos >= text.length() ? "the end of the text" : "'" + text.charAt(pos) + "'";
        return new SyntaxException("line " + line + ", column " + column + ": expected " + expected + ", found " + found);
    }
}

package dev.phiguard.model;

/** An inclusive range of port numbers, 1 to 65535. */
public record PortRange(int first, int last) implements Comparable<PortRange> {
    public static final int MIN_PORT = 1;
    public static final int MAX_PORT = 65535;
    public static final PortRange ALL = new PortRange(MIN_PORT, MAX_PORT);

    public PortRange {
        if (first < MIN_PORT || first > MAX_PORT) {
            throw new IllegalArgumentException("Port out of range: " + first);
        }
        if (last < MIN_PORT || last > MAX_PORT) {
            throw new IllegalArgumentException("Port out of range: " + last);
        }
        if (last < first) {
            throw new IllegalArgumentException("Port range ends before it starts: " + first + "-" + last);
        }
    }

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    public static PortRange of(int first, int last) {
        return new PortRange(first, last);
    }

    /** Parses {@code 80} or {@code 8000-8080}. */
    public static PortRange fromString(String text) {
        int dash = text.indexOf('-');
        try {
            if (dash < 0) {
                return of(Integer.parseInt(text.trim()));
            }
            return of(Integer.parseInt(text.substring(0, dash).trim()), Integer.parseInt(text.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a port or port range: " + text, e);
        }
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public int compareTo(PortRange other) {
        int byFirst = Integer.compare(first, other.first);
        return byFirst != 0 ? byFirst : Integer.compare(last, other.last);
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}

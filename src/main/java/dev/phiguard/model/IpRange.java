package dev.phiguard.model;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An inclusive range of addresses of one family; prints as {@code first-last}. */
public record IpRange(IpFamily family, BigInteger first, BigInteger last) implements Comparable<IpRange> {

    public IpRange {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.signum() < 0 || first.compareTo(family.maxAddress()) > 0) {
            throw new IllegalArgumentException("Address out of range for " + family + ": " + first);
        }
        if (last.signum() < 0 || last.compareTo(family.maxAddress()) > 0) {
            throw new IllegalArgumentException("Address out of range for " + family + ": " + last);
        }
        if (last.compareTo(first) < 0) {
            throw new IllegalArgumentException("Address range ends before it starts: " + first + "-" + last);
        }
    }

    /** The whole address space of a family: {@code 0.0.0.0-255.255.255.255} or {@code ::-ffff:…}. */
    public static IpRange all(IpFamily family) {
        return new IpRange(family, BigInteger.ZERO, family.maxAddress());
    }

    /**
     * The block of a CIDR such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. Bits set beyond the
     * prefix length are ignored, as Kubernetes does; use {@link #isCanonicalCidr} to detect them.
     *
     * @throws IllegalArgumentException when the text is not an address with a prefix length
     */
    public static IpRange fromCidr(String cidr) {
        IPAddress address = parseCidr(cidr);
        IPAddress block = address.toPrefixBlock();
        return new IpRange(familyOf(address), block.getLower().getValue(), block.getUpper().getValue());
    }

    /** True when the CIDR has no bits set beyond its prefix length ({@code 10.0.0.0/8}, not {@code 10.1.0.0/8}). */
    public static boolean isCanonicalCidr(String cidr) {
        IPAddress address = parseCidr(cidr);
        return address.getLower().equals(address.toPrefixBlock().getLower());
    }

    /** The prefix length of a valid CIDR. */
    public static int prefixLength(String cidr) {
        return parseCidr(cidr).getNetworkPrefixLength();
    }

    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern IPV6_CIDR = Pattern.compile("([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)/(\\d{1,3})");

    /**
     * Parses only the forms Kubernetes accepts: a dotted quad (leading zeros read as decimal, as
     * the API server's lenient parser does) or a standard IPv6 text, then {@code /} and a decimal
     * prefix length. The address library alone would also read octal, hex, single-number and
     * netmask forms, some with another meaning.
     */
    private static IPAddress parseCidr(String cidr) {
        Matcher v4 = IPV4_CIDR.matcher(cidr);
        String text;
        if (v4.matches()) {
            StringBuilder canonical = new StringBuilder();
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(v4.group(i));
                if (octet > 255) {
                    throw new IllegalArgumentException("Not a CIDR: " + cidr);
                }
                canonical.append(i > 1 ? "." : "").append(octet);
            }
            int prefix = Integer.parseInt(v4.group(5));
            if (prefix > 32) {
                throw new IllegalArgumentException("Not a CIDR: " + cidr);
            }
            text = canonical + "/" + prefix;
        } else {
            Matcher v6 = IPV6_CIDR.matcher(cidr);
            if (!v6.matches() || Integer.parseInt(v6.group(2)) > 128) {
                throw new IllegalArgumentException("Not a CIDR: " + cidr);
            }
            text = cidr;
        }
        try {
            IPAddress address = new IPAddressString(text).toAddress();
            if (address.getNetworkPrefixLength() == null || (address.isIPv4() != v4.matches())) {
                throw new IllegalArgumentException("Not a CIDR: " + cidr);
            }
            return address;
        } catch (AddressStringException e) {
            throw new IllegalArgumentException("Not a CIDR: " + cidr, e);
        }
    }

    /** True when an octet of an IPv4 CIDR is written with leading zeros, which some parsers read as octal. */
    public static boolean hasLeadingZeros(String cidr) {
        Matcher v4 = IPV4_CIDR.matcher(cidr);
        if (!v4.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (v4.group(i).length() > 1 && v4.group(i).startsWith("0")) {
                return true;
            }
        }
        return false;
    }

    /** A single address, {@code 10.1.2.3} or {@code fd00::1}. */
    public static IpRange fromAddress(String text) {
        // the same forms as CIDRs take: a dotted quad (leading zeros decimal) or standard IPv6 text
        if (text.contains("/")) {
            throw new IllegalArgumentException("Not a single address: " + text);
        }
        try {
            return fromCidr(text.trim() + (text.contains(":") ? "/128" : "/32"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not an IP address: " + text, e);
        }
    }

    /** Parses the printed form {@code first-last}. */
    public static IpRange fromString(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            return text.contains("/") ? fromCidr(text) : fromAddress(text);
        }
        IpRange first = fromAddress(text.substring(0, dash));
        IpRange last = fromAddress(text.substring(dash + 1));
        if (first.family() != last.family()) {
            throw new IllegalArgumentException("Range mixes IPv4 and IPv6: " + text);
        }
        return new IpRange(first.family(), first.first(), last.first());
    }

    private static IpFamily familyOf(IPAddress address) {
        return address.isIPv4() ? IpFamily.IPV4 : IpFamily.IPV6;
    }

    public boolean contains(IpRange other) {
        return family == other.family && first.compareTo(other.first) <= 0 && last.compareTo(other.last) >= 0;
    }

    public boolean overlaps(IpRange other) {
        return family == other.family && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    /** The fewest CIDRs that cover exactly this range, in address order. */
    public List<String> toCidrs() {
        List<String> cidrs = new ArrayList<>();
        BigInteger next = first;
        while (next.compareTo(last) <= 0) {
            // the largest aligned block starting at next that does not pass last
            int size = family.bits();
            while (size > 0) {
                BigInteger blockSize = BigInteger.ONE.shiftLeft(family.bits() - size + 1);
                boolean aligned = next.mod(blockSize).signum() == 0;
                boolean fits = next.add(blockSize).subtract(BigInteger.ONE).compareTo(last) <= 0;
                if (!aligned || !fits) {
                    break;
                }
                size--;
            }
            cidrs.add(formatAddress(family, next) + "/" + size);
            next = next.add(BigInteger.ONE.shiftLeft(family.bits() - size));
        }
        return cidrs;
    }

    @Override
    public int compareTo(IpRange other) {
        int byFamily = family.compareTo(other.family);
        if (byFamily != 0) {
            return byFamily;
        }
        int byFirst = first.compareTo(other.first);
        return byFirst != 0 ? byFirst : last.compareTo(other.last);
    }

    public static String formatAddress(IpFamily family, BigInteger value) {
        if (family == IpFamily.IPV4) {
            return new IPv4Address(value.intValue()).toCanonicalString();
        }
        return new IPv6Address(value).toCanonicalString();
    }

    /** {@code first-last}, also for a single address: {@code 10.0.0.1-10.0.0.1}. */
    @Override
    public String toString() {
        return formatAddress(family, first) + "-" + formatAddress(family, last);
    }
}

package dev.phiguard.model;

import java.math.BigInteger;

/** IPv4 or IPv6; each family is its own address space. */
public enum IpFamily {
    IPV4(32),
    IPV6(128);

    private final int bits;
    private final BigInteger maxAddress;

    IpFamily(int bits) {
        this.bits = bits;
        this.maxAddress = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }

    public int bits() {
        return bits;
    }

    public BigInteger maxAddress() {
        return maxAddress;
    }
}

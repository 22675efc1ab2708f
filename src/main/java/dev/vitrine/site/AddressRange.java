package dev.vitrine.site;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}), or one
 * address ({@code 192.0.2.7}, {@code ::1}). Not Spring Security's
 * {@code IpAddressMatcher}: it parses with {@code InetAddress.getByName}, which looks up
 * in DNS whatever its loose check lets through ({@code 1a2b3c4}, say), and throws on a
 * hop it cannot parse; the proxy trust takes literals only, and a forged
 * {@code X-Forwarded-For} hop is not an error.
 *
 * @param network the block's first address
 * @param prefix how many leading bits an address must share with {@code network}
 */
record AddressRange(InetAddress network, int prefix) {

	/**
	 * Parses {@code ADDRESS} or {@code ADDRESS/BITS}.
	 * @throws IllegalArgumentException with what is wrong
	 */
	static AddressRange parse(String text) {
		String value = text.strip();
		int slash = value.indexOf('/');
		InetAddress address = literal((slash < 0) ? value : value.substring(0, slash))
			.orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block"));
		byte[] bytes = address.getAddress();
		int prefix = bytes.length * 8;
		if (slash >= 0) {
			try {
				prefix = Integer.parseInt(value.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				prefix = -1;
			}
			if (prefix < 0 || prefix > bytes.length * 8) {
				throw new IllegalArgumentException(
						"'" + text + "' has a prefix length that is not a number from 0 to " + bytes.length * 8);
			}
		}
		return new AddressRange(address, prefix);
	}

	/**
	 * An address written as a literal, never looked up in DNS; IPv4-mapped IPv6 addresses
	 * come back as IPv4.
	 */
	static Optional<InetAddress> literal(String text) {
		String value = text.strip();
		if (value.startsWith("[") && value.endsWith("]")) {
			value = value.substring(1, value.length() - 1);
		}
		if (value.isEmpty() || !value.matches("[0-9A-Fa-f.:]+")) {
			return Optional.empty();
		}
		try {
			return Optional.of(InetAddress.ofLiteral(value));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	boolean contains(InetAddress address) {
		byte[] candidate = address.getAddress();
		byte[] network = this.network.getAddress();
		if (candidate.length != network.length) {
			return false;
		}
		int full = this.prefix / 8;
		for (int i = 0; i < full; i++) {
			if (candidate[i] != network[i]) {
				return false;
			}
		}
		int rest = this.prefix % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xFF << (8 - rest)) & 0xFF;
		return (candidate[full] & mask) == (network[full] & mask);
	}

	@Override
	public String toString() {
		return this.network.getHostAddress() + "/" + this.prefix;
	}

}

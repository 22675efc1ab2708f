package dev.vitrine.ops;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The network a client counts by where what one client may do is limited (sign-in
 * attempts, contact messages): an IPv4 address itself, an IPv6 address's /64. One user
 * usually holds a whole /64 and may pick any address in it, so counting single IPv6
 * addresses would limit nobody.
 */
public final class ClientNetwork {

	private ClientNetwork() {
	}

	/**
	 * {@code 203.0.113.9}, or {@code 2001:db8:0:1:0:0:0:0/64}; what is not an address
	 * literal comes back as it is.
	 */
	public static String of(String address) {
		try {
			InetAddress parsed = InetAddress.ofLiteral(address);
			if (parsed instanceof Inet6Address) {
				byte[] bytes = parsed.getAddress();
				Arrays.fill(bytes, 8, 16, (byte) 0);
				return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
			}
			return parsed.getHostAddress();
		}
		catch (IllegalArgumentException | UnknownHostException ex) {
			return String.valueOf(address);
		}
	}

}

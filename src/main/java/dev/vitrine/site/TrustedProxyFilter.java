package dev.vitrine.site;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Behind reverse proxies: the client's address, scheme and host from
 * {@code X-Forwarded-*}, believed only when the request comes from a trusted proxy. The
 * client is the rightmost {@code X-Forwarded-For} hop that is not a trusted proxy:
 * everything left of it was written by the client, who can claim any address there.
 * Requests from anywhere else have every forwarded header removed, so nothing downstream
 * reads them.
 */
class TrustedProxyFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(TrustedProxyFilter.class);

	/** Removed once the client address is taken from them. */
	private static final Set<String> ADDRESS_HEADERS = caseInsensitive("X-Forwarded-For", "Forwarded");

	private final List<AddressRange> trusted;

	/** Scheme, host, port and prefix from a trusted proxy's headers. */
	private final ForwardedHeaderFilter forwarded = new ForwardedHeaderFilter();

	/** For everyone else: the headers removed, nothing believed. */
	private final ForwardedHeaderFilter removeOnly = new ForwardedHeaderFilter();

	private final AtomicBoolean warned = new AtomicBoolean();

	TrustedProxyFilter(List<AddressRange> trusted) {
		this.trusted = List.copyOf(trusted);
		this.removeOnly.setRemoveOnly(true);
	}

	/** Error pages and async completions see the same client as the request. */
	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<InetAddress> peer = AddressRange.literal(request.getRemoteAddr());
		if (peer.isEmpty() || !isTrusted(peer.get())) {
			if (request.getHeader("X-Forwarded-For") != null && this.warned.compareAndSet(false, true)) {
				log.warn("Forwarded headers: ignored X-Forwarded-For from {}, which is not a trusted proxy; if your"
						+ " proxy has this address, add it to VITRINE_SITE_TRUSTED_PROXIES (now {}). Said once.",
						request.getRemoteAddr(), this.trusted);
			}
			this.removeOnly.doFilter(request, response, chain);
			return;
		}
		String client = client(request, peer.get());
		this.forwarded.doFilter(new ClientAddressRequest(request, client), response, chain);
	}

	/**
	 * Walks {@code X-Forwarded-For} from the right past trusted proxies; the first other
	 * hop is the client. A hop that is not an address ends the walk at the last good one.
	 */
	String client(HttpServletRequest request, InetAddress peer) {
		List<String> hops = new ArrayList<>();
		for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
			for (String hop : header.split(",")) {
				hops.add(hop);
			}
		}
		InetAddress client = peer;
		for (int i = hops.size() - 1; i >= 0 && isTrusted(client); i--) {
			Optional<InetAddress> hop = AddressRange.literal(withoutPort(hops.get(i)));
			if (hop.isEmpty()) {
				break;
			}
			client = hop.get();
		}
		return client.getHostAddress();
	}

	private boolean isTrusted(InetAddress address) {
		for (AddressRange range : this.trusted) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/** {@code 192.0.2.7:4711} and {@code [2001:db8::7]:4711} without their port. */
	private static String withoutPort(String hop) {
		String value = hop.strip();
		if (value.startsWith("[")) {
			int end = value.indexOf(']');
			return (end > 0) ? value.substring(1, end) : value;
		}
		int colon = value.indexOf(':');
		if (colon > 0 && colon == value.lastIndexOf(':') && value.indexOf('.') > 0) {
			return value.substring(0, colon);
		}
		return value;
	}

	private static Set<String> caseInsensitive(String... names) {
		Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		set.addAll(List.of(names));
		return set;
	}

	/**
	 * The request as the client sent it to the proxy: its address, no address headers.
	 */
	private static final class ClientAddressRequest extends HttpServletRequestWrapper {

		private final String client;

		ClientAddressRequest(HttpServletRequest request, String client) {
			super(request);
			this.client = client;
		}

		@Override
		public String getRemoteAddr() {
			return this.client;
		}

		@Override
		public String getRemoteHost() {
			return this.client;
		}

		@Override
		public String getHeader(String name) {
			return ADDRESS_HEADERS.contains(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return ADDRESS_HEADERS.contains(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(ADDRESS_HEADERS::contains);
			return Collections.enumeration(names);
		}

	}

}

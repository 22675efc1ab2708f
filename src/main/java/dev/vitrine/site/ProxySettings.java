package dev.vitrine.site;

import java.util.List;

import dev.vitrine.ops.Setting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which reverse proxies are believed ({@code VITRINE_SITE_FORWARDED_HEADERS},
 * {@code VITRINE_SITE_TRUSTED_PROXIES}).
 *
 * @param forwardedHeaders read {@code X-Forwarded-*} at all
 * @param trustedProxies addresses and CIDR blocks of the proxies whose
 * {@code X-Forwarded-*} are believed; a request from anywhere else keeps its socket's
 * address, scheme and host
 */
@ConfigurationProperties("vitrine.site")
record ProxySettings(@DefaultValue("false") boolean forwardedHeaders, @DefaultValue( {
		"127.0.0.0/8", "::1" }) List<String> trustedProxies){

	private static final Setting TRUSTED_PROXIES = Setting.of("vitrine.site.trusted-proxies");

	ProxySettings {
		trustedProxies = trustedProxies.stream().map(String::strip).filter((entry) -> !entry.isEmpty()).toList();
		for (String entry : trustedProxies) {
			try {
				AddressRange.parse(entry);
			}
			catch (IllegalArgumentException ex) {
				throw TRUSTED_PROXIES.invalid(ex.getMessage()
						+ " (give addresses or CIDR blocks, comma-separated, e.g. 10.0.0.0/8,fd00::/8)");
			}
		}
		if (forwardedHeaders && trustedProxies.isEmpty()) {
			throw TRUSTED_PROXIES.invalid("is empty while " + Setting.of("vitrine.site.forwarded-headers").envVar()
					+ " is true: name the proxy's address or network");
		}
	}

	List<AddressRange> ranges() {
		return this.trustedProxies.stream().map(AddressRange::parse).toList();
	}

}

package dev.vitrine.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /health/deploy}: what {@code /actuator/info} says (the revision serving, the
 * revisions of the live workers), on the public port, to who holds the deploy token
 * ({@code VITRINE_DEPLOY_TOKEN}). A deploy gate that cannot reach the management port
 * (CapRover: only the site is published) reads it here. Without a token set it does not
 * exist.
 */
@RestController
@ConditionalOnRole(Role.WEB)
class DeployInfo {

	private static final String TOKEN_PROPERTY = "vitrine.deploy.token";

	static final Setting TOKEN = Setting.of(TOKEN_PROPERTY);

	private static final int MINIMUM_LENGTH = 32;

	private final ProcessInfo info;

	private final byte[] token;

	DeployInfo(ProcessInfo info, @Value("${" + TOKEN_PROPERTY + ":}") String token) {
		String trimmed = token.strip();
		if (!trimmed.isEmpty() && trimmed.length() < MINIMUM_LENGTH) {
			throw TOKEN.invalid("it has " + trimmed.length() + " characters; use at least " + MINIMUM_LENGTH
					+ " random ones (e.g. openssl rand -hex 32)");
		}
		this.info = info;
		this.token = trimmed.isEmpty() ? null : ("Bearer " + trimmed).getBytes(StandardCharsets.UTF_8);
	}

	@GetMapping("/health/deploy")
	ResponseEntity<Map<String, Object>> deployInfo(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
		if (this.token == null) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
		}
		byte[] given = (authorization != null) ? authorization.getBytes(StandardCharsets.UTF_8) : new byte[0];
		if (!MessageDigest.isEqual(this.token, given)) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
				.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
				.body(Map.of("error", "send the deploy token (" + TOKEN.envVar() + ") as Authorization: Bearer TOKEN"));
		}
		return ResponseEntity.ok(this.info.read());
	}

}

package dev.vitrine.admin;

import dev.vitrine.ops.Setting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How large a request body may be ({@code VITRINE_SECURITY_MAX_FORM_SIZE},
 * {@code VITRINE_SECURITY_MAX_OWNER_FORM_SIZE}); image uploads have their own limit.
 *
 * @param maxFormSize a visitor's body (contact form, sign-in)
 * @param maxOwnerFormSize a signed-in owner's body (an article with its Markdown); also
 * the most Tomcat reads of any form
 */
@ConfigurationProperties("vitrine.security")
record BodyLimitSettings(@DefaultValue("64KB") DataSize maxFormSize, @DefaultValue("2MB") DataSize maxOwnerFormSize) {

	private static final Setting MAX_FORM_SIZE = Setting.of("vitrine.security.max-form-size");

	BodyLimitSettings {
		if (maxFormSize.toBytes() < 1024) {
			throw MAX_FORM_SIZE.invalid(maxFormSize + " is less than 1KB, too small for the contact form");
		}
		if (maxOwnerFormSize.compareTo(maxFormSize) < 0) {
			throw Setting.of("vitrine.security.max-owner-form-size")
				.invalid(maxOwnerFormSize + " is less than " + MAX_FORM_SIZE.envVar() + " (" + maxFormSize + ")");
		}
	}

}

package dev.vitrine.admin;

import dev.vitrine.ops.InvalidSettingException;

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

	BodyLimitSettings {
		if (maxFormSize.toBytes() < 1024) {
			throw new InvalidSettingException("VITRINE_SECURITY_MAX_FORM_SIZE", "vitrine.security.max-form-size",
					maxFormSize + " is less than 1KB, too small for the contact form");
		}
		if (maxOwnerFormSize.compareTo(maxFormSize) < 0) {
			throw new InvalidSettingException("VITRINE_SECURITY_MAX_OWNER_FORM_SIZE",
					"vitrine.security.max-owner-form-size",
					maxOwnerFormSize + " is less than VITRINE_SECURITY_MAX_FORM_SIZE (" + maxFormSize + ")");
		}
	}

}

package dev.vitrine.admin;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.support.RequestContextUtils;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The redirect after a form is saved, and the notice it leaves for the page it leads to
 * ("Saved and published."), kept for that one request by Spring's flash attributes.
 */
final class Flash {

	static final String NOTICE = "notice";

	private Flash() {
	}

	/** The notice for this request, or {@code null}. */
	static String notice(HttpServletRequest request) {
		Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
		return (flash != null && flash.get(NOTICE) instanceof String notice) ? notice : null;
	}

	/** As a {@code redirect:} view name would: 302, relative to the application. */
	static RedirectView redirect(String path) {
		return new RedirectView(path, true);
	}

}

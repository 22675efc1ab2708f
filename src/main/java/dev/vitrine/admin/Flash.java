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

	/**
	 * The action of the editor form that was saved: the page it leads to tells the
	 * browser's script to drop the draft it kept of that form.
	 */
	static final String SAVED_FORM = "savedForm";

	private Flash() {
	}

	/** The notice for this request, or {@code null}. */
	static String notice(HttpServletRequest request) {
		return text(request, NOTICE);
	}

	/** The editor form whose save led to this request, or {@code null}. */
	static String savedForm(HttpServletRequest request) {
		return text(request, SAVED_FORM);
	}

	private static String text(HttpServletRequest request, String name) {
		Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
		return (flash != null && flash.get(name) instanceof String text) ? text : null;
	}

	/** As a {@code redirect:} view name would: 302, relative to the application. */
	static RedirectView redirect(String path) {
		return new RedirectView(path, true);
	}

}

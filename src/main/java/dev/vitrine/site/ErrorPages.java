package dev.vitrine.site;

import java.util.Map;

import dev.vitrine.ops.HtmlPage;
import gg.jte.generated.precompiled.site.JteerrorGenerated;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Error pages in the site's look. A 4xx page says what was wrong with the request; a 5xx
 * page says sorry and shows nothing of the failure, which is in the log. The page needs
 * no database, so it still renders when the database is down.
 */
@Configuration(proxyBeanMethods = false)
class ErrorPages {

	/**
	 * A 4xx page shows the reason only when the application wrote it for people: a
	 * {@link ResponseStatusException}'s reason, or a message given with
	 * {@code sendError}. Other exceptions' messages (Spring's "No static resource x") are
	 * for the log.
	 */
	@Bean
	ErrorViewResolver siteErrorViewResolver(ErrorAttributes errors) {
		return (HttpServletRequest request, HttpStatus status, Map<String, Object> model) -> {
			Throwable error = errors.getError(new ServletWebRequest(request));
			boolean forPeople = error == null || error instanceof ResponseStatusException;
			String message = (status.is4xxClientError() && forPeople && model.get("message") instanceof String text
					&& !text.isBlank()) ? text : null;
			String stylesheet = Assets.url("css/site.css");
			ModelAndView page = new ModelAndView(HtmlPage.of((out) -> JteerrorGenerated.render(out, null,
					status.value(), status.getReasonPhrase(), message, stylesheet)));
			page.setStatus(status);
			return page;
		};
	}

	/** Request problems are explained to the client; server failures are not. */
	@Bean
	DefaultErrorAttributes errorAttributes() {
		return new DefaultErrorAttributes() {
			@Override
			public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
				Map<String, Object> attributes = super.getErrorAttributes(request,
						options.including(ErrorAttributeOptions.Include.MESSAGE));
				if (attributes.get("status") instanceof Integer status && status >= 500) {
					attributes.remove("message");
				}
				return attributes;
			}
		};
	}

}

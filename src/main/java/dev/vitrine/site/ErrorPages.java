package dev.vitrine.site;

import java.util.Map;

import dev.vitrine.ops.HtmlPage;
import gg.jte.generated.precompiled.site.JteerrorGenerated;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.context.request.RequestAttributes;
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
	 * The page shows the message the error attributes kept: only one written for people.
	 */
	@Bean
	ErrorViewResolver siteErrorViewResolver() {
		return (HttpServletRequest request, HttpStatus status, Map<String, Object> model) -> {
			String message = (model.get("message") instanceof String text) ? text : null;
			String stylesheet = Assets.url("css/site.css");
			ModelAndView page = new ModelAndView(HtmlPage.of((out) -> JteerrorGenerated.render(out, null,
					status.value(), status.getReasonPhrase(), message, stylesheet)));
			page.setStatus(status);
			return page;
		};
	}

	/**
	 * Request problems are explained to the client, in the page and in JSON alike, but
	 * only in words the application wrote for people: a {@link ResponseStatusException}'s
	 * reason, the reason of an exception class marked {@link ResponseStatus}, or a
	 * message given with {@code sendError}. Other exceptions' messages (Spring's "No
	 * static resource x", "Method parameter 'id': Failed to convert value") and Spring's
	 * "No message available" are for the log; server failures are not explained at all.
	 */
	@Bean
	DefaultErrorAttributes errorAttributes() {
		return new DefaultErrorAttributes() {
			@Override
			public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
				Map<String, Object> attributes = super.getErrorAttributes(request,
						options.including(ErrorAttributeOptions.Include.MESSAGE));
				String message = (attributes.get("status") instanceof Integer status && status >= 400 && status < 500)
						? forPeople(request) : null;
				if (message != null) {
					attributes.put("message", message);
				}
				else {
					attributes.remove("message");
				}
				return attributes;
			}

			private String forPeople(WebRequest request) {
				Throwable error = getError(request);
				String message = switch (error) {
					case ResponseStatusException status -> status.getReason();
					case null -> (request.getAttribute(RequestDispatcher.ERROR_MESSAGE,
							RequestAttributes.SCOPE_REQUEST) instanceof String sent) ? sent : null;
					// an exception class's @ResponseStatus(reason = ...)
					default -> {
						ResponseStatus status = AnnotatedElementUtils.findMergedAnnotation(error.getClass(),
								ResponseStatus.class);
						yield (status != null) ? status.reason() : null;
					}
				};
				return (message != null && !message.isBlank()) ? message : null;
			}
		};
	}

}

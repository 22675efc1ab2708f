package dev.vitrine.admin;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.vitrine.content.MediaLibrary;
import dev.vitrine.ops.HtmlPage;
import gg.jte.generated.precompiled.admin.JtetoolargeGenerated;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Which request bodies are read at all, decided from the headers before anything reads
 * one: the CSRF check reads form parameters, and for a multipart body that makes Tomcat
 * parse it and spool its files to disk, for anyone. So multipart is taken only by the
 * owner's image upload, which must say its length; a visitor's body may be
 * {@code maxFormSize} at most and must say its length; the owner's other forms may be
 * {@code maxOwnerFormSize}. Runs in the security chain after the session is read, before
 * the CSRF check.
 */
class RequestBodyLimits extends OncePerRequestFilter {

	static final String UPLOAD_PATH = "/admin/media";

	private final long maxFormSize;

	private final long maxOwnerFormSize;

	private final long maxUploadSize;

	RequestBodyLimits(BodyLimitSettings settings, DataSize maxUploadSize) {
		this.maxFormSize = settings.maxFormSize().toBytes();
		this.maxOwnerFormSize = settings.maxOwnerFormSize().toBytes();
		this.maxUploadSize = maxUploadSize.toBytes();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long length = request.getContentLengthLong();
		boolean unknownLength = length < 0 && request.getHeader("Transfer-Encoding") != null;
		if (length <= 0 && !unknownLength) {
			chain.doFilter(request, response);
			return;
		}
		boolean owner = isOwner();
		boolean upload = "POST".equals(request.getMethod()) && UPLOAD_PATH.equals(request.getServletPath());
		boolean multipart = String.valueOf(request.getContentType()).toLowerCase(Locale.ROOT).startsWith("multipart/");
		long limit = (upload && multipart) ? this.maxUploadSize : owner ? this.maxOwnerFormSize : this.maxFormSize;
		if (multipart && upload && owner && unknownLength) {
			// a browser always sends the length; without it Tomcat cuts the body at the
			// limit and the file looks smaller than it is
			refuse(request, response, HttpStatus.LENGTH_REQUIRED,
					"Send the upload with a Content-Length, as browsers do; at most " + size(limit) + ".");
		}
		else if (multipart && !(upload && owner)) {
			if (upload) {
				refuse(request, response, HttpStatus.FORBIDDEN, "Sign in to upload images.");
			}
			else if (length > limit) {
				refuse(request, response, HttpStatus.CONTENT_TOO_LARGE, tooLarge(length, limit));
			}
			else {
				refuse(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
						"This address takes no multipart/form-data; only the image upload does.");
			}
		}
		else if (multipart && length > limit) {
			// the owner's upload: the form says 5 MB, and so must its refusal, with the
			// way back to it (a browser shows this page in place of the form)
			refuseUpload(request, response, length);
		}
		else if (unknownLength && !owner) {
			refuse(request, response, HttpStatus.LENGTH_REQUIRED, "Send the request body with a Content-Length.");
		}
		else if (length > limit) {
			// an editor form sent after the owner's session ended: the only form under
			// /admin that size, and the owner would not guess why it was refused
			String why = (!owner && request.getRequestURI().startsWith("/admin/"))
					? " You are not signed in (the session ended, or you signed out in another tab), so nothing was"
							+ " saved: sign in again in this tab and open the editor again; it offers back what this"
							+ " tab kept of your text."
					: "";
			refuse(request, response, HttpStatus.CONTENT_TOO_LARGE, tooLarge(length, limit) + why);
		}
		else {
			chain.doFilter(request, response);
		}
	}

	private static boolean isOwner() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken);
	}

	/**
	 * Answers in plain text, not through the error page: its dispatch would resolve the
	 * multipart body after all.
	 */
	private static void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String message) throws IOException {
		answer(request, response, status, "text/plain;charset=UTF-8", message + "\n");
	}

	/**
	 * The owner's upload over the request's limit, as a page of the admin: the image's
	 * limit (not the request's, which is above it so that a file just over the image's
	 * gets the form back with its message) and a link back to the form.
	 */
	private static void refuseUpload(HttpServletRequest request, HttpServletResponse response, long length)
			throws IOException {
		HtmlPage page = HtmlPage.of((out) -> JtetoolargeGenerated.render(out, null, size(length),
				size(MediaLibrary.MAX_BYTES), UPLOAD_PATH));
		answer(request, response, HttpStatus.CONTENT_TOO_LARGE, page.getContentType(), page.html());
	}

	/** The body is left unread and the connection closed ({@link UnreadBodyValve}). */
	private static void answer(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String contentType, String body) throws IOException {
		request.setAttribute(UnreadBodyValve.REFUSED, Boolean.TRUE);
		response.setStatus(status.value());
		response.setHeader("Connection", "close");
		response.setContentType(contentType);
		response.getWriter().print(body);
	}

	private static String tooLarge(long length, long limit) {
		return "The request body is " + size(length) + "; at most " + size(limit) + " is accepted here.";
	}

	private static String size(long bytes) {
		if (bytes >= 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
		}
		return String.format(Locale.ROOT, "%d KB", (bytes + 1023) / 1024);
	}

}

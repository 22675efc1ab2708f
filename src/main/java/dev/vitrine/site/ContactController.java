package dev.vitrine.site;

import java.util.Map;
import java.util.Optional;

import dev.vitrine.content.ContactMessages;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.ops.ClientNetwork;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.HtmlPage;
import dev.vitrine.ops.Role;
import gg.jte.generated.precompiled.site.JtecontactGenerated;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The contact form. A valid message is stored and, when SMTP is configured, a job to mail
 * it is enqueued in the same transaction: a message is never mailed without being stored,
 * nor stored without its mail job. Invalid input comes back with a message per field and
 * everything typed kept.
 */
@Controller
@ConditionalOnRole(Role.WEB)
class ContactController {

	private static final Logger log = LoggerFactory.getLogger(ContactController.class);

	/** Where a message goes once sent; a bot's message too, so it learns nothing. */
	private static final View SENT = new RedirectView("/contact?sent", true);

	private final ContactMessages messages;

	private final Jobs jobs;

	private final MailSettings mail;

	private final SiteSettings settings;

	private final SitePages pages;

	private final SiteUrls urls;

	private final TransactionTemplate transaction;

	ContactController(ContactMessages messages, Jobs jobs, MailSettings mail, SiteSettings settings, SitePages pages,
			SiteUrls urls, TransactionTemplate transaction) {
		this.transaction = transaction;
		this.messages = messages;
		this.jobs = jobs;
		this.mail = mail;
		this.settings = settings;
		this.pages = pages;
		this.urls = urls;
	}

	/**
	 * Where the security chain forwards a contact post whose form token does not hold.
	 */
	static final String RESEND = "/contact/resend";

	@GetMapping("/contact")
	HtmlPage form(HttpServletRequest request, @RequestParam(required = false) String sent, CsrfToken csrf) {
		return show(request, ContactForm.empty(), Map.of(), sent != null, null, csrf);
	}

	@PostMapping("/contact")
	View send(HttpServletRequest request, HttpServletResponse response, @ModelAttribute ContactForm form,
			CsrfToken csrf) {
		if (form.isFromABot()) {
			// look like success, so the bot learns nothing
			log.info("Contact: dropped a message from {} that filled in the honeypot", request.getRemoteAddr());
			return SENT;
		}
		Map<String, String> errors = form.errors();
		if (!errors.isEmpty()) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return show(request, form, errors, false, null, csrf);
		}
		ContactMessages.Sender sender = new ContactMessages.Sender(request.getRemoteAddr(),
				ClientNetwork.of(request.getRemoteAddr()));
		ContactMessages.Draft message = form.draft();
		Stored stored = this.transaction.execute((status) -> {
			this.messages.lockSender(sender.network());
			// before the limit: a form sent twice at the limit was sent, not refused
			if (this.messages.isStored(message, form.submission())) {
				return Stored.ALREADY;
			}
			if (this.messages.countFrom(sender.network(), this.settings.contactWindow()) >= this.settings
				.contactLimit()) {
				return Stored.LIMITED;
			}
			Optional<Long> id = this.messages.store(message, sender, form.submission());
			if (id.isPresent() && this.mail.enabled()) {
				this.jobs.enqueue(ContactMail.TYPE, new ContactMail(id.get()));
			}
			return id.isPresent() ? Stored.NOW : Stored.ALREADY;
		});
		if (stored == Stored.LIMITED) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			response.setHeader("Retry-After", String.valueOf(this.settings.contactWindow().toSeconds()));
			return show(request, form, Map.of(), false,
					"You have sent several messages in a short time. Please try again later.", csrf);
		}
		return SENT;
	}

	/**
	 * The form again, with what was typed and a fresh token, for a post whose token no
	 * longer holds (its cookie went with a browser restart, or never came): reached by
	 * the security chain's forward only; nothing is stored.
	 */
	@RequestMapping(RESEND)
	HtmlPage resend(HttpServletRequest request, HttpServletResponse response, @ModelAttribute ContactForm form,
			CsrfToken csrf) {
		if (request.getDispatcherType() != DispatcherType.FORWARD) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no page at this address.");
		}
		response.setStatus(HttpStatus.FORBIDDEN.value());
		return show(request, form, Map.of(), false, "This form had expired, so your message was not sent: it is"
				+ " below, as you wrote it. Send it again.", csrf);
	}

	private HtmlPage show(HttpServletRequest request, ContactForm form, Map<String, String> errors, boolean sent,
			String problem, CsrfToken csrf) {
		String base = this.urls.base(request);
		Frame frame = this.pages.frame(base, Section.CONTACT);
		PageMeta meta = PageMeta.website("Contact · " + frame.siteName(), "Send " + frame.siteName() + " a message",
				base + "/contact", this.pages.defaultCard(base));
		return HtmlPage
			.of((out) -> JtecontactGenerated.render(out, null, frame, meta, form, errors, sent, problem, csrf));
	}

	/** What a send did with its message. */
	private enum Stored {

		NOW,

		/** The same form's message was stored before: it was sent twice. */
		ALREADY,

		/** Refused: the sender sent too many messages lately. */
		LIMITED

	}

}

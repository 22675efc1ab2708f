package dev.vitrine.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.vitrine.content.ContactMessage;
import dev.vitrine.content.ContactMessages;
import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.EditConflictException;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryChange;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.InvalidContentException;
import dev.vitrine.content.Markdown;
import dev.vitrine.content.Profile;
import dev.vitrine.content.ProfileChange;
import dev.vitrine.content.Slugs;
import dev.vitrine.content.Visibility;
import dev.vitrine.documents.Documents;
import dev.vitrine.jobs.JobMonitor;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.HtmlPage;
import dev.vitrine.ops.Role;
import gg.jte.generated.precompiled.admin.JtedashboardGenerated;
import gg.jte.generated.precompiled.admin.JteentriesGenerated;
import gg.jte.generated.precompiled.admin.JteentryGenerated;
import gg.jte.generated.precompiled.admin.JtemessageGenerated;
import gg.jte.generated.precompiled.admin.JtemessagesGenerated;
import gg.jte.generated.precompiled.admin.JteprofileGenerated;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.HtmlUtils;

/**
 * The owner's content editing: projects and articles (write, preview, publish, unpublish,
 * delete), the profile and résumé, the contact inbox, and removing the demo content.
 * Invalid input comes back with a message per field and nothing lost; so does a save from
 * a form opened before another save of the same entry or profile, with a {@code 409}.
 */
@Controller
@RequestMapping("/admin")
@ConditionalOnRole(Role.WEB)
class ContentAdminController {

	/**
	 * The version of a form that did not send one (opened before it had the field): no
	 * stored version matches it, so it cannot overwrite what it never showed.
	 */
	private static final int UNKNOWN_VERSION = -1;

	/** An image the sanitizer kept from another site (it writes double quotes). */
	private static final Pattern FOREIGN_IMAGE = Pattern.compile("<img\\b[^>]*\\ssrc=\"(?:https?:)?//");

	private final ContentEditor editor;

	private final ContentCatalog catalog;

	private final ContactMessages messages;

	private final Markdown markdown;

	private final Documents documents;

	/**
	 * Whether contact messages are mailed ({@code VITRINE_MAIL_HOST} set), for the inbox
	 * to say so: without it they are only kept here, which the owner should not have to
	 * guess from a column of "no".
	 */
	private final boolean mailOn;

	/** Where a message's mail job is, when it is not mailed. */
	private final JobMonitor monitor;

	ContentAdminController(ContentEditor editor, ContentCatalog catalog, ContactMessages messages, Markdown markdown,
			Documents documents, JobMonitor monitor, @Value("${vitrine.mail.host:}") String mailHost) {
		this.documents = documents;
		this.monitor = monitor;
		this.mailOn = !mailHost.isBlank();
		this.editor = editor;
		this.catalog = catalog;
		this.messages = messages;
		this.markdown = markdown;
	}

	@GetMapping
	HtmlPage dashboard(CsrfToken csrf, HttpServletRequest request) {
		int articles = this.editor.entries(EntryKind.ARTICLE).size();
		int projects = this.editor.entries(EntryKind.PROJECT).size();
		int unread = this.messages.unread();
		boolean demo = this.catalog.hasDemoContent();
		return HtmlPage.of((out) -> JtedashboardGenerated.render(out, null, csrf, Flash.notice(request), articles,
				projects, unread, demo));
	}

	@GetMapping("/{section:projects|articles}")
	HtmlPage entries(@PathVariable String section, CsrfToken csrf, HttpServletRequest request) {
		EntryKind kind = EntryKind.fromSection(section);
		List<Entry> entries = this.editor.entries(kind);
		return HtmlPage.of((out) -> JteentriesGenerated.render(out, null, csrf, Flash.notice(request), kind, entries));
	}

	@GetMapping("/{section:projects|articles}/new")
	HtmlPage newEntry(@PathVariable String section, CsrfToken csrf) {
		return editForm(csrf, EntryEditorPage.blank(EntryKind.fromSection(section)));
	}

	@PostMapping("/{section:projects|articles}/new")
	View create(@PathVariable String section, @ModelAttribute EntryForm form, CsrfToken csrf,
			HttpServletResponse response, RedirectAttributes redirect) {
		EntryKind kind = EntryKind.fromSection(section);
		try {
			Entry entry = this.editor.create(kind, change(form, null));
			redirect.addFlashAttribute(Flash.NOTICE, saved(entry) + foreignImages(entry.bodyHtml()));
			redirect.addFlashAttribute(Flash.SAVED_FORM, "/admin/" + section + "/new");
			return Flash.redirect("/admin/" + section + "/" + entry.id());
		}
		catch (InvalidContentException ex) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return editForm(csrf, EntryEditorPage.invalid(kind, null, form, ex.errors()));
		}
	}

	@GetMapping("/{section:projects|articles}/{id:\\d+}")
	HtmlPage edit(@PathVariable String section, @PathVariable long id, CsrfToken csrf, HttpServletRequest request) {
		Entry entry = find(section, id);
		return editForm(csrf, EntryEditorPage.of(entry, Flash.notice(request), Flash.savedForm(request)));
	}

	@PostMapping("/{section:projects|articles}/{id:\\d+}")
	View update(@PathVariable String section, @PathVariable long id, @ModelAttribute EntryForm form, CsrfToken csrf,
			HttpServletResponse response, RedirectAttributes redirect) {
		Optional<Entry> stored = findIfStored(section, id);
		if (stored.isEmpty()) {
			if (this.editor.entry(id).isPresent()) {
				// one of the other section's: not this address
				throw notFound(section + " " + id);
			}
			return deletedMeanwhile(section, form, csrf, response);
		}
		Entry current = stored.get();
		try {
			Entry entry = this.editor.update(id, (form.version() != null) ? form.version() : UNKNOWN_VERSION,
					change(form, current));
			redirect.addFlashAttribute(Flash.NOTICE, saved(entry) + foreignImages(entry.bodyHtml()));
			redirect.addFlashAttribute(Flash.SAVED_FORM, "/admin/" + section + "/" + id);
			return Flash.redirect("/admin/" + section + "/" + id);
		}
		catch (InvalidContentException ex) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return editForm(csrf, EntryEditorPage.invalid(current.kind(), current, form, ex.errors()));
		}
		catch (EditConflictException ex) {
			// the owner's text comes back over the version now stored: saving it again
			// replaces that one, knowingly
			Optional<Entry> now = findIfStored(section, id);
			if (now.isEmpty()) {
				return deletedMeanwhile(section, form, csrf, response);
			}
			response.setStatus(HttpStatus.CONFLICT.value());
			return editForm(csrf, EntryEditorPage.changedElsewhere(now.get(), form));
		}
		catch (NoSuchElementException ex) {
			return deletedMeanwhile(section, form, csrf, response);
		}
	}

	/**
	 * An edit of an entry deleted since its form was opened (in another tab): what was
	 * typed comes back in a new entry's form, to save as one again, not a 404 that loses
	 * it.
	 */
	private static HtmlPage deletedMeanwhile(String section, EntryForm form, CsrfToken csrf,
			HttpServletResponse response) {
		response.setStatus(HttpStatus.CONFLICT.value());
		return editForm(csrf, EntryEditorPage.deletedMeanwhile(kind(section), form));
	}

	@PostMapping("/{section:projects|articles}/{id:\\d+}/publish")
	String publish(@PathVariable String section, @PathVariable long id, RedirectAttributes redirect) {
		find(section, id);
		Entry entry = this.editor.publish(id);
		// it keeps the date it has, which may be to come
		redirect.addFlashAttribute(Flash.NOTICE,
				(entry.visibilityAt(Instant.now()) instanceof Visibility.Scheduled scheduled) ? scheduled(scheduled)
						: "Published.");
		return "redirect:/admin/" + section + "/" + id;
	}

	@PostMapping("/{section:projects|articles}/{id:\\d+}/unpublish")
	String unpublish(@PathVariable String section, @PathVariable long id, RedirectAttributes redirect) {
		find(section, id);
		this.editor.unpublish(id);
		redirect.addFlashAttribute(Flash.NOTICE, "Unpublished: it is a draft again.");
		return "redirect:/admin/" + section + "/" + id;
	}

	@PostMapping("/{section:projects|articles}/{id:\\d+}/render")
	String rerender(@PathVariable String section, @PathVariable long id, RedirectAttributes redirect) {
		Entry entry = find(section, id);
		boolean queued = this.documents.rerender(entry.kind(), entry.slug());
		redirect.addFlashAttribute(Flash.NOTICE, queued ? "Its social card will be rendered again in a moment."
				: "Only a published entry has a social card.");
		return "redirect:/admin/" + section + "/" + id;
	}

	@PostMapping("/render")
	String rerenderAll(RedirectAttributes redirect) {
		int queued = this.documents.rerenderAll();
		redirect.addFlashAttribute(Flash.NOTICE, queued + " renders queued: the résumé PDFs and every social card.");
		return "redirect:/admin";
	}

	@PostMapping("/{section:projects|articles}/{id:\\d+}/delete")
	String delete(@PathVariable String section, @PathVariable long id, RedirectAttributes redirect) {
		Entry entry = find(section, id);
		this.editor.delete(id);
		redirect.addFlashAttribute(Flash.NOTICE, "Deleted “" + entry.title() + "”.");
		return "redirect:/admin/" + section;
	}

	/**
	 * The editor's live preview: the same Markdown rendering and sanitizing as on save.
	 */
	@PostMapping(path = "/preview", produces = MediaType.TEXT_HTML_VALUE)
	ResponseEntity<String> preview(@RequestParam(defaultValue = "") String markdown) {
		try {
			String html = this.markdown.toSafeHtml(markdown);
			String note = foreignImages(html);
			return ResponseEntity.ok(note.isEmpty() ? html
					: "<p class=\"notice\" role=\"status\">" + HtmlUtils.htmlEscape(note.strip()) + "</p>" + html);
		}
		catch (IllegalArgumentException ex) {
			return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
				.body("<p>" + HtmlUtils.htmlEscape(ex.getMessage()) + "</p>");
		}
	}

	/** Whether what was saved is a draft, public, or to go live later, and when. */
	private static String saved(Entry entry) {
		return switch (entry.visibilityAt(Instant.now())) {
			case Visibility.Draft draft -> "Saved as a draft.";
			case Visibility.Public visible -> "Saved and published.";
			case Visibility.Scheduled scheduled -> "Saved. " + scheduled(scheduled);
		};
	}

	private static String scheduled(Visibility.Scheduled scheduled) {
		return "Scheduled for " + Format.time(scheduled.at()) + ".";
	}

	/**
	 * What to tell the owner when saved HTML shows images from other sites: the site's
	 * Content-Security-Policy loads only its own, so visitors' browsers show them broken
	 * (and tell no other site what they read); empty when there are none.
	 */
	static String foreignImages(String html) {
		return FOREIGN_IMAGE.matcher(html).find()
				? " Images from other sites are not shown here: the site loads only its own images, so visitors'"
						+ " browsers tell no other site what they read. Upload them under Images and link those."
				: "";
	}

	/** Whether a slug is free, for the editor to say so while typing. */
	@GetMapping(path = "/slug", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	SlugCheck slug(@RequestParam String section, @RequestParam String slug, @RequestParam(required = false) Long id) {
		EntryKind kind = kind(section);
		if (!Slugs.isValid(slug)) {
			return new SlugCheck(false, "Use lower-case letters, digits and single hyphens.");
		}
		boolean taken = this.editor.isSlugTaken(kind, slug, id);
		return new SlugCheck(!taken, taken ? "Already used by another entry." : "Available.");
	}

	/** What the editor shows beside the slug field while the owner types. */
	record SlugCheck(boolean available, String message) {
	}

	@GetMapping("/profile")
	HtmlPage profile(CsrfToken csrf, HttpServletRequest request) {
		Optional<Profile> profile = this.editor.profile();
		ProfileChange form = profile.map(ProfileChange::of).orElse(new ProfileChange("", "", "", "", "", "", ""));
		return profileForm(csrf, Flash.notice(request), form, profileVersion(profile), Map.of(), false,
				Flash.savedForm(request));
	}

	/**
	 * @param version the profile's version the form was filled from
	 */
	@PostMapping("/profile")
	View saveProfile(@ModelAttribute ProfileChange form, @RequestParam(required = false) Integer version,
			CsrfToken csrf, HttpServletResponse response, RedirectAttributes redirect) {
		int shown = (version != null) ? version : UNKNOWN_VERSION;
		try {
			Profile saved = this.editor.saveProfile(form, shown);
			redirect.addFlashAttribute(Flash.NOTICE,
					"Profile saved." + foreignImages(saved.bioHtml() + saved.resumeHtml()));
			redirect.addFlashAttribute(Flash.SAVED_FORM, "/admin/profile");
			return Flash.redirect("/admin/profile");
		}
		catch (InvalidContentException ex) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return profileForm(csrf, null, form, shown, ex.errors(), false);
		}
		catch (EditConflictException ex) {
			// as for an entry: the owner's text, over the version now stored
			response.setStatus(HttpStatus.CONFLICT.value());
			return profileForm(csrf, null, form, profileVersion(this.editor.profile()), Map.of(), true);
		}
	}

	/** What a profile form saves over: 0 while none is stored. */
	private static int profileVersion(Optional<Profile> profile) {
		return profile.map(Profile::version).orElse(0);
	}

	@PostMapping("/demo/remove")
	String removeDemo(RedirectAttributes redirect) {
		int removed = this.editor.removeDemoEntries();
		redirect.addFlashAttribute(Flash.NOTICE, "Removed " + removed + " demo entries."
				+ (this.catalog.hasDemoContent() ? " The profile still holds demo text: edit it under Profile." : ""));
		return "redirect:/admin";
	}

	@GetMapping("/messages")
	HtmlPage messages(CsrfToken csrf, HttpServletRequest request) {
		List<ContactMessage> latest = this.messages.latest(200);
		return HtmlPage
			.of((out) -> JtemessagesGenerated.render(out, null, csrf, Flash.notice(request), latest, this.mailOn));
	}

	@GetMapping("/messages/{id:\\d+}")
	HtmlPage message(@PathVariable long id, CsrfToken csrf, HttpServletRequest request) {
		ContactMessage message = this.messages.find(id).orElseThrow(() -> notFound("message " + id));
		this.messages.markRead(id);
		MessageMail mail = MessageMail.of(message, this.mailOn, this.monitor);
		return HtmlPage.of((out) -> JtemessageGenerated.render(out, null, csrf, Flash.notice(request), message, mail));
	}

	@PostMapping("/messages/{id:\\d+}/delete")
	String deleteMessage(@PathVariable long id, RedirectAttributes redirect) {
		this.messages.delete(id);
		redirect.addFlashAttribute(Flash.NOTICE, "Message deleted.");
		return "redirect:/admin/messages";
	}

	private static HtmlPage editForm(CsrfToken csrf, EntryEditorPage page) {
		return HtmlPage.of((out) -> JteentryGenerated.render(out, null, csrf, page));
	}

	private static HtmlPage profileForm(CsrfToken csrf, String notice, ProfileChange form, int version,
			Map<String, String> errors, boolean changedElsewhere) {
		return profileForm(csrf, notice, form, version, errors, changedElsewhere, null);
	}

	private static HtmlPage profileForm(CsrfToken csrf, String notice, ProfileChange form, int version,
			Map<String, String> errors, boolean changedElsewhere, String savedForm) {
		return HtmlPage.of((out) -> JteprofileGenerated.render(out, null, csrf, notice, form, version, errors,
				changedElsewhere, savedForm));
	}

	private static EntryChange change(EntryForm form, Entry current) {
		try {
			return form.toChange(current);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidContentException(Map.of("publishedAt", ex.getMessage()));
		}
	}

	private Entry find(String section, long id) {
		return findIfStored(section, id).orElseThrow(() -> notFound(section + " " + id));
	}

	private Optional<Entry> findIfStored(String section, long id) {
		return this.editor.entry(id).filter((entry) -> entry.kind().section().equals(section));
	}

	private static EntryKind kind(String section) {
		try {
			return EntryKind.fromSection(section);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "section must be projects or articles");
		}
	}

	private static ResponseStatusException notFound(String what) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No " + what);
	}

}

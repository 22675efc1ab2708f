package dev.vitrine.admin;

import java.time.Duration;

import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.support.Browser;
import dev.vitrine.support.BrowserApp;
import dev.vitrine.support.EntryChanges;
import dev.vitrine.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The editor forms keep what the owner types in the browser's tab until a page confirms
 * the save, in a real browser (headless Chromium): a long article sent after the session
 * ended, refused before it is read as larger than a signed-out form may be, is offered
 * back once the owner has signed in again, and a confirmed save or a discard drops it.
 */
class EditorDraftsBrowserTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	@RegisterExtension
	static final BrowserApp site = new BrowserApp("editor_drafts", "vitrine.roles=web", "vitrine.content.demo=false",
			"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD);

	@Test
	void aLongArticleRefusedAfterTheSessionEndedIsOfferedBackAndItsSaveDropsTheDraft() {
		WebDriver browser = site.browser();
		String base = site.base();
		site.signIn(EMAIL, PASSWORD);
		browser.get(base + "/admin/articles/new");
		// over the 64 KB a form without a session may send: refused before it is read
		String body = "## A long article\n\n" + "Written through the idle timeout. ".repeat(2500);
		type(By.id("title"), "Three hours of writing");
		type(By.id("bodyMarkdown"), body);
		endEverySession();

		browser.findElement(By.id("save")).click();

		awaitAfterPost(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "is accepted here"));
		assertThat(browser.findElement(By.tagName("body")).getText()).contains("at most 64 KB is accepted here")
			.contains("sign in again in this tab and open the editor again");
		assertThat(articles("Three hours of writing")).as("nothing saved").isZero();
		site.signIn(EMAIL, PASSWORD);
		browser.get(base + "/admin/articles/new");
		WebElement offer = browser.findElement(By.id("draft-offer"));
		assertThat(offer.getText()).contains("This tab kept what you typed in this form");
		assertThat(browser.findElement(By.id("title")).getAttribute("value")).isEmpty();
		Browser.screenshot(browser, "editor-draft-offer");

		browser.findElement(By.id("draft-restore")).click();

		assertThat(browser.findElements(By.id("draft-offer"))).isEmpty();
		assertThat(browser.findElement(By.id("title")).getAttribute("value")).isEqualTo("Three hours of writing");
		assertThat(browser.findElement(By.id("bodyMarkdown")).getAttribute("value")).isEqualTo(body);
		browser.findElement(By.id("save")).click();
		new WebDriverWait(browser, Duration.ofSeconds(10))
			.until(ExpectedConditions.urlMatches(base + "/admin/articles/[0-9]+$"));
		assertThat(articles("Three hours of writing")).isOne();

		browser.get(base + "/admin/articles/new");
		assertThat(browser.findElements(By.id("draft-offer"))).as("the saved draft is gone").isEmpty();
	}

	@Test
	void aDraftLeftByNavigatingAwayIsOfferedUntilDiscarded() {
		WebDriver browser = site.browser();
		String base = site.base();
		site.signIn(EMAIL, PASSWORD);
		browser.get(base + "/admin/profile");
		type(By.id("headline"), "Typed, then left without saving");
		browser.get(base + "/admin");

		browser.get(base + "/admin/profile");
		assertThat(browser.findElement(By.id("draft-offer")).getText()).contains("which this page does not show");
		browser.findElement(By.id("draft-discard")).click();

		assertThat(browser.findElements(By.id("draft-offer"))).isEmpty();
		browser.navigate().refresh();
		assertThat(browser.findElements(By.id("draft-offer"))).isEmpty();
		assertThat(browser.findElement(By.id("headline")).getAttribute("value"))
			.isNotEqualTo("Typed, then left without saving");
	}

	@Test
	void aDraftTypedBackToWhatThePageShowsIsNotOffered() {
		WebDriver browser = site.browser();
		String base = site.base();
		site.signIn(EMAIL, PASSWORD);
		browser.get(base + "/admin/profile");
		String headline = browser.findElement(By.id("headline")).getAttribute("value");
		type(By.id("headline"), "Typed for a moment");
		new WebDriverWait(browser, Duration.ofSeconds(10)).until((driver) -> ((JavascriptExecutor) driver)
			.executeScript("return sessionStorage.getItem('vitrine.draft:/admin/profile')") != null);
		type(By.id("headline"), headline);
		browser.get(base + "/admin");

		browser.get(base + "/admin/profile");

		assertThat(browser.findElements(By.id("draft-offer"))).isEmpty();
	}

	@Test
	void aDraftPutBackOverANewerSaveIsRefusedAsAStaleFormNotSavedOverIt() {
		WebDriver browser = site.browser();
		String base = site.base();
		ContentEditor editor = site.app().bean(ContentEditor.class);
		Entry article = articleOpenWithTyped("Edited on two devices", "Typed here over version 1");
		browser.get(base + "/admin");
		editor.update(article.id(), article.version(),
				EntryChanges.anEntry("Edited on two devices").body("Saved on the phone").build());

		browser.get(base + "/admin/articles/" + article.id());
		assertThat(browser.findElement(By.id("draft-offer")).getText()).contains("(version 1 then, 2 now)");
		browser.findElement(By.id("draft-restore")).click();
		browser.findElement(By.id("save")).click();

		awaitAfterPost(ExpectedConditions.presenceOfElementLocated(By.id("conflict")));
		assertThat(browser.findElement(By.id("bodyMarkdown")).getAttribute("value"))
			.isEqualTo("Typed here over version 1");
		assertThat(editor.entry(article.id()).orElseThrow().bodyMarkdown()).isEqualTo("Saved on the phone");
	}

	@Test
	void anEditOfAnEntryDeletedMeanwhileIsKeptAsTheNewEntrysDraft() {
		WebDriver browser = site.browser();
		String base = site.base();
		Entry article = articleOpenWithTyped("Deleted in another tab", "Typed while it was deleted");
		site.app().bean(ContentEditor.class).delete(article.id());
		browser.findElement(By.id("save")).click();
		awaitAfterPost(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "was deleted since"));

		browser.get(base + "/admin");
		browser.get(base + "/admin/articles/new");

		assertThat(browser.findElement(By.id("draft-offer")).getText()).contains("This tab kept what you typed");
		browser.findElement(By.id("draft-restore")).click();
		assertThat(browser.findElement(By.id("title")).getAttribute("value")).isEqualTo("Deleted in another tab");
		assertThat(browser.findElement(By.id("bodyMarkdown")).getAttribute("value"))
			.isEqualTo("Typed while it was deleted");
	}

	/**
	 * A double click on Save sends the form once: twice, the page shown would be the
	 * second send's answer, "Nothing was saved" (the slug taken, or the version moved, by
	 * the first send), over a save that went through.
	 */
	@Test
	void aDoubleClickOnSaveSavesOnceAndSaysSo() {
		WebDriver browser = site.browser();
		String base = site.base();
		site.signIn(EMAIL, PASSWORD);
		browser.get(base + "/admin/articles/new");
		type(By.id("title"), "Saved with a double click");
		type(By.id("bodyMarkdown"), "First text");

		doubleClick(By.id("save"));

		awaitAfterPost(ExpectedConditions.urlMatches(base + "/admin/articles/[0-9]+$"));
		awaitAfterPost(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Saved as a draft."));
		assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Nothing was saved");
		assertThat(articles("Saved with a double click")).isOne();

		type(By.id("bodyMarkdown"), "Second text");
		doubleClick(By.id("save"));

		awaitAfterPost(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "version 2"));
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("Saved as a draft.")
			.doesNotContain("Nothing was saved");
		assertThat(browser.findElements(By.id("conflict"))).isEmpty();
	}

	@Test
	void aWrongPasswordBringsTheSignInPageBackWithTheEmailTyped() {
		WebDriver browser = site.browser();
		browser.manage().deleteAllCookies();
		browser.get(site.base() + "/login");
		browser.findElement(By.id("username")).sendKeys(EMAIL);
		browser.findElement(By.id("password")).sendKeys("not the password");
		browser.findElement(By.cssSelector("button[type=submit]")).click();

		new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/login?error"));
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("Wrong email or password.");
		assertThat(browser.findElement(By.id("username")).getDomProperty("value")).isEqualTo(EMAIL);

		browser.get(site.base() + "/login");
		assertThat(browser.findElement(By.id("username")).getDomProperty("value")).as("a fresh sign-in page").isEmpty();
	}

	@Test
	void aFormWhoseSendWasStoppedCanBeSentAgainAfterAWhile() {
		WebDriver browser = site.browser();
		site.signIn(EMAIL, PASSWORD);
		browser.get(site.base() + "/admin/articles/new");
		type(By.id("title"), "Sent, then stopped");

		// the owner presses Stop (or the network stalls) before the answer arrives
		((JavascriptExecutor) browser).executeScript("arguments[0].click(); window.stop();",
				browser.findElement(By.id("save")));

		new WebDriverWait(browser, Duration.ofSeconds(5))
			.until(ExpectedConditions.attributeToBe(By.id("save"), "disabled", "true"));
		new WebDriverWait(browser, Duration.ofSeconds(30))
			.until(ExpectedConditions.elementToBeClickable(By.id("save")));
		assertThat(browser.findElement(By.id("entry-form")).getAttribute("aria-busy")).isNull();
	}

	/**
	 * Two clicks as a hurried hand makes them: the second while the first send is on its
	 * way.
	 */
	private static void doubleClick(By button) {
		WebDriver browser = site.browser();
		((JavascriptExecutor) browser).executeScript(
				"const button = arguments[0]; button.click(); setTimeout(function () { button.click(); }, 30);",
				browser.findElement(button));
	}

	/**
	 * An article stored through the editor's API, open in the browser with this text
	 * typed.
	 */
	private static Entry articleOpenWithTyped(String title, String body) {
		Entry article = site.app()
			.bean(ContentEditor.class)
			.create(EntryKind.ARTICLE, EntryChanges.anEntry(title).build());
		site.signIn(EMAIL, PASSWORD);
		site.browser().get(site.base() + "/admin/articles/" + article.id());
		type(By.id("bodyMarkdown"), body);
		return article;
	}

	/**
	 * Waits for the page a form's post leads to: until it is there, the old page may be
	 * read while it is torn down.
	 */
	private static void awaitAfterPost(ExpectedCondition<?> condition) {
		new WebDriverWait(site.browser(), Duration.ofSeconds(10)).ignoring(WebDriverException.class).until(condition);
	}

	/** Sets a field's text as typing would end, with the input event typing sends. */
	private static void type(By field, String text) {
		WebDriver browser = site.browser();
		((JavascriptExecutor) browser).executeScript(
				"arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
				browser.findElement(field), text);
	}

	private static long articles(String title) {
		RunningApp app = site.app();
		return app.bean(JdbcClient.class)
			.sql("SELECT count(*) FROM entry WHERE title = ?")
			.param(title)
			.query(Long.class)
			.single();
	}

	/** As the idle timeout does: sessions live in PostgreSQL (Spring Session JDBC). */
	private static void endEverySession() {
		RunningApp app = site.app();
		app.bean(JdbcClient.class).sql("DELETE FROM spring_session").update();
	}

}

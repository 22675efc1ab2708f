package dev.vitrine.site;

import java.time.Duration;

import dev.vitrine.support.Browser;
import dev.vitrine.support.BrowserApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key pages in a real browser (headless Chromium): a visitor reads the home page and
 * an article and writes through the contact form; the owner signs in, writes and
 * publishes an article with the live preview, and sees it on the site.
 */
class SiteBrowserTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	@RegisterExtension
	static final BrowserApp site = new BrowserApp("site_browser", "vitrine.roles=web", "vitrine.admin.email=" + EMAIL,
			"vitrine.admin.password=" + PASSWORD);

	@Test
	void visitorReadsAndWritesOwnerPublishesAnArticleAndSeesItLive() {
		WebDriver browser = site.browser();
		String base = site.base();
		// a form post navigates: while the old page is torn down, reading it can fail
		// transiently, which is not the condition failing
		WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
		wait.ignoring(WebDriverException.class);

		browser.get(base + "/");
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Ada Example");
		assertThat(browser.findElement(By.cssSelector("[role=note]")).getText()).contains("demo content");
		assertThat(stylesheetApplied()).as("the hashed stylesheet loaded and applies").isTrue();
		Browser.screenshot(browser, "site-home");

		browser.findElement(By.linkText("PostgreSQL is a fine queue")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/articles/postgres-is-a-fine-queue"));
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("PostgreSQL is a fine queue");
		assertThat(browser.findElement(By.cssSelector("pre code.language-sql")).getText()).contains("SKIP LOCKED");
		Browser.screenshot(browser, "site-article");

		browser.findElement(By.linkText("Contact")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/contact"));
		browser.findElement(By.id("name")).sendKeys("Grace");
		browser.findElement(By.id("email")).sendKeys("not an address");
		browser.findElement(By.id("message")).sendKeys("Hello from a real browser!");
		browser.findElement(By.cssSelector("form.stacked button[type=submit]")).click();
		assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("errors"))).getText())
			.contains("Enter an e-mail address");
		assertThat(browser.findElement(By.id("message")).getAttribute("value")).isEqualTo("Hello from a real browser!");
		browser.findElement(By.id("email")).clear();
		browser.findElement(By.id("email")).sendKeys("grace@example.com");
		browser.findElement(By.cssSelector("form.stacked button[type=submit]")).click();
		assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sent"))).getText())
			.contains("received");

		browser.get(base + "/admin/articles/new");
		wait.until(ExpectedConditions.urlToBe(base + "/login"));
		browser.findElement(By.id("username")).sendKeys(EMAIL);
		browser.findElement(By.id("password")).sendKeys(PASSWORD);
		browser.findElement(By.cssSelector("button[type=submit]")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/admin/articles/new"));

		browser.findElement(By.id("title")).sendKeys("Written in a browser");
		browser.findElement(By.id("summary")).sendKeys("An end-to-end test wrote this.");
		WebElement body = browser.findElement(By.id("bodyMarkdown"));
		body.sendKeys("## Live preview\n\nThis is **bold**.");
		// the preview is rendered by the server as the owner types
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#preview h2"), "Live preview"));
		assertThat(browser.findElement(By.cssSelector("#preview strong")).getText()).isEqualTo("bold");
		browser.findElement(By.id("tags")).sendKeys("testing");
		Browser.screenshot(browser, "admin-editor");
		browser.findElement(By.id("save")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Saved as a draft."));

		browser.findElement(By.id("publish")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Published."));
		browser.findElement(By.id("view-live")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/articles/written-in-a-browser"));
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Written in a browser");
		assertThat(browser.findElement(By.cssSelector(".prose h2")).getText()).isEqualTo("Live preview");

		browser.get(base + "/");
		assertThat(browser.findElement(By.id("latest")).findElement(By.xpath("..")).getText())
			.contains("Written in a browser");
		browser.get(base + "/admin/messages");
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("Grace");
	}

	@Test
	void theHomePageLoadsItsIconAndLogsNoConsoleErrors() {
		WebDriver browser = site.browser();
		String base = site.base();
		Browser.consoleErrors(browser);

		browser.get(base + "/");

		// the linked icon, loaded as the tab's icon would be: decoded, not only fetched
		Object icon = ((JavascriptExecutor) browser).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				const link = document.querySelector('link[rel=icon][type="image/svg+xml"]');
				if (!link) { done('no icon link'); return; }
				const image = new Image();
				image.onload = () => done(image.naturalWidth > 0 ? 'decoded' : 'empty');
				image.onerror = () => done('failed: ' + link.href);
				image.src = link.href;
				""");
		assertThat(Browser.consoleErrors(browser)).isEmpty();
		assertThat(icon).isEqualTo("decoded");
	}

	private static boolean stylesheetApplied() {
		WebDriver browser = site.browser();
		Object maxWidth = ((JavascriptExecutor) browser)
			.executeScript("return getComputedStyle(document.querySelector('main')).maxWidth");
		return "704px".equals(maxWidth);
	}

}

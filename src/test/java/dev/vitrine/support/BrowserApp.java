package dev.vitrine.support;

import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The application started in this JVM and a headless Chromium to drive it, for a test
 * class's browser tests: register it as a static {@code @RegisterExtension} field; both
 * start before the class's tests and stop after them.
 */
public final class BrowserApp implements BeforeAllCallback, AfterAllCallback {

	private final String database;

	private final String[] properties;

	private RunningApp app;

	private WebDriver browser;

	/**
	 * @param database the name the test database is made from
	 * @param properties the app's settings, as for {@link RunningApp#start}
	 */
	public BrowserApp(String database, String... properties) {
		this.database = database;
		this.properties = properties.clone();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.app = RunningApp.start(this.database, this.properties);
		this.browser = Browser.start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		try {
			if (this.browser != null) {
				this.browser.quit();
			}
		}
		finally {
			if (this.app != null) {
				this.app.close();
			}
		}
	}

	public RunningApp app() {
		return this.app;
	}

	public WebDriver browser() {
		return this.browser;
	}

	/**
	 * Signs in through the login page afresh: a session left by an earlier test would
	 * skip the form.
	 */
	public void signIn(String email, String password) {
		this.browser.manage().deleteAllCookies();
		this.browser.get(base() + "/login");
		this.browser.findElement(By.id("username")).sendKeys(email);
		this.browser.findElement(By.id("password")).sendKeys(password);
		this.browser.findElement(By.cssSelector("button[type=submit]")).click();
		new WebDriverWait(this.browser, Duration.ofSeconds(10))
			.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
	}

	/** The app's address, {@code http://127.0.0.1:PORT}, to put a path after. */
	public String base() {
		return "http://127.0.0.1:" + this.app.port();
	}

}

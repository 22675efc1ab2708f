package dev.vitrine.admin;

import java.time.Duration;

import dev.vitrine.jobs.DiagnosticJob;
import dev.vitrine.jobs.JobId;
import dev.vitrine.jobs.JobMonitor;
import dev.vitrine.jobs.JobState;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.jobs.ScheduleView;
import dev.vitrine.jobs.Schedules;
import dev.vitrine.support.Browser;
import dev.vitrine.support.BrowserApp;
import dev.vitrine.support.Http;
import dev.vitrine.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor in a real browser (headless Chromium) against a running worker and
 * scheduler: sign in, watch a failing job show up without reloading, read its error,
 * retry it, switch a schedule off, and one that only an older version's schedulers fire.
 */
class MonitorBrowserTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	@RegisterExtension
	static final BrowserApp site = new BrowserApp("monitor_browser", "vitrine.roles=all", "vitrine.content.demo=false",
			"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD);

	@Test
	void ownerWatchesAFailingJobRetriesItPausesATypeAndDisablesASchedule() throws InterruptedException {
		WebDriver browser = site.browser();
		String base = site.base();
		RunningApp app = site.app();
		WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

		browser.get(base + "/monitor");
		assertThat(browser.getCurrentUrl()).endsWith("/login");
		browser.findElement(By.id("username")).sendKeys(EMAIL);
		browser.findElement(By.id("password")).sendKeys(PASSWORD);
		browser.findElement(By.cssSelector("button[type=submit]")).click();
		wait.until(ExpectedConditions.urlToBe(base + "/monitor"));
		assertThat(browser.findElement(By.cssSelector("[data-state=failed]")).getText()).isEqualTo("0");

		JobId failing = app.bean(Jobs.class).enqueue(DiagnosticJob.TYPE, new DiagnosticJob(0, true));

		// the page refreshes itself: the count changes without a navigation
		wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-state=failed]"), "1"));
		assertThat(browser.getCurrentUrl()).isEqualTo(base + "/monitor");
		Browser.screenshot(browser, "monitor-overview");

		browser.findElement(By.cssSelector("a[href='/monitor/jobs?state=failed']")).click();
		browser.findElement(By.linkText(failing.toString())).click();
		assertThat(browser.findElement(By.id("job-state")).getText()).isEqualTo("failed");
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("was asked to fail")
			.contains("Retry at");
		assertThat(browser.findElements(By.cssSelector("tr.error-row"))).hasSize(3);
		Browser.screenshot(browser, "monitor-job");

		browser.findElement(By.id("retry")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Job enqueued again."));
		assertThat(browser.findElement(By.id("job-state")).getText()).isIn("pending", "running", "retrying", "failed");

		// pause the type: a new job of it waits until it is resumed
		browser.findElement(By.linkText("Monitor")).click();
		browser.findElement(By.name("name")).sendKeys(DiagnosticJob.TYPE.name());
		browser.findElement(By.xpath("//button[text()='Pause']")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "paused."));
		JobId held = app.bean(Jobs.class).enqueue(DiagnosticJob.TYPE, new DiagnosticJob(0, false));
		Thread.sleep(1500);
		assertThat(app.bean(JobMonitor.class).job(held)).hasValueSatisfying(
				(job) -> assertThat(job.state()).as("a job of a paused type").isEqualTo(JobState.PENDING));
		browser.findElement(By.xpath("//button[text()='Resume']")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "resumed."));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> app.bean(JobMonitor.class).job(held).orElseThrow().state() == JobState.SUCCEEDED);

		browser.findElement(By.linkText("Workers")).click();
		assertThat(browser.findElement(By.tagName("main")).getText()).contains("alive");

		browser.findElement(By.linkText("Schedules")).click();
		By retention = By.id("schedule-jobs.history-retention");
		assertThat(browser.findElement(retention).getText()).contains("enabled").contains("0 17 * * * * (UTC)");
		browser.findElement(retention).findElement(By.xpath(".//button[text()='Disable']")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "disabled."));
		assertThat(browser.findElement(retention).getText()).contains("disabled");

		// left behind by a version whose schedulers still fire it: the operator can stop
		// it
		app.bean(JdbcClient.class)
			.sql("""
					INSERT INTO job_schedule (name, job_type, payload, interval_ms, enabled, missing_from_code, next_fire_at)
					VALUES ('old.digest', 'old.digest', '{}', 3600000, false, true, now() + interval '1 hour')
					""")
			.update();
		browser.navigate().refresh();
		By leftBehind = By.id("schedule-old.digest");
		assertThat(browser.findElement(leftBehind).getText()).contains("not in this version's code");
		browser.findElement(leftBehind).findElement(By.xpath(".//button[text()='Disable']")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "old.digest disabled."));
		assertThat(app.bean(Schedules.class).list()).filteredOn((schedule) -> schedule.name().equals("old.digest"))
			.singleElement()
			.extracting(ScheduleView::status)
			.isEqualTo(ScheduleView.Status.DISABLED);
		Browser.screenshot(browser, "monitor-schedules");
	}

	@Test
	void monitorNeedsTheOwnersLogin() {
		assertThat(Http.get(site.app().port(), "/monitor/jobs").statusCode()).isEqualTo(302);
	}

}

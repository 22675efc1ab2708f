package dev.vitrine.rendering;

import java.nio.file.Path;
import java.time.Duration;

import dev.vitrine.ops.Setting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The renderer's settings ({@code VITRINE_RENDERING_*}).
 *
 * @param chromiumPath the browser executable; empty = {@code chromium} or
 * {@code chromium-headless-shell} on the PATH
 * @param deadline the longest one render may take, whatever the page does, from when the
 * browser is up (a launch has the launch timeout of its own)
 * @param concurrency renders at once per process; 0 = the number of cores
 * @param recycleAfter relaunch the browser after this many renders
 * @param memoryLimit relaunch the browser when its processes together hold more
 * @param launchTimeout how long the browser may take to start
 * @param idleTimeout close the browser after this long without renders (the next render
 * launches it again); 0 = keep it running
 */
@ConfigurationProperties("vitrine.rendering")
record RenderingSettings(@DefaultValue("") String chromiumPath, @DefaultValue("20s") Duration deadline,
		@DefaultValue("0") int concurrency, @DefaultValue("500") int recycleAfter,
		@DefaultValue("1GB") DataSize memoryLimit, @DefaultValue("30s") Duration launchTimeout,
		@DefaultValue("60s") Duration idleTimeout) {

	/** Named by the messages that ask for it. */
	static final Setting CHROMIUM_PATH = Setting.of("vitrine.rendering.chromium-path");

	static final Setting DEADLINE = Setting.of("vitrine.rendering.deadline");

	static final Setting LAUNCH_TIMEOUT = Setting.of("vitrine.rendering.launch-timeout");

	/** Less is a unit slip (ms for s): no browser starts, no page renders that fast. */
	private static final Duration LEAST_TIME = Duration.ofSeconds(1);

	/**
	 * Less is a unit slip (a number alone binds as bytes): the browser would be recycled
	 * after every render.
	 */
	private static final DataSize LEAST_MEMORY = DataSize.ofMegabytes(128);

	RenderingSettings {
		String jobTimeout = "the render jobs' timeout of " + Renderer.JOB_TIMEOUT.toMinutes() + " minutes";
		if (deadline.compareTo(LEAST_TIME) < 0) {
			throw DEADLINE.invalid(deadline + " is not a duration of at least 1s such as 20s");
		}
		if (deadline.compareTo(Renderer.JOB_TIMEOUT) >= 0) {
			throw DEADLINE.invalid(deadline + " is not below " + jobTimeout);
		}
		if (concurrency < 0 || concurrency > 64) {
			throw Setting.of("vitrine.rendering.concurrency")
				.invalid(concurrency + " is not a number from 0 (= cores) to 64");
		}
		if (idleTimeout.isNegative()) {
			throw Setting.of("vitrine.rendering.idle-timeout")
				.invalid(idleTimeout + " is not a duration such as 60s (0 keeps the browser running)");
		}
		if (launchTimeout.compareTo(LEAST_TIME) < 0) {
			throw LAUNCH_TIMEOUT.invalid(launchTimeout + " is not a duration of at least 1s such as 30s");
		}
		if (launchTimeout.compareTo(Renderer.JOB_TIMEOUT) >= 0) {
			throw LAUNCH_TIMEOUT.invalid(launchTimeout + " is not below " + jobTimeout);
		}
		if (deadline.plus(launchTimeout).compareTo(Renderer.JOB_TIMEOUT) >= 0) {
			throw DEADLINE.invalid(deadline + " plus " + LAUNCH_TIMEOUT.envVar() + "'s " + launchTimeout
					+ " is not below " + jobTimeout + " (a render may launch the browser first)");
		}
		if (memoryLimit.compareTo(LEAST_MEMORY) < 0) {
			throw Setting.of("vitrine.rendering.memory-limit")
				.invalid(memoryLimit + " is below 128MB (a number alone is bytes): give a size such as 1GB");
		}
		if (recycleAfter < 1) {
			throw Setting.of("vitrine.rendering.recycle-after")
				.invalid(recycleAfter + " is not a number of at least 1");
		}
	}

	int effectiveConcurrency() {
		return (this.concurrency > 0) ? this.concurrency : Runtime.getRuntime().availableProcessors();
	}

	/** The configured path, when one is configured. */
	Path configuredPath() {
		return this.chromiumPath.isBlank() ? null : Path.of(this.chromiumPath);
	}

}

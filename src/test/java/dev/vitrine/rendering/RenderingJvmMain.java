package dev.vitrine.rendering;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

/**
 * A JVM that renders once, launching Chromium as a worker does, prints the browser's pid
 * and waits to be killed: started by tests from the test class path
 * ({@code java -cp ... dev.vitrine.rendering.RenderingJvmMain}).
 */
public final class RenderingJvmMain {

	private RenderingJvmMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		Renderer renderer = new Renderer(
				new RenderingSettings("", Duration.ofSeconds(30), 1, 500, DataSize.ofGigabytes(2),
						Duration.ofSeconds(30), Duration.ZERO),
				JsonMapper.builder().build(), new SimpleMeterRegistry());
		renderer.start();
		renderer.png("<p>up</p>", 50, 50);
		System.out.println("browser pid " + renderer.browserPid().orElseThrow());
		Thread.sleep(Duration.ofHours(1));
	}

}

package dev.vitrine.rendering;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's proportional set size (PSS) from {@code /proc}: its private memory plus its
 * share of what it shares, so summing it over Chromium's many processes counts shared
 * pages once. Falls back to the resident set size, and to 0 where there is no such file.
 */
final class ResidentMemory {

	private ResidentMemory() {
	}

	static long of(long pid) {
		long pss = read(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), "Pss:");
		return (pss > 0) ? pss : read(Path.of("/proc", String.valueOf(pid), "status"), "VmRSS:");
	}

	private static long read(Path file, String key) {
		try {
			for (String line : Files.readAllLines(file)) {
				if (line.startsWith(key)) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException | SecurityException ex) {
			// gone, or not Linux
		}
		return 0;
	}

}

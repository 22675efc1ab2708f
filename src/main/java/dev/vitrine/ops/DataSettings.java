package dev.vitrine.ops;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where this process keeps local data ({@code VITRINE_DATA_DIR}, default {@code ./data}).
 * The embedded database lives in its {@code postgres} subdirectory.
 *
 * @param dir the data directory
 */
@ConfigurationProperties("vitrine.data")
record DataSettings(@DefaultValue("./data") Path dir) {

	DataSettings {
		if (dir == null) {
			throw Setting.of("vitrine.data.dir").invalid("no directory given");
		}
	}

}

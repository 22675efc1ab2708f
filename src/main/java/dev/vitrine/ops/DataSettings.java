package dev.vitrine.ops;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where this process keeps local data ({@code VITRINE_DATA_DIR}, default {@code ./data}).
 * The embedded database lives in its {@code postgres} subdirectory.
 *
 * @param dir the data directory
 */
@ConfigurationProperties("vitrine.data")
@Validated
record DataSettings(@DefaultValue("./data") @NotNull Path dir) {
}

package dev.vitrine.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the admin pages write sizes: never "0 KB" for a file that has bytes. */
class FormatTests {

	@Test
	void aSizeIsInBytesUnderAKilobyteThenInKilobytesThenInMegabytes() {
		assertThat(Format.size(0)).isEqualTo("0 bytes");
		assertThat(Format.size(67)).isEqualTo("67 bytes");
		assertThat(Format.size(1023)).isEqualTo("1023 bytes");
		assertThat(Format.size(1024)).isEqualTo("1 KB");
		assertThat(Format.size(150_000)).isEqualTo("146 KB");
		assertThat(Format.size(5 * 1024 * 1024)).isEqualTo("5.0 MB");
	}

}

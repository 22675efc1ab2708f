package dev.vitrine.ops;

import java.util.function.Supplier;

/**
 * One entry of {@code /actuator/info} and {@code /health/deploy}: a bean of this type, in
 * any module, adds its {@link #name()} with the {@link #value()} it reads at each
 * request.
 */
public interface InfoDetail {

	String name();

	/**
	 * Read at each request; must answer (with what it knows) while the database is away.
	 */
	Object value();

	static InfoDetail of(String name, Supplier<Object> value) {
		return new InfoDetail() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public Object value() {
				return value.get();
			}

		};
	}

}

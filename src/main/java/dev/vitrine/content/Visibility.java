package dev.vitrine.content;

import java.time.Instant;

/** Whether the public sees an entry: not published, published for later, or public. */
public sealed interface Visibility {

	/** Not published: the owner's alone. */
	record Draft() implements Visibility {
	}

	/** Published, dated to go live later. */
	record Scheduled(Instant at) implements Visibility {
	}

	record Public() implements Visibility {
	}

	/** As the admin names it: {@code draft}, {@code scheduled} or {@code published}. */
	default String label() {
		return switch (this) {
			case Draft draft -> "draft";
			case Scheduled scheduled -> "scheduled";
			case Public visible -> "published";
		};
	}

}

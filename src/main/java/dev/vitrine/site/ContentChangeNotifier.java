package dev.vitrine.site;

import dev.vitrine.content.ContentChanged;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells every web replica that content changed. The NOTIFY runs inside the transaction
 * that made the change, so PostgreSQL delivers it on commit and never for a rolled-back
 * change.
 */
@Component
class ContentChangeNotifier {

	private final JdbcClient jdbc;

	ContentChangeNotifier(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void on(ContentChanged change) {
		notifyReplicas(switch (change) {
			case ContentChanged.EntryChanged entry -> entry.kind().section() + "/" + entry.slug();
			case ContentChanged.ProfileChanged profile -> "profile";
		});
	}

	/**
	 * Tells every web replica that something its pages show changed, e.g. a newly
	 * rendered card. Delivered when the caller's transaction commits, or at once without
	 * one.
	 */
	void notifyReplicas(String what) {
		this.jdbc.sql("SELECT pg_notify(?, ?)").params(ContentChanges.CHANNEL, what).query((rs, row) -> 1).list();
	}

}

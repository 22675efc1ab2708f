package dev.vitrine.site;

import dev.vitrine.content.ContentChanged;
import dev.vitrine.documents.DocumentStored;

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
	 * A newly rendered card or résumé: pages link the previous one (or the site default)
	 * until they are rendered again.
	 */
	@EventListener
	void on(DocumentStored stored) {
		notifyReplicas(stored.name());
	}

	/**
	 * Delivered when the caller's transaction commits, or at once without one.
	 */
	private void notifyReplicas(String what) {
		this.jdbc.sql("SELECT pg_notify(?, ?)").params(ContentChanges.CHANNEL, what).query((rs, row) -> 1).list();
	}

}

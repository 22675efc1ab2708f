package dev.vitrine.admin;

import java.util.Map;

import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;

/**
 * What the project and article editor shows; made by its factories, one per way the form
 * is reached.
 *
 * @param entry the stored entry, or null for a new one
 * @param errors a message per invalid field, empty when none
 * @param notice a line to show above the form, or null
 * @param savedForm the editor form whose save led here ({@link Flash#SAVED_FORM}): its
 * draft kept in the browser's tab is saved, so the page drops it; or null
 */
public record EntryEditorPage(EntryKind kind, Entry entry, EntryForm form, Map<String, String> errors,
		Situation situation, String notice, String savedForm) {

	/** Why the form is shown. */
	public enum Situation {

		/** Opened, or back with what was typed because a field is invalid. */
		EDITING,

		/**
		 * Back with what was typed because the entry was saved elsewhere since the form
		 * was opened: nothing was saved.
		 */
		CHANGED_ELSEWHERE,

		/**
		 * Back as a new entry's form because the entry was deleted since the form was
		 * opened: the text is in no save, so the page keeps it as this form's draft at
		 * once.
		 */
		DELETED_MEANWHILE

	}

	/** A new entry's empty form. */
	static EntryEditorPage blank(EntryKind kind) {
		return new EntryEditorPage(kind, null, EntryForm.empty(), Map.of(), Situation.EDITING, null, null);
	}

	/** A stored entry's form, as it is stored. */
	static EntryEditorPage of(Entry entry, String notice, String savedForm) {
		return new EntryEditorPage(entry.kind(), entry, EntryForm.of(entry), Map.of(), Situation.EDITING, notice,
				savedForm);
	}

	/**
	 * What was typed, back with a message per invalid field; {@code entry} null if new.
	 */
	static EntryEditorPage invalid(EntryKind kind, Entry entry, EntryForm form, Map<String, String> errors) {
		return new EntryEditorPage(kind, entry, form, errors, Situation.EDITING, null, null);
	}

	/** What was typed, over the version now stored, to save again knowingly. */
	static EntryEditorPage changedElsewhere(Entry now, EntryForm form) {
		return new EntryEditorPage(now.kind(), now, form.withVersion(now.version()), Map.of(),
				Situation.CHANGED_ELSEWHERE, null, null);
	}

	/** What was typed for an entry deleted meanwhile, as a new entry's form. */
	static EntryEditorPage deletedMeanwhile(EntryKind kind, EntryForm form) {
		return new EntryEditorPage(kind, null, form, Map.of(), Situation.DELETED_MEANWHILE,
				"This " + kind.noun() + " was deleted since you opened it, so nothing was saved. What"
						+ " you typed is below: save it to create it again.",
				null);
	}

	/** {@code article} or {@code project}. */
	public String noun() {
		return this.kind.noun();
	}

}

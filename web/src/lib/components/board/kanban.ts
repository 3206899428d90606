import type { ActionResult } from '@sveltejs/kit';

/** A card of a board: KanbanBoard only needs to know which card it is, its title (announcements) and its column. */
export interface KanbanCard<S extends string> {
	id: number;
	title: string;
	status: S;
}

export interface KanbanColumn<S extends string, C extends KanbanCard<S>> {
	status: S;
	cards: C[];
}

/**
 * What a board calls its parts: element ids (`${idPrefix}column-…`, `${idPrefix}move-…`, `${idPrefix}move-form-…`),
 * test ids and the card's id attribute, which tests, labels and the focus handling rely on.
 */
export interface KanbanNames {
	idPrefix: string;
	/** Written out in KanbanBoard's markup (not spread: spreading attributes adds ~1.5 kB to every page's JavaScript). */
	cardIdAttribute: 'data-lead-id' | 'data-project-id';
	/** The hidden field that carries the card's id in the move form. */
	idField: string;
	testids: { board: string; column: string; count: string; card: string; select: string; submit: string; changes: string };
}

/**
 * How a board moves a card: `start` shows it in its new column at once and returns what to do with the server's
 * answer, which says why the move was refused, or null when it was saved (redirects and errors are then handled
 * by SvelteKit, whatever it returns).
 */
export interface KanbanMover<S extends string, C extends KanbanCard<S>> {
	/** The status the posted move form asks for; null when it is not one of the board's. */
	parse(formData: FormData): S | null;
	start(card: C, to: S): (result: ActionResult) => string | null;
}

import type { Lane } from './lanes';

/** What a command created, so the sender can ack it and select the new thread, frame, etc. */
export type CreatedRef = { kind: 'frame' | 'version' | 'thread' | 'message' | 'round'; id: string };

/** What an applied command did: the room broadcasts only the lanes that changed; `mentioned` is recorded (no notification is sent yet). */
export interface CommandEffects {
	lanes: Lane[];
	created: CreatedRef[];
	/** Users mentioned by the message written (non-members dropped when the caller passes the member list). */
	mentioned: string[];
}

/** Why a command was refused. `not_found` is also the answer for what exists in a lane the sender may not read. */
export type FailureCode = 'forbidden' | 'not_found' | 'invalid' | 'conflict';

/** The outcome of `applyCommand`; expected refusals are values, never exceptions. `duplicate`: already applied, nothing written. */
export type CommandResult =
	| { ok: true; duplicate: boolean; effects: CommandEffects }
	| { ok: false; code: FailureCode; message: string };

export type Refusal = Extract<CommandResult, { ok: false }>;

/** A refusal whose message tells the user what happened and what to do. */
export function refuse(code: FailureCode, message: string): Refusal {
	return { ok: false, code, message };
}

/** The `origin` of every transaction `applyCommand` makes, so the room can tell its own writes from peers' updates. */
export interface ReviewOrigin {
	source: 'review-command';
	commandId: string;
	userId: string;
	at: string;
}

/** Whether a transaction origin is one of `applyCommand`'s. */
export function isReviewOrigin(origin: unknown): origin is ReviewOrigin {
	return typeof origin === 'object' && origin !== null && (origin as { source?: unknown }).source === 'review-command';
}

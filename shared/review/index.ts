// The design-review domain model: commands, permissions, the document layout and its appliers, the derived
// view and migrations. Pure: the room applies commands with `applyCommand` and the UI renders `readReview`.
export { LANES, laneSchema, type Lane, type ReviewDocs } from './lanes';
export { ID_PATTERN, idSchema, isId } from './ids';
export { actorSchema, type Actor, type PersonRef, type ReviewMember, type Stamp } from './actor';
export {
	LIMITS,
	DECISIONS,
	anchorSchema,
	clientCommandSchema,
	decisionSchema,
	emojiSchema,
	frameImageSchema,
	type Anchor,
	type ClientCommand,
	type CommandOf,
	type CommandType,
	type Decision,
	type FrameImage
} from './commands';
export { can, type Action, type PermissionContexts } from './permissions';
export { applyCommand } from './applyCommand';
export { LEDGER_MAP, pruneAppliedCommands } from './ledger';
export { isReviewOrigin, type CommandEffects, type CommandResult, type CreatedRef, type FailureCode, type ReviewOrigin } from './outcome';
export { MAX_REACTIONS_PER_USER } from './threads';
export { ROUND_STATUSES, roundStatus, type ReviewerState, type RoundStatus } from './rounds';
export { currentVersion } from './versions';
export { readReview, type FrameView, type MessageView, type ReviewView, type RoundView, type ThreadView, type VersionView } from './readReview';
export { REVIEW_SCHEMA_VERSION, migrateReviewDoc, reviewSchemaVersion, type MigrationResult } from './migrate';
export { MAP_NAMES } from './layout';
export type { StoredDecision, StoredFrame, StoredMessage, StoredRound, StoredThread, StoredVersion, ThreadStatus } from './records';

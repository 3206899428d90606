import { MIN_BRIDGE_SECRET_LENGTH } from '../../shared/live/signature';

/**
 * The secret that signs live deliveries (`--var BRIDGE_SECRET:…` in dev, a deployed secret otherwise), shared
 * with bknd's bridge. A short one is treated as absent, so the live room refuses every delivery (500) and project
 * rooms publish nothing, rather than trusting guessable signatures (as roomSecret.ts does for tokens).
 */
export function bridgeSecret(env: { BRIDGE_SECRET?: unknown }): string | undefined {
	const secret = env.BRIDGE_SECRET;
	return typeof secret === 'string' && secret.length >= MIN_BRIDGE_SECRET_LENGTH ? secret : undefined;
}

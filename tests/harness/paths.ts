import { fileURLToPath } from 'node:url';

/** The repository root, whatever the current directory of the test runner. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fixed, long secret for test runs; production secrets come from the environment. */
export const TEST_ROOM_TOKEN_SECRET = 'test-room-token-secret-0123456789abcdef';
export const TEST_BKND_JWT_SECRET = 'test-bknd-jwt-secret-0123456789abcdef';

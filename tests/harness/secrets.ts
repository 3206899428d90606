/** Fixed, long secrets for test runs only; real ones come from the environment. */
export const TEST_ROOM_TOKEN_SECRET = 'test-room-token-secret-0123456789abcdef';
export const TEST_BKND_JWT_SECRET = 'test-bknd-jwt-secret-0123456789abcdef';
/** BRIDGE_SECRET of test rooms (and of bknd's bridge in test stacks, see stack.ts): signs live deliveries. */
export const TEST_BRIDGE_SECRET = 'test-bridge-secret-0123456789abcdef-stack';
/** BKND_SERVICE_SECRET of test stacks: the web app's server calls bknd's public routes with it. */
export const TEST_SERVICE_SECRET = 'test-service-secret-0123456789abcdef-stack';

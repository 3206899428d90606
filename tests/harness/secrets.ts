/** Fixed, long secrets for test runs only; real ones come from the environment. */
export const TEST_ROOM_TOKEN_SECRET = 'test-room-token-secret-0123456789abcdef';
export const TEST_BKND_JWT_SECRET = 'test-bknd-jwt-secret-0123456789abcdef';

import { describe, expect, it } from 'vitest';
import { DEFAULT_ANTHROPIC_MODEL, DEV_ROOM_TOKEN_SECRET, DEV_SERVICE_SECRET, parseEnv } from './env';

describe('parseEnv', () => {
	it('ENV-1: has local defaults', () => {
		expect(parseEnv({})).toEqual({
			ENVIRONMENT: 'development',
			BKND_URL: 'http://127.0.0.1:1337',
			ROOMS_URL: 'http://localhost:1999',
			ROOMS_INTERNAL_URL: 'http://localhost:1999',
			ROOM_TOKEN_SECRET: DEV_ROOM_TOKEN_SECRET,
			BASE_DOMAIN: 'localhost',
			BKND_SERVICE_SECRET: DEV_SERVICE_SECRET,
			ANTHROPIC_API_KEY: null,
			ANTHROPIC_MODEL: DEFAULT_ANTHROPIC_MODEL,
			ANTHROPIC_BASE_URL: null,
			BKND: null,
			ROOMS: null
		});
	});

	it('ENV-2: treats empty strings as unset and trims trailing slashes', () => {
		const env = parseEnv({ BKND_URL: 'http://127.0.0.1:15337/', ROOMS_URL: '', ROOMS_INTERNAL_URL: 'http://127.0.0.1:1999' });
		expect(env.BKND_URL).toBe('http://127.0.0.1:15337');
		expect(env.ROOMS_URL).toBe('http://localhost:1999');
		expect(env.ROOMS_INTERNAL_URL).toBe('http://127.0.0.1:1999');
	});

	it('ENV-3: production requires a real ROOM_TOKEN_SECRET', () => {
		expect(() => parseEnv({ ENVIRONMENT: 'production' })).toThrow(/ROOM_TOKEN_SECRET/);
		const secret = 'x'.repeat(40);
		const service = 's'.repeat(40);
		expect(parseEnv({ ENVIRONMENT: 'production', ROOM_TOKEN_SECRET: secret, BKND_SERVICE_SECRET: service }).ROOM_TOKEN_SECRET).toBe(secret);
	});

	it('ENV-5: production requires a real BKND_SERVICE_SECRET; the Anthropic settings are optional', () => {
		expect(() => parseEnv({ ENVIRONMENT: 'production', ROOM_TOKEN_SECRET: 'x'.repeat(40) })).toThrow(/BKND_SERVICE_SECRET/);
		const env = parseEnv({ ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999/', ANTHROPIC_MODEL: 'claude-x' });
		expect(env).toMatchObject({ ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999', ANTHROPIC_MODEL: 'claude-x' });
		expect(() => parseEnv({ ANTHROPIC_BASE_URL: 'not a url' })).toThrow(/ANTHROPIC_BASE_URL/);
	});

	it('ENV-4: rejects short secrets and non-http URLs, naming the variable', () => {
		expect(() => parseEnv({ ROOM_TOKEN_SECRET: 'short' })).toThrow(/ROOM_TOKEN_SECRET/);
		expect(() => parseEnv({ BKND_URL: 'ftp://x' })).toThrow(/BKND_URL/);
		expect(() => parseEnv({ ENVIRONMENT: 'staging' })).toThrow(/ENVIRONMENT/);
	});
});

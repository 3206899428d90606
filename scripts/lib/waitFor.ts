/** Polls `check` until it returns a truthy value or the deadline passes; tests wait on conditions, never on fixed sleeps. */
export async function waitFor<T>(
	check: () => T | Promise<T>,
	{ timeout = 10_000, interval = 25, message = 'condition' }: { timeout?: number; interval?: number; message?: string } = {}
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeout;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value) return value as NonNullable<T>;
		} catch (error) {
			lastError = error;
		}
		await new Promise((resolve) => setTimeout(resolve, interval));
	}
	throw new Error(`timed out after ${timeout} ms waiting for ${message}${lastError ? `: ${String(lastError)}` : ''}`);
}

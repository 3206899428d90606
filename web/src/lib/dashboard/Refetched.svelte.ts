/**
 * A value the server streams with the page (a promise in the load's data) and the page asks again when the live
 * feed says it moved (review rounds: they live in the project rooms, not in the feed). `undefined` while loading.
 *
 * @example
 * const approvals = new Refetched<Approval[] | null>((body) => (body as { approvals: Approval[] | null }).approvals);
 * $effect(() => approvals.follow(data.approvals));
 * approvals.refetch(`${data.base}/dashboard/approvals`);
 */
export class Refetched<T> {
	value = $state.raw<T | undefined>(undefined);
	private timer: ReturnType<typeof setTimeout> | null = null;
	private generation = 0;

	/** @param read picks the value out of the endpoint's JSON answer. */
	constructor(private readonly read: (body: unknown) => T) {}

	/** Shows what `promise` resolves to (unless a later refetch already answered); returns the cleanup. */
	follow(promise: Promise<T>): () => void {
		const generation = ++this.generation;
		this.value = undefined;
		promise.then(
			(value) => generation === this.generation && (this.value = value),
			() => generation === this.generation && (this.value = undefined)
		);
		return () => {
			this.generation++;
			if (this.timer) clearTimeout(this.timer);
		};
	}

	/** Asks `url` again shortly (several events in a burst make one request); keeps the old value on failure. */
	refetch(url: string, delayMs = 400): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(async () => {
			const generation = ++this.generation;
			try {
				const response = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
				if (!response.ok) return;
				const value = this.read(await response.json());
				if (generation === this.generation) this.value = value;
			} catch {
				// Offline for a moment: the next event asks again.
			}
		}, delayMs);
	}
}

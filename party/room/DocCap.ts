/**
 * Keeps a document written through Yjs under `cap` encoded bytes (DOC_LIMITS) without encoding it on every edit.
 *
 * It keeps an upper estimate of the encoded size: the measured size, plus the bytes of every update applied
 * since (an applied update never adds more than its own bytes, give or take a few bytes when it splits a run of
 * text). Only when the estimate says an update would not fit does it measure the document again
 * (`Y.encodeStateAsUpdate`, tens of milliseconds for a fragmented 512 KiB document), at most once per
 * `remeasureMs`: a sender alternating deletions and insertions at the cap cannot make the room encode the whole
 * document on every frame. Between measurements the stale estimate only errs on the side of refusing.
 */
export class DocCap {
	/** An upper bound of the encoded size; `null` until first needed (the first measure also fills the joiners' cache). */
	private estimate: number | null = null;
	/** Whether `estimate` is a measurement of the document as it is now. */
	private exact = false;
	private measuredAt = -Infinity;

	constructor(
		readonly cap: number,
		private readonly measure: () => number,
		private readonly now: () => number,
		private readonly remeasureMs = 1_000
	) {}

	/** Whether an update of `bytes` that adds content may be applied. */
	admits(bytes: number): boolean {
		if (this.estimate === null) this.remeasure();
		if (this.estimate! + bytes <= this.cap) return true;
		if (!this.exact && this.now() - this.measuredAt >= this.remeasureMs) this.remeasure();
		return this.estimate! + bytes <= this.cap;
	}

	/** The document changed by an update of `bytes`, whoever made it. */
	changed(bytes: number): void {
		if (this.estimate === null) return; // the first measurement will include it
		this.estimate += bytes;
		this.exact = false;
	}

	private remeasure(): void {
		this.estimate = this.measure();
		this.exact = true;
		this.measuredAt = this.now();
	}
}

// A small palette readable on white and distinct for colour-blind viewers (Okabe-Ito, darkened).
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7a5195', '#a05000'];

/** A stable colour per user, so a person keeps their colour across sessions and browsers. */
export function presenceColor(userId: string): string {
	let hash = 0;
	for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
	return PALETTE[hash % PALETTE.length]!;
}

/** Up to two initials for an avatar: "Rivo Andria" → "RA", "studio" → "S". */
export function initials(name: string): string {
	const words = name.trim().split(/[\s._-]+/).filter(Boolean);
	const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
	return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}

/** French messages about a project room's refusals (keys start with `rooms.`); see lib/rooms/roomErrorNotice.ts. */
export const roomsFr = {
	'rooms.documentFull': 'les notes sont pleines, votre dernière modification n’a pas été enregistrée. Supprimez du texte pour faire de la place.',
	'rooms.tooFast': 'trop de messages à la fois. Patientez un instant puis réessayez.'
} as const;
